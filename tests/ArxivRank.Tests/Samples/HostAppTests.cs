using System.Net;
using ArxivRank.Host;
using ArxivRank.Pipeline;
using ArxivRank.TestUtilities.Slack;
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

    [Fact]
    public async Task Run_WithSlackDelivery_DeliversAfterTheRun_RetriesAFailedDeliveryOnTheNextRun_AndNeverTwice()
    {
        // Arrange: the host delivers each digest to a loopback Slack Web API; the first posts fail ("not_in_channel").
        await using var slack = await SlackWebApiServer.StartAsync();
        string tokenEnv = "ARXIVRANK_TEST_HOST_SLACK_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(tokenEnv, slack.Token);
        slack.FailCall = (method, _) => method == "chat.postMessage" ? "not_in_channel" : null;
        await using var app = HostApp.Build(
        [
            "--urls=http://127.0.0.1:0",
            "--ArxivRank:Source=snapshot",
            $"--ArxivRank:Out={Path.Combine(_root, "digests")}",
            $"--ArxivRank:Store={Path.Combine(_root, "store.db")}",
            "--ArxivRank:Deliver:0=slack",
            $"--ArxivRank:Slack:Channel={SlackWebApiServer.DefaultChannel}",
            $"--ArxivRank:Slack:TokenEnv={tokenEnv}",
            $"--ArxivRank:Slack:BaseUrl={slack.BaseUri}",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var http = new HttpClient { BaseAddress = new Uri(address) };

        try
        {
            // Act 1: the run writes the digest; its delivery fails.
            var first = await app.Services.GetRequiredService<DigestJob>().RunAsync();

            // Act 2: the bot is invited; the next run finds the day processed and sends the failed delivery again.
            slack.FailCall = null;
            using var second = await http.PostAsync(new Uri("/run", UriKind.Relative), content: null);
            int postedAfterSecond = slack.Messages().Count;

            // Act 3: a third run delivers nothing more.
            using var third = await http.PostAsync(new Uri("/run", UriKind.Relative), content: null);

            // Assert
            first.Status.Should().Be(DigestRunStatus.Written);
            first.Delivery.Should().NotBeNull();
            first.Delivery!.Failures.Should().ContainSingle().Which.Error.Should().Contain("not_in_channel");
            second.StatusCode.Should().Be(HttpStatusCode.OK, await second.Content.ReadAsStringAsync());
            third.StatusCode.Should().Be(HttpStatusCode.OK, await third.Content.ReadAsStringAsync());
            postedAfterSecond.Should().BeGreaterThan(0, "the failed delivery is sent again by the next run");
            slack.Messages().Where(m => m.ThreadTs is null).Should().ContainSingle("the digest is posted once, never twice")
                .Which.Text.Should().Contain("2025-07-08");
            slack.Messages().Count.Should().Be(postedAfterSecond, "the third run finds the delivery recorded");
        }
        finally
        {
            await app.StopAsync();
            Environment.SetEnvironmentVariable(tokenEnv, null);
        }
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
