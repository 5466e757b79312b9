using System.Text.Json;
using ArxivRank.Cli;
using ArxivRank.Tests.EndToEnd;
using ArxivRank.Tests.Sqlite;
using ArxivRank.TestUtilities.Arxiv;
using ArxivRank.TestUtilities.Chat;

namespace ArxivRank.Tests.Reliability;

/// <summary>
/// <c>arxivrank digest</c> as a real child process, killed with SIGKILL at a known point (the loopback servers hold the
/// request it is waiting for; render and store stop on <c>ARXIVRANK_TEST_PAUSE_AT</c>), then checked and run again; and
/// two runs on one store at once.
/// </summary>
public sealed class CrashRecoveryTests() : LoopbackRunTest("arxivrank-crash-")
{
    private readonly TaskCompletionSource _paused = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Func<ChatCompletionsRequest, bool> _pauseAt = _ => false;

    protected override int ArxivTimeoutMs => 60000;

    protected override int LlmRetries => 2;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Chat.Handler = async request =>
        {
            if (_pauseAt(request))
            {
                _paused.TrySetResult();
                await _release.Task;
            }

            return Reply(request);
        };
    }

    public override async Task DisposeAsync()
    {
        _release.TrySetResult();
        await base.DisposeAsync();
    }

    [Theory]
    [InlineData("fetch")]
    [InlineData("title-screen")]
    [InlineData("score")]
    [InlineData("render")]
    [InlineData("store")]
    public async Task Digest_KilledAtAPoint_LeavesASoundStoreAndTheReRunCostsAtMostTheRequestInFlight(string point)
    {
        // Arrange: what an uninterrupted run selects and spends.
        var baseline = await CliProcess.RunAsync(Args("baseline"), Env);
        baseline.ExitCode.Should().Be(ExitCodes.Success, baseline.Stderr);
        var expected = Selection("baseline");
        int baselineRequests = Chat.RequestCount;
        Chat.Requests.Should().Contain(r => r.IsTitleScreen).And.Contain(r => !r.IsTitleScreen);

        // Act 1: the run, killed.
        int before = Chat.RequestCount;
        await KillAtAsync(point, "crashed");
        _release.TrySetResult();
        var killedRequests = Chat.Requests.Skip(before).ToList();
        string store = StorePath("crashed");

        // Assert 1: the store is sound (or was never created).
        if (point == "fetch")
        {
            File.Exists(store).Should().BeFalse("a run killed before it had anything to store creates no store");
            killedRequests.Should().BeEmpty();
        }
        else
        {
            TempFolder.Query(store, "PRAGMA integrity_check;").Should().Be("ok");
        }

        File.Exists(Path.Combine(OutDir("crashed"), "2025-02-26.json")).Should().Be(point == "store", "digest files appear only whole, after rendering");

        // Act 2: the re-run, right away (the dead run's lease is taken over at once).
        int beforeRerun = Chat.RequestCount;
        var rerun = await CliProcess.RunAsync(Args("crashed"), Env);
        var rerunRequests = Chat.Requests.Skip(beforeRerun).ToList();

        // Assert 2: the same digest, and nothing paid twice but the request in flight.
        rerun.ExitCode.Should().Be(ExitCodes.Success, rerun.Stderr);
        Selection("crashed").Should().Equal(expected);
        (killedRequests.Count + rerunRequests.Count).Should().BeLessThanOrEqualTo(baselineRequests + 1, "a kill and a re-run cost at most the one request in flight (concurrency 1)");
        var answeredBeforeKill = killedRequests.SkipLast(1).SelectMany(r => r.PaperIds.Select(id => (r.IsTitleScreen, id))).ToHashSet();
        rerunRequests.SelectMany(r => r.PaperIds.Select(id => (r.IsTitleScreen, id))).Should().NotIntersectWith(answeredBeforeKill, "answered requests were committed");
        if (point is "render" or "store")
        {
            rerunRequests.Should().BeEmpty("every score was in the store");
        }

        TempFolder.Query(store, "PRAGMA integrity_check;").Should().Be("ok");
    }

    [Fact]
    public async Task Digest_TwoRunsAtOnceOnOneStore_MakeOneDigestWithOneRunsModelCalls()
    {
        var baseline = await CliProcess.RunAsync(Args("baseline"), Env);
        baseline.ExitCode.Should().Be(ExitCodes.Success, baseline.Stderr);
        int oneRun = Chat.RequestCount;

        using var first = CliProcess.Start(Args("shared", "--wait", "120"), Env);
        using var second = CliProcess.Start(Args("shared", "--wait", "120"), Env);
        await Task.WhenAll(first.WaitForExitAsync(TimeSpan.FromMinutes(2)), second.WaitForExitAsync(TimeSpan.FromMinutes(2)));

        new[] { first.ExitCode, second.ExitCode }.Should().BeEquivalentTo([ExitCodes.Success, ExitCodes.NoNewAnnouncement], first.Stderr + second.Stderr);
        (Chat.RequestCount - oneRun).Should().Be(oneRun, "the second run waited for the first and found the day processed");
        Selection("shared").Should().Equal(Selection("baseline"));
    }

    [Fact]
    public async Task Digest_SecondRunWhileTheFirstHoldsTheStore_Exits6NamingTheHolder()
    {
        int scoring = 0;
        _pauseAt = r => !r.IsTitleScreen && Interlocked.Increment(ref scoring) == 1;
        using var first = CliProcess.Start(Args("shared"), Env);
        await _paused.Task.WaitAsync(TimeSpan.FromMinutes(1));

        var second = await CliProcess.RunAsync(Args("shared"), Env);
        _release.TrySetResult();
        await first.WaitForExitAsync(TimeSpan.FromMinutes(2));

        second.ExitCode.Should().Be(ExitCodes.StoreBusy, second.Stderr);
        second.Stderr.Should().Contain($"process {first.Id} on {Environment.MachineName}").And.Contain("--wait");
        first.ExitCode.Should().Be(ExitCodes.Success, first.Stderr);
        Chat.Requests.Count(r => !r.IsTitleScreen).Should().Be(scoring, "the second run called no model");
    }

    private async Task KillAtAsync(string point, string name)
    {
        var env = Env;
        int screens = 0, scorings = 0;
        switch (point)
        {
            case "fetch":
                Arxiv.Enqueue(ArxivEndpoint.Rss, ArxivFault.Hang());
                break;
            case "title-screen":
                _pauseAt = r => r.IsTitleScreen && Interlocked.Increment(ref screens) == 2;
                break;
            case "score":
                _pauseAt = r => !r.IsTitleScreen && Interlocked.Increment(ref scorings) == 3;
                break;
            default:
                env[ArxivRank.Cli.Daily.PlainProgress.PauseVariable] = point;
                break;
        }

        using var run = CliProcess.Start(Args(name), env);
        switch (point)
        {
            case "fetch":
                await WaitUntilAsync(() => Arxiv.HangingRequests == 1);
                break;
            case "title-screen":
                await _paused.Task.WaitAsync(TimeSpan.FromMinutes(1));
                await WaitUntilAsync(() => Count(StorePath(name), "model_id LIKE '%|title-screen' OR comment LIKE 'Title screen:%'") >= 100);
                break;
            case "score":
                await _paused.Task.WaitAsync(TimeSpan.FromMinutes(1));
                await WaitUntilAsync(() => Count(StorePath(name), "model_id NOT LIKE '%|title-screen' AND comment NOT LIKE 'Title screen:%'") >= 20);
                break;
            default:
                await run.WaitForStderrAsync("paused at " + point);
                break;
        }

        await run.KillAsync();
    }

    private static long Count(string store, string where)
        => File.Exists(store) ? (long)TempFolder.Query(store, "SELECT count(*) FROM score_cache WHERE " + where + ";")! : 0;

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    private string StorePath(string name) => Path.Combine(Root, name + ".db");

    private string OutDir(string name) => Path.Combine(Root, name);

    private List<string> Args(string name, params string[] extra)
        => ["digest", "--config", ConfigPath, "--base-url", Arxiv.BaseUrl.ToString(), "--llm-base-url", Chat.BaseUri.ToString(), "--out", OutDir(name), "--store", StorePath(name), "--batch-size", "10", "--concurrency", "1", "--no-auto-train", .. extra];

    private List<string> Selection(string name)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(OutDir(name), "2025-02-26.json")));
        return [.. json.RootElement.GetProperty("papers").EnumerateArray().Select(p => p.GetProperty("paper").GetProperty("id").GetString()!)];
    }

    /// <summary>A deterministic model: the title screen drops papers whose id ends in 3 or 7; the abstract pass scores the rest.</summary>
    private static ChatCompletionsReply Reply(ChatCompletionsRequest request)
        => request.IsTitleScreen
            ? ChatCompletionsReply.Completion(string.Join('\n', request.PaperIds.Where(id => id.EndsWith('3') || id.EndsWith('7'))) is { Length: > 0 } dropped ? dropped : "NONE")
            : ChatCompletionsServer.DefaultReply(request);
}
