using System.Net;
using ArxivRank.Host;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ArxivRank.Tests.Samples;

public sealed class HostAppTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("arxivrank-host-").FullName;

    [Fact]
    public async Task Run_TriggeredOnce_ServesArchiveIndexAndDayPageOnLoopback()
    {
        // Arrange: the sample host on a free loopback port, offline snapshot source, store and archive in a temp folder.
        string archive = Path.Combine(_root, "digests");
        await using var app = HostApp.Build(
        [
            "--urls=http://127.0.0.1:0",
            "--ArxivRank:Source=snapshot",
            $"--ArxivRank:Out={archive}",
            $"--ArxivRank:Store={Path.Combine(_root, "store.db")}",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var http = new HttpClient { BaseAddress = new Uri(address) };

        // Act: trigger one run, then fetch the archive index and the day's page.
        using var run = await http.PostAsync(new Uri("/run", UriKind.Relative), content: null);
        string runBody = await run.Content.ReadAsStringAsync();
        using var index = await http.GetAsync(new Uri("/", UriKind.Relative));
        string indexHtml = await index.Content.ReadAsStringAsync();
        using var day = await http.GetAsync(new Uri("/2025-07-08.html", UriKind.Relative));
        await app.StopAsync();

        // Assert
        run.StatusCode.Should().Be(HttpStatusCode.OK, runBody);
        runBody.Should().Contain("\"status\":\"Written\"").And.Contain("2025-07-08");
        index.StatusCode.Should().Be(HttpStatusCode.OK);
        indexHtml.Should().Contain("2025-07");
        day.StatusCode.Should().Be(HttpStatusCode.OK);
        (await day.Content.ReadAsStringAsync()).Should().Contain("arxiv.org/abs/");
        File.Exists(Path.Combine(archive, "2025-07-08.json")).Should().BeTrue();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file on some platforms; the temp folder is cleaned by the OS.
        }
    }
}
