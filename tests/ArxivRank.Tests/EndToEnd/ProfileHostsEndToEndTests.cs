using System.Net;
using System.Text.Json;
using ArxivRank.Cli;
using ArxivRank.Host;
using ArxivRank.Tests.Cli;
using ArxivRank.TestUtilities.Arxiv;
using ArxivRank.TestUtilities.Chat;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ArxivRank.Tests.EndToEnd;

/// <summary>One reader profile JSON, two hosts (the CLI's --config and the sample host's section ArxivRank), the same day: the same digest.</summary>
public sealed class ProfileHostsEndToEndTests() : LoopbackRunTest("arxivrank-hosts-")
{
    [Fact]
    public async Task OneProfile_CliAndHost_WriteTheSameDigestForTheSameDay()
    {
        // Arrange: one profile — the LLM scorer on the loopback chat server, inline criteria, a followed author, top 10.
        string profile = $$"""
            {
              "categories": ["cs.LG"],
              "criteriaText": "# Research interests\n\n## Core interests\n- efficient attention\n- sparse models\n",
              "followedAuthors": ["Yann LeCun"],
              "scorer": "llm", "model": "gpt-4o-mini", "llmBaseUrl": "{{Chat.BaseUri}}", "apiKeyEnv": "ARXIVRANK_TEST_NO_KEY",
              "source": "rss", "baseUrl": "{{Arxiv.BaseUrl}}",
              "formats": ["json", "html"], "topK": 10, "batchSize": 10,
              "arxiv": { "requestIntervalMs": 0, "retries": 2, "retryDelayMs": 10, "timeoutMs": 1500 },
              "llm": { "retries": 3, "retryDelayMs": 10 },
              "schedule": { "runAt": "21:00", "timeZone": "America/New_York" },
            }
            """;
        string profilePath = Path.Combine(Root, "reader.json");
        await File.WriteAllTextAsync(profilePath, profile);
        string hostSettings = Path.Combine(Root, "appsettings.profile.json");
        await File.WriteAllTextAsync(hostSettings, "{ \"ArxivRank\": " + profile + " }");

        // Act 1: the CLI with --config.
        string cliOut = Path.Combine(Root, "cli");
        var cli = await CliRunner.RunAsync(["digest", "--config", profilePath, "--out", cliOut, "--store", Path.Combine(Root, "cli.db")]);
        int cliRequests = Chat.RequestCount;

        // Act 2: the host with the same profile as its ArxivRank section (only out and store differ).
        string hostOut = Path.Combine(Root, "host");
        await using var app = HostApp.Build(
            ["--urls=http://127.0.0.1:0", $"--ArxivRank:Out={hostOut}", $"--ArxivRank:Store={Path.Combine(Root, "host.db")}", "--Logging:LogLevel:Default=Warning"],
            b => b.Configuration.AddJsonFile(hostSettings));
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        using var run = await http.PostAsync(new Uri("/run", UriKind.Relative), content: null);
        string runBody = await run.Content.ReadAsStringAsync();
        await app.StopAsync();

        // Assert: both scored with the model and selected the same papers with the same scores.
        cli.ExitCode.Should().Be(ExitCodes.Success, cli.Stderr);
        cli.Stderr.Should().Contain("scorer: llm");
        run.StatusCode.Should().Be(HttpStatusCode.OK, runBody);
        runBody.Should().Contain("\"status\":\"Written\"");
        cliRequests.Should().BeGreaterThan(0);
        (Chat.RequestCount - cliRequests).Should().Be(cliRequests, "the host sent the model the same requests");
        string day = Arxiv.AnnouncementDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        string cliPapers = Papers(Path.Combine(cliOut, day + ".json"));
        cliPapers.Should().Be(Papers(Path.Combine(hostOut, day + ".json")));
        JsonDocument.Parse(cliPapers).RootElement.GetArrayLength().Should().BeInRange(1, 10);
        File.Exists(Path.Combine(hostOut, "index.html")).Should().BeTrue("both hosts render the archive");
        File.Exists(Path.Combine(cliOut, "index.html")).Should().BeTrue();
        File.Exists(Path.Combine(hostOut, day + ".md")).Should().BeFalse("formats come from the profile");
    }

    private static string Papers(string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        return json.RootElement.GetProperty("papers").GetRawText();
    }
}
