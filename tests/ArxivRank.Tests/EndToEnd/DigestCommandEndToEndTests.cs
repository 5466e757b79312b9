using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using ArxivRank.Cli;
using ArxivRank.Tests.Cli;
using ArxivRank.Ranking;
using ArxivRank.Sqlite;
using ArxivRank.TestUtilities;
using ArxivRank.TestUtilities.Arxiv;
using ArxivRank.TestUtilities.Chat;

namespace ArxivRank.Tests.EndToEnd;

/// <summary>
/// The whole <c>arxivrank digest</c> command in-process, against the loopback arXiv double and the loopback
/// chat-completions server, with temp folders for --out and --store and transport tuning from --config (no sleeps).
/// </summary>
public sealed partial class DigestCommandEndToEndTests() : LoopbackRunTest("arxivrank-e2e-")
{
    private Func<ChatCompletionsRequest, ChatCompletionsReply> _reply = ChatCompletionsServer.DefaultReply;

    private string OutDir => Path.Combine(Root, "out");

    private string StorePath => Path.Combine(Root, "store.db");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Chat.Handler = request => ValueTask.FromResult(_reply(request));
    }

    [Fact]
    public async Task Digest_SnapshotWithLexicalScorer_WritesMarkdownHtmlJsonWithoutNetwork()
    {
        var run = await CliRunner.RunAsync(["digest", "--source", "snapshot", "--out", OutDir, "--store", StorePath]);

        run.ExitCode.Should().Be(ExitCodes.Success, run.Stderr);
        run.Stderr.Should().Contain("scorer: lexical");
        foreach (string ext in new[] { "md", "html", "json" })
        {
            File.Exists(Path.Combine(OutDir, "2025-07-08." + ext)).Should().BeTrue(ext);
        }

        File.Exists(Path.Combine(OutDir, "index.html")).Should().BeTrue("the archive index is written");
        File.Exists(Path.Combine(OutDir, "2025-07", "index.html")).Should().BeTrue("the month page is written");
        Arxiv.Requests.Should().BeEmpty();
        Chat.RequestCount.Should().Be(0);
    }

    [Fact]
    public async Task Digest_LlmWithInjectedFaults_CompletesAndAccountsForEveryPaper()
    {
        int n = 0;
        _reply = request => Interlocked.Increment(ref n) switch
        {
            1 => ChatCompletionsReply.Failure(429, "slow down", TimeSpan.FromSeconds(1)),
            2 => ChatCompletionsReply.Failure(500),
            3 => ChatCompletionsReply.Completion("I am sorry, I cannot help with that."),
            4 => ChatCompletionsReply.Completion(FakeScoringModel.JsonLines(request.PaperIds)[..40], finishReason: "length"),
            _ => ChatCompletionsServer.DefaultReply(request),
        };
        Arxiv.Enqueue(ArxivEndpoint.Rss, ArxivFault.ServiceUnavailable(), ArxivFault.TooManyRequests(TimeSpan.Zero));

        var run = await RunLlmAsync();

        run.ExitCode.Should().Be(ExitCodes.Success, run.Stderr);
        run.Stderr.Should().Contain("scorer: llm").And.NotContain("sk-test-secret-key");
        var summary = Summary(run.Stderr);
        (summary.Scored + summary.Unscored).Should().Be(summary.Kept, "every kept paper is scored or reported unscored");
        summary.Kept.Should().BeGreaterThan(0);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(OutDir, "2025-02-26.json")));
        json.RootElement.GetProperty("papers").GetArrayLength().Should().Be(summary.Selected);
        Chat.RequestCount.Should().BeGreaterThan(4, "the faulty answers were retried");
    }

    [Fact]
    public async Task Digest_HungArxivResponse_TimesOutRetriesAndCompletes()
    {
        Arxiv.Enqueue(ArxivEndpoint.Rss, ArxivFault.Hang());

        var run = await RunLlmAsync();

        run.ExitCode.Should().Be(ExitCodes.Success, run.Stderr);
        Arxiv.Requests.Count(r => r.Endpoint == ArxivEndpoint.Rss).Should().BeGreaterThan(1);
    }

    [Fact]
    public async Task Digest_ReRunOnSameStore_ExitsNoNewAndForceRegeneratesFromCacheWithZeroTokens()
    {
        var first = await RunLlmAsync();
        first.ExitCode.Should().Be(ExitCodes.Success, first.Stderr);
        int requestsAfterFirst = Chat.RequestCount;
        Directory.Delete(OutDir, recursive: true);

        var second = await RunLlmAsync();
        var cron = await RunLlmAsync("--no-new-exit-code", "0");
        var forced = await RunLlmAsync("--force");

        second.ExitCode.Should().Be(ExitCodes.NoNewAnnouncement, second.Stderr);
        second.Stderr.Should().Contain("no new announcement");
        cron.ExitCode.Should().Be(0, cron.Stderr);
        forced.ExitCode.Should().Be(ExitCodes.Success, forced.Stderr);
        Summary(forced.Stderr).FromCache.Should().Be(Summary(first.Stderr).Scored - Summary(first.Stderr).RuleMatches);
        Chat.RequestCount.Should().Be(requestsAfterFirst, "a re-run spends zero tokens");
        File.Exists(Path.Combine(OutDir, "2025-02-26.md")).Should().BeTrue("--force regenerated the digest");
    }

    [Fact]
    public async Task Digest_NextAnnouncementDay_LinksBothDaysAndListsThemInTheArchive()
    {
        var first = await RunLlmAsync();
        Arxiv.AnnouncementDate = new DateOnly(2025, 2, 27);

        var second = await RunLlmAsync();

        first.ExitCode.Should().Be(ExitCodes.Success, first.Stderr);
        second.ExitCode.Should().Be(ExitCodes.Success, second.Stderr);
        second.Stderr.Should().MatchRegex(@"\d+ seen before, 0 kept", "the same papers were seen on the earlier day");
        (await File.ReadAllTextAsync(Path.Combine(OutDir, "2025-02-26.html"))).Should().Contain("2025-02-27", "the earlier day now links to the next one");
        (await File.ReadAllTextAsync(Path.Combine(OutDir, "2025-02-27.html"))).Should().Contain("2025-02-26");
        string month = await File.ReadAllTextAsync(Path.Combine(OutDir, "2025-02", "index.html"));
        month.Should().Contain("2025-02-26").And.Contain("2025-02-27");
    }

    [Fact]
    public async Task Digest_ArxivCutsTheFeedMidResponse_ExitsFailureWithReasonAndWritesNothing()
    {
        Arxiv.Enqueue(ArxivEndpoint.Rss, ArxivFault.TruncatedBody());

        var run = await RunLlmAsync();

        run.ExitCode.Should().Be(ExitCodes.Failure);
        run.StderrLines.Should().Contain(l => l.StartsWith("digest: error: arXiv could not be reached or answered unusably", StringComparison.Ordinal));
        Directory.Exists(OutDir).Should().BeFalse();
        Chat.RequestCount.Should().Be(0);
    }

    [Fact]
    public async Task Digest_ApiSourceWithDate_RebuildsThatDayWithTheLexicalScorer()
    {
        var run = await CliRunner.RunAsync(["digest", "--config", ConfigPath, "--base-url", Arxiv.BaseUrl.ToString(), "--source", "api", "--date", "2025-02-25", "--scorer", "lexical", "--out", OutDir, "--store", StorePath], environment: Env);

        run.ExitCode.Should().Be(ExitCodes.Success, run.Stderr);
        run.Stderr.Should().Contain("scorer: lexical");
        Arxiv.Requests.Should().Contain(r => r.Endpoint == ArxivEndpoint.Api);
        Chat.RequestCount.Should().Be(0, "--scorer lexical wins over the API key");
        File.Exists(Path.Combine(OutDir, "2025-02-25.json")).Should().BeTrue(string.Join(", ", Directory.GetFiles(OutDir)));
    }

    [Fact]
    public async Task Digest_ModelAlwaysFails_ExitsFailureWithClearMessageAndWritesNoDigest()
    {
        _reply = _ => ChatCompletionsReply.Failure(500, "the model is down");

        var run = await RunLlmAsync();

        run.ExitCode.Should().Be(ExitCodes.Failure);
        run.StderrLines.Should().Contain(l => l.StartsWith("digest: error: scoring failed, no digest was written", StringComparison.Ordinal));
        (Directory.Exists(OutDir) ? Directory.GetFiles(OutDir, "*", SearchOption.AllDirectories) : []).Should().BeEmpty();
        var again = await RunLlmAsync("--dry-run");
        again.ExitCode.Should().Be(ExitCodes.Success, "the failed day was not marked processed");
    }

    [Fact]
    public async Task Digest_DryRun_WritesNothingAndCallsNoModel()
    {
        var run = await RunLlmAsync("--dry-run");

        run.ExitCode.Should().Be(ExitCodes.Success, run.Stderr);
        run.Stderr.Should().Contain("to score").And.Contain("estimate").And.Contain("nothing was written");
        Chat.RequestCount.Should().Be(0);
        Directory.Exists(OutDir).Should().BeFalse();
        File.Exists(StorePath).Should().BeFalse();
    }

    [Fact]
    public async Task Digest_EstimateAboveMaxCost_StopsBeforeAnyModelCall()
    {
        var run = await RunLlmAsync("--max-cost", "0.00001");

        run.ExitCode.Should().Be(ExitCodes.Failure);
        run.Stderr.Should().Contain("exceeds --max-cost");
        Chat.RequestCount.Should().Be(0);
        Arxiv.Requests.Count.Should().Be(1, "the estimate and the run share one download");
    }

    [Fact]
    public async Task Digest_ArxivUnreachable_FailsFastPointingToSnapshot()
    {
        var run = await CliRunner.RunAsync(["digest", "--config", ConfigPath, "--base-url", $"http://127.0.0.1:{ClosedPort()}/", "--out", OutDir, "--store", StorePath]);

        run.ExitCode.Should().Be(ExitCodes.Failure);
        run.StderrLines.Should().Contain(l => l.StartsWith("digest: error: arXiv could not be reached", StringComparison.Ordinal) && l.Contains("--source snapshot", StringComparison.Ordinal));
        Directory.Exists(OutDir).Should().BeFalse();
    }

    [Theory]
    [InlineData("--format", "pdf", "--format 'pdf'")]
    [InlineData("--date", "2025-02-30", "--date")]
    [InlineData("--scorer", "learned", "scorer 'learned' needs a model: set ranker")]
    public async Task Digest_BadUsage_ExitsUsageWithMessage(string option, string value, string expected)
    {
        var run = await CliRunner.RunAsync(["digest", "--source", "snapshot", option, value, "--out", OutDir, "--store", StorePath]);

        run.ExitCode.Should().Be(ExitCodes.Usage);
        run.Stderr.Should().Contain(expected);
    }

    [Fact]
    public async Task Digest_InvalidConfigFile_ExitsUsageNamingTheFile()
    {
        string bad = Path.Combine(Root, "bad.json");
        await File.WriteAllTextAsync(bad, """{ "topK": "many" }""");

        var run = await CliRunner.RunAsync(["digest", "--config", bad, "--source", "snapshot", "--out", OutDir, "--store", StorePath]);

        run.ExitCode.Should().Be(ExitCodes.Usage);
        run.Stderr.Should().Contain("bad.json").And.Contain("docs/cli.md");
    }

    [Fact]
    public async Task Digest_PrescreenWithLearnedModelInStore_SendsOnlyPartOfTheDayToTheModelAndAccountsForEveryPaper()
    {
        var examples = LabeledDays.Days.Take(6).SelectMany(LabeledDays.Load).Select(p => new LabeledExample(p.Paper, p.Selected));
        var ranker = LearnedRanker.Train(examples);
        using (var store = new SqliteArxivRankStore(new SqliteStoreOptions { Path = StorePath }))
        {
            await store.SaveModelAsync(ranker);
        }

        var run = await RunLlmAsync("--prescreen", "0.35");

        run.ExitCode.Should().Be(ExitCodes.Success, run.Stderr);
        run.Stderr.Should().Contain("pre-screen: sent");
        var summary = Summary(run.Stderr);
        (summary.Scored + summary.Unscored).Should().Be(summary.Kept, "papers screened out are scored by the learned ranker, not dropped");
        int sentToModel = Chat.Requests.Where(r => !r.IsTitleScreen).SelectMany(r => r.PaperIds).Distinct().Count();
        sentToModel.Should().BeGreaterThan(0).And.BeLessThan(summary.Kept - summary.RuleMatches, "only the pre-screened share reaches the model");
        run.Stderr.Should().Contain("learned ranker:", "the LLM's judgments are kept as labels and training is attempted");
    }

    [Fact]
    public async Task Digest_LearnedScorerWithoutRanker_UsesTheStoresModel_AndCallsNoModel()
    {
        // Arrange: a model trained into the store (as 'arxivrank train --store' or the auto-trainer keeps it), no model file.
        var examples = LabeledDays.Days.Take(6).SelectMany(LabeledDays.Load).Select(p => new LabeledExample(p.Paper, p.Selected));
        using (var store = new SqliteArxivRankStore(new SqliteStoreOptions { Path = StorePath }))
        {
            await store.SaveModelAsync(LearnedRanker.Train(examples));
        }

        // Act
        var run = await CliRunner.RunAsync(["digest", "--source", "snapshot", "--scorer", "learned", "--format", "json", "--out", OutDir, "--store", StorePath]);

        // Assert
        run.ExitCode.Should().Be(ExitCodes.Success, run.Stderr);
        run.Stderr.Should().Contain("scorer: learned (the store's model, offline)");
        Summary(run.Stderr).Selected.Should().BeGreaterThan(0);
        Chat.RequestCount.Should().Be(0);
    }

    [Fact]
    public async Task Digest_PrescreenWithoutModel_SaysSoAndScoresEverythingWithTheModel()
    {
        var run = await RunLlmAsync("--prescreen", "0.35");

        run.ExitCode.Should().Be(ExitCodes.Success, run.Stderr);
        run.Stderr.Should().Contain("pre-screen: off, the store has no learned model yet");
        var summary = Summary(run.Stderr);
        int sentToModel = Chat.Requests.Where(r => !r.IsTitleScreen).SelectMany(r => r.PaperIds).Distinct().Count();
        sentToModel.Should().Be(summary.Kept - summary.RuleMatches);
    }

    [Fact]
    public async Task Digest_BatchApiStillRunning_ExitsFiveWritesNothingAndTheNextRunCollectsTheSameBatch()
    {
        Chat.BatchPollsUntilDone = 1_000_000;

        var pending = await RunLlmAsync("--batch-api", "--batch-poll-seconds", "1", "--max-wait", "0");

        pending.ExitCode.Should().Be(ExitCodes.BatchPending, pending.Stderr);
        pending.Stderr.Should().Contain("batch pending").And.Contain("Batch API");
        Directory.Exists(OutDir).Should().BeFalse("nothing is rendered while the batch is pending");
        Chat.Batches.Should().ContainSingle();

        Chat.BatchPollsUntilDone = 0;
        var collected = await RunLlmAsync("--batch-api", "--batch-poll-seconds", "1", "--max-wait", "60");

        collected.ExitCode.Should().Be(ExitCodes.Success, collected.Stderr);
        var summary = Summary(collected.Stderr);
        summary.Unscored.Should().Be(0);
        Chat.Batches.Should().ContainSingle("the second run collected the first batch instead of submitting the papers again");
        Chat.Batches[0].Metadata.Should().ContainKey("arxivrank_job").And.ContainKey("run");
        File.Exists(Path.Combine(OutDir, "2025-02-26.json")).Should().BeTrue();
    }

    private Task<CliRun> RunLlmAsync(params string[] extra)
        => CliRunner.RunAsync(
            ["digest", "--config", ConfigPath, "--base-url", Arxiv.BaseUrl.ToString(), "--llm-base-url", Chat.BaseUri.ToString(), "--out", OutDir, "--store", StorePath, "--batch-size", "10", .. extra],
            environment: Env);

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static (int Kept, int Scored, int FromCache, int Unscored, int Selected, int RuleMatches) Summary(string stderr)
    {
        var m = SummaryLine().Match(stderr);
        m.Success.Should().BeTrue(stderr);
        return (int.Parse(m.Groups["kept"].Value), int.Parse(m.Groups["scored"].Value), int.Parse(m.Groups["cache"].Value), int.Parse(m.Groups["unscored"].Value), int.Parse(m.Groups["selected"].Value), 0);
    }

    [GeneratedRegex(@"(?<kept>\d+) kept; (?<scored>\d+) scored \((?<cache>\d+) from the cache\), (?<unscored>\d+) unscored; (?<selected>\d+) selected")]
    private static partial Regex SummaryLine();
}
