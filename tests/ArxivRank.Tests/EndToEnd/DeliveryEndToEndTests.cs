using System.ServiceModel.Syndication;
using System.Xml;
using ArxivRank.Tests.Cli;
using ArxivRank.Tests.Delivery;
using ArxivRank.TestUtilities.Mail;
using ArxivRank.TestUtilities.Slack;
using MimeKit;

namespace ArxivRank.Tests.EndToEnd;

/// <summary><c>arxivrank digest --deliver …</c> and <c>arxivrank deliver</c> against loopback Slack and SMTP servers.</summary>
public sealed class DeliveryEndToEndTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "arxivrank-e2e-delivery-" + Guid.NewGuid().ToString("N"));
    private SlackWebApiServer _slack = null!;

    private string OutDir => Path.Combine(_root, "out");

    private string StorePath => Path.Combine(_root, "store.db");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        _slack = await SlackWebApiServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _slack.DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Digest_BadSlackToken_Exits4WithTheFilesWrittenAndNamesTheToken()
    {
        var run = await Digest(new() { ["MY_SLACK_TOKEN"] = "xoxb-wrong" }, "--slack-token-env", "MY_SLACK_TOKEN");

        run.ExitCode.Should().Be(4, run.Stderr);
        File.Exists(Path.Combine(OutDir, "2025-07-08.md")).Should().BeTrue();
        File.Exists(Path.Combine(OutDir, "feed.xml")).Should().BeTrue();
        run.StderrLines.Should().Contain(l => l.Contains("MY_SLACK_TOKEN", StringComparison.Ordinal) && l.Contains("invalid_auth", StringComparison.Ordinal));
        run.Stderr.Should().NotContain("xoxb-wrong");
        _slack.Messages().Should().BeEmpty();

        // The token fixed, the next run delivers the stored day without scoring again.
        var retry = await CliRunner.RunAsync(["deliver", "--date", "2025-07-08", "--pending-only", "--deliver", "slack", "--slack-channel", SlackWebApiServer.DefaultChannel, "--slack-base-url", _slack.BaseUri.ToString(), "--store", StorePath], environment: new Dictionary<string, string?> { ["SLACK_BOT_TOKEN"] = SlackWebApiServer.DefaultToken });
        retry.ExitCode.Should().Be(0, retry.Stderr);
        _slack.Messages().Should().ContainSingle(m => m.ThreadTs == null);
    }

    [Fact]
    public async Task Digest_SlackThroughA429_PostsOnceAndSameDayRerunsDeliverNothing()
    {
        _slack.RateLimitNext(1, TimeSpan.FromSeconds(1));
        var env = new Dictionary<string, string?> { ["SLACK_BOT_TOKEN"] = SlackWebApiServer.DefaultToken };

        var first = await Digest(env);
        var again = await Digest(env);

        first.ExitCode.Should().Be(0, first.Stderr);
        first.StderrLines.Should().Contain(l => l.StartsWith("digest: delivered to slack " + SlackWebApiServer.DefaultChannel, StringComparison.Ordinal));
        again.ExitCode.Should().Be(0, again.Stderr);
        again.StderrLines.Should().Contain(l => l.Contains("already has this digest", StringComparison.Ordinal));
        var messages = _slack.Messages();
        messages.Should().ContainSingle(m => m.ThreadTs == null);
        messages.Select(m => m.Part).Should().OnlyHaveUniqueItems();
        _slack.Calls.Should().Contain(c => c.HttpStatus == 429);
        using var reader = XmlReader.Create(Path.Combine(OutDir, "feed.xml"));
        var feed = SyndicationFeed.Load(reader);
        string thread = string.Join('\n', messages.Select(m => m.BlockText));
        foreach (var item in feed.Items)
        {
            thread.Should().Contain(item.Id, "every selected paper is in the thread");
        }
    }

    [Fact]
    public async Task Deliver_NoDigestStored_ExitsWithAMessage()
    {
        var run = await CliRunner.RunAsync(["deliver", "--date", "2025-07-08", "--deliver", "slack", "--slack-channel", "C1", "--store", StorePath], environment: new Dictionary<string, string?> { ["SLACK_BOT_TOKEN"] = "xoxb-1" });

        run.ExitCode.Should().Be(1);
        run.Stderr.Should().Contain("no digest of 2025-07-08");
    }

    [Fact]
    public async Task Digest_DeliverSlackWithoutChannel_IsAUsageError()
    {
        var run = await CliRunner.RunAsync(["digest", "--source", "snapshot", "--deliver", "slack", "--out", OutDir, "--store", StorePath]);

        run.ExitCode.Should().Be(2);
        run.Stderr.Should().Contain("slack.channel").And.Contain("--slack-channel");
    }

    [SmtpFact]
    public async Task Digest_DeliverEmail_ReachesTheSmtpServerWithEverySelectedTitle()
    {
        await using var smtp = await SmtpTestServer.StartAsync();

        var run = await CliRunner.RunAsync(
            ["digest", "--source", "snapshot", "--out", OutDir, "--store", StorePath, "--deliver", "email", "--mail-to", "a@example.org,b@example.org", "--mail-from", "digest@example.org", "--smtp-host", "127.0.0.1", "--smtp-port", smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--smtp-tls", "none"]);

        run.ExitCode.Should().Be(0, run.Stderr);
        var messages = smtp.Messages().Select(b => MimeMessage.Load(new MemoryStream(b))).ToList();
        messages.Should().HaveCount(2);
        string markdown = await File.ReadAllTextAsync(Path.Combine(OutDir, "2025-07-08.json"));
        using var json = System.Text.Json.JsonDocument.Parse(markdown);
        var titles = json.RootElement.GetProperty("papers").EnumerateArray().Select(p => p.GetProperty("paper").GetProperty("title").GetString()!).ToList();
        titles.Should().NotBeEmpty();
        foreach (var message in messages)
        {
            message.Subject.Should().Contain("2025-07-08").And.Contain($"{titles.Count} paper");
            message.TextBody.Should().NotBeNull();
            message.HtmlBody.Should().NotBeNull();
            foreach (string title in titles)
            {
                message.TextBody.Should().Contain(ArxivRank.Rendering.RenderText.Display(title));
            }
        }
    }

    private Task<CliRun> Digest(Dictionary<string, string?> env, params string[] extra)
        => CliRunner.RunAsync(
            ["digest", "--source", "snapshot", "--out", OutDir, "--store", StorePath, "--deliver", "slack", "--slack-channel", SlackWebApiServer.DefaultChannel, "--slack-base-url", _slack.BaseUri.ToString(), .. extra],
            environment: env);
}
