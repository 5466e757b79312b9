using ArxivRank.OpenAI;
using ArxivRank.Pipeline;
using ArxivRank.Scoring;
using ArxivRank.TestUtilities.Chat;
using Microsoft.Extensions.AI;

namespace ArxivRank.Tests.Scoring;

/// <summary>The LLM scorer through an OpenAI-compatible Batch API (<c>/v1/files</c> + <c>/v1/batches</c>) on 127.0.0.1.</summary>
public sealed class BatchApiScorerTests : IAsyncLifetime
{
    private ChatCompletionsServer _server = null!;
    private IChatClient _chat = null!;
    private IChatBatchClient _batch = null!;

    public async Task InitializeAsync()
    {
        _server = await ChatCompletionsServer.StartAsync();
        var options = new OpenAIChatClientOptions { Endpoint = _server.BaseUri, ApiKey = "sk-test", Model = "gpt-4o", MaxRetryAttempts = 0 };
        _chat = OpenAIChatClientFactory.Create(options);
        _batch = OpenAIChatClientFactory.CreateBatchClient(options);
    }

    public async Task DisposeAsync()
    {
        _chat.Dispose();
        ((IDisposable)_batch).Dispose();
        await _server.DisposeAsync();
    }

    private static LlmScorerOptions Options => new() { ModelId = "gpt-4o", BatchSize = 10, TitleScreen = false };

    private static BatchApiOptions Fast(BatchFallback fallback = BatchFallback.Sync, TimeSpan? maxWait = null) => new()
    {
        PollInterval = TimeSpan.FromMilliseconds(10),
        MaxPollInterval = TimeSpan.FromMilliseconds(40),
        MaxWait = maxWait ?? TimeSpan.FromSeconds(30),
        Fallback = fallback,
        Metadata = { ["day"] = "2025-07-08", ["run"] = "test" },
    };

    private IPaperScorer Scorer(BatchApiOptions options, IBatchJobStore? store = null, IScoreCache? cache = null)
        => _chat.AsBatchPaperScorer(_batch, ScoringFixtures.Criteria, Options, options, store, cache);

    [Fact]
    public async Task ScoreAsync_BatchCompletes_ScoresEveryPaperFromOneBatchAtTheBatchPrice()
    {
        var papers = ScoringFixtures.Papers(25);

        var result = await Scorer(Fast()).ScoreAsync(papers);

        result.Unscored.Should().BeEmpty();
        result.Scores.Select(s => (s.Relevance!.Value, s.Novelty!.Value)).Should().Equal(papers.Select(p => FakeScoringModel.ScoresFor(p.Id.Id)));
        var batch = _server.Batches.Should().ContainSingle().Subject;
        batch.CustomIds.Should().HaveCount(3);
        batch.Metadata.Should().Contain("day", "2025-07-08").And.ContainKey(LlmPaperScorer.JobMetadataKey);
        _server.Requests.Should().OnlyContain(r => r.Path == "/v1/chat/completions").And.HaveCount(3, "the three lines ran inside the batch, no synchronous call was made");
        var usage = result.Usage.Single();
        usage.Requests.Should().Be(3);
        usage.TotalCost.Should().Be(PricingTable.Default.PriceBatch(usage).TotalCost).And.BeLessThan(PricingTable.Default.Price(usage).TotalCost!.Value);
    }

    [Fact]
    public async Task ScoreAsync_FailedLinesAndExpiredBatch_AreReaskedSynchronouslyAndNothingIsDropped()
    {
        _server.BatchFinalStatus = "expired";
        _server.BatchLineFails = id => id.EndsWith("-0", StringComparison.Ordinal);
        var papers = ScoringFixtures.Papers(40);

        var result = await Scorer(Fast()).ScoreAsync(papers);

        result.Unscored.Should().BeEmpty();
        result.Scores.Should().HaveCount(40);
        int batchLines = _server.Batches.Single().Completed;
        batchLines.Should().Be(1, "of four lines, two ran before the batch expired and one of those failed");
        _server.Requests.Count(r => r.Index >= 0).Should().Be(1 + 3, "one batch line ran; the three other requests' papers were asked synchronously");
    }

    [Fact]
    public async Task ScoreAsync_FallbackNone_LeavesUnansweredPapersUnscoredWithTheReason()
    {
        _server.BatchLineFails = id => id.EndsWith("-1", StringComparison.Ordinal);
        var papers = ScoringFixtures.Papers(50);

        var result = await Scorer(Fast(BatchFallback.None)).ScoreAsync(papers);

        result.Scores.Should().HaveCount(40);
        result.Unscored.Should().HaveCount(10).And.OnlyContain(u => u.Reason.Contains("the batch request failed (HTTP 500", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ScoreAsync_MaxWaitRunsOut_ThrowsPendingAndTheNextRunCollectsTheSameBatch()
    {
        var store = new InMemoryArxivRankStore();
        _server.BatchPollsUntilDone = 1_000_000;
        var papers = ScoringFixtures.Papers(15);

        var pending = await FluentActions.Awaiting(() => Scorer(Fast(maxWait: TimeSpan.FromMilliseconds(50)), store, store).ScoreAsync(papers))
            .Should().ThrowAsync<BatchPendingException>();
        pending.Which.PendingPapers.Should().Be(15);
        pending.Which.BatchIds.Should().Equal(_server.Batches.Single().Id);
        pending.Which.Message.Should().Contain("Run again later");

        _server.BatchPollsUntilDone = 0;
        var result = await Scorer(Fast(), store, store).ScoreAsync(papers);

        result.Unscored.Should().BeEmpty();
        result.Scores.Should().HaveCount(15);
        _server.Batches.Should().ContainSingle("the second run resumed the first batch instead of submitting the papers again");
        _server.UploadCount.Should().Be(2, "one input file, one output file");
        (await store.GetOpenBatchJobsAsync("gpt-4o", ((IScorerFingerprint)Scorer(Fast())).CriteriaHash)).Should().BeEmpty();
    }

    [Fact]
    public async Task ScoreAsync_KilledBeforeTheBatchIdWasSaved_FindsTheBatchAgainThroughItsMetadata()
    {
        var store = new InMemoryArxivRankStore();
        var killing = new KillAtState(store, BatchJobState.Submitted);
        var papers = ScoringFixtures.Papers(12);

        await FluentActions.Awaiting(() => Scorer(Fast(), killing).ScoreAsync(papers)).Should().ThrowAsync<IOException>();
        _server.Batches.Should().ContainSingle();

        var result = await Scorer(Fast(), store).ScoreAsync(papers);

        result.Scores.Should().HaveCount(12);
        _server.Batches.Should().ContainSingle("the lost batch was found by its arxivrank_job metadata, not created again");
    }

    [Fact]
    public async Task ScoreAsync_SqliteStoreReopened_ResumesTheBatchOfTheEarlierProcess()
    {
        using var folder = new ArxivRank.Tests.Sqlite.TempFolder();
        var storeOptions = new ArxivRank.Sqlite.SqliteStoreOptions { Path = folder.File("store.db") };
        _server.BatchPollsUntilDone = 1_000_000;
        var papers = ScoringFixtures.Papers(15);
        using (var first = new ArxivRank.Sqlite.SqliteArxivRankStore(storeOptions))
        {
            await FluentActions.Awaiting(() => Scorer(Fast(maxWait: TimeSpan.Zero), first, first).ScoreAsync(papers)).Should().ThrowAsync<BatchPendingException>();
        }

        _server.BatchPollsUntilDone = 0;
        using var second = new ArxivRank.Sqlite.SqliteArxivRankStore(storeOptions);
        var result = await Scorer(Fast(), second, second).ScoreAsync(papers);

        result.Scores.Should().HaveCount(15);
        _server.Batches.Should().ContainSingle();
        (await second.GetManyAsync([.. papers.Select(p => new ScoreCacheKey(p.Id, ((IScorerFingerprint)Scorer(Fast())).CriteriaHash, "gpt-4o"))])).Should().HaveCount(15, "collected answers are cached");
    }

    [Fact]
    public async Task ChatClient_DeepSeekUsage_ReadsPromptCacheHitTokens()
    {
        _server.DeepSeekUsage = true;
        _server.Handler = _ => ValueTask.FromResult(ChatCompletionsReply.Completion("NONE", usage: new ChatCompletionsUsage(2000, 10, CachedTokens: 1536)));

        var response = await _chat.GetResponseAsync("hello");

        response.Usage!.InputTokenCount.Should().Be(2000);
        response.Usage.CachedInputTokenCount.Should().Be(1536);
    }

    /// <summary>A store that "kills" the run (throws) when asked to save a job in the given state.</summary>
    private sealed class KillAtState(IBatchJobStore inner, BatchJobState state) : IBatchJobStore
    {
        public ValueTask SaveBatchJobAsync(BatchJobRecord job, CancellationToken cancellationToken = default)
            => job.State == state ? throw new IOException("killed") : inner.SaveBatchJobAsync(job, cancellationToken);

        public ValueTask<IReadOnlyList<BatchJobRecord>> GetOpenBatchJobsAsync(string modelId, string criteriaHash, CancellationToken cancellationToken = default)
            => inner.GetOpenBatchJobsAsync(modelId, criteriaHash, cancellationToken);
    }
}
