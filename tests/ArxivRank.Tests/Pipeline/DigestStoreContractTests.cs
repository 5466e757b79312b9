using System.Text.Json;
using ArxivRank.Pipeline;
using ArxivRank.Rendering;
using ArxivRank.Scoring;

namespace ArxivRank.Tests.Pipeline;

/// <summary>What every <see cref="IDigestStore"/> + <see cref="IScoreCache"/> must do; each store runs these.</summary>
public abstract class DigestStoreContractTests
{
    protected static readonly DateOnly Day1 = new(2025, 6, 2);
    protected static readonly DateOnly Day2 = new(2025, 6, 3);
    protected static readonly DateOnly Day3 = new(2025, 7, 1);

    protected abstract IDigestStore CreateStore();

    [Fact]
    public async Task NewStore_HasNoHistory()
    {
        var store = CreateStore();

        (await store.GetLastProcessedAsync()).Should().BeNull();
        (await store.IsProcessedAsync(Day1)).Should().BeFalse();
        (await store.GetHistoryAsync()).Should().BeEmpty();
        (await store.GetNavigationAsync(Day1)).Should().Be(new DigestNavigation());
        (await store.LoadDigestJsonAsync(Day1)).Should().BeNull();
        (await store.GetSeenBeforeAsync(Day1, [ArxivId.Parse("2506.00001")])).Should().BeEmpty();
    }

    [Fact]
    public async Task MarkProcessedAsync_SeveralDays_KeepsHistoryInDayOrderWithNavigation()
    {
        // Arrange
        var store = CreateStore();

        // Act: recorded out of order.
        await store.MarkProcessedAsync(Record(Day3, selected: 3));
        await store.MarkProcessedAsync(Record(Day1, selected: 1));
        await store.MarkProcessedAsync(Record(Day2, selected: 2));

        // Assert
        (await store.GetLastProcessedAsync()).Should().Be(Day3);
        (await store.IsProcessedAsync(Day2)).Should().BeTrue();
        (await store.GetHistoryAsync()).Select(h => (h.Date, h.SelectedPapers)).Should().Equal((Day1, 1), (Day2, 2), (Day3, 3));
        (await store.GetMonthAsync(2025, 6)).Select(h => h.Date).Should().Equal(Day1, Day2);
        (await store.GetHistoryAsync(from: Day2)).Select(h => h.Date).Should().Equal(Day2, Day3);
        (await store.GetNavigationAsync(Day2)).Should().Be(new DigestNavigation { Previous = Day1, Next = Day3 });
        (await store.GetNavigationAsync(new DateOnly(2025, 6, 20))).Should().Be(new DigestNavigation { Previous = Day2, Next = Day3 });
    }

    [Fact]
    public async Task MarkProcessedAsync_Summary_RoundTripsEveryCount()
    {
        var store = CreateStore();
        var at = new DateTimeOffset(2025, 6, 2, 13, 5, 7, TimeSpan.Zero);

        await store.MarkProcessedAsync(new DigestRecord { Date = Day1, TotalPapers = 625, ScannedPapers = 384, SelectedPapers = 37, ProcessedAt = at });

        (await store.GetHistoryAsync()).Should().Equal(new DigestSummary(Day1, 625, 384, 37, at));
    }

    [Fact]
    public async Task GetSeenBeforeAsync_CountsOnlyEarlierDaysWhateverTheVersion()
    {
        // Arrange
        var store = CreateStore();
        await store.MarkProcessedAsync(Record(Day1, ids: ["2506.00001v1", "2506.00002"]));
        await store.MarkProcessedAsync(Record(Day2, ids: ["2506.00003v1"]));
        var asked = new[] { ArxivId.Parse("2506.00001v2"), ArxivId.Parse("2506.00002v1"), ArxivId.Parse("2506.00003v1"), ArxivId.Parse("2506.00004") };

        // Act
        var onDay2 = await store.GetSeenBeforeAsync(Day2, asked);
        var onDay1 = await store.GetSeenBeforeAsync(Day1, asked);

        // Assert
        onDay2.Should().BeEquivalentTo([ArxivId.Parse("2506.00001"), ArxivId.Parse("2506.00002")]);
        onDay1.Should().BeEmpty("a day's own papers are not seen before it");
    }

    [Fact]
    public async Task MarkProcessedAsync_SameDayAgain_ReplacesItsRecord()
    {
        // Arrange
        var store = CreateStore();
        await store.MarkProcessedAsync(Record(Day1, ids: ["2506.00001"], selected: 5, json: "{\"old\":1}"));

        // Act
        await store.MarkProcessedAsync(Record(Day1, ids: ["2506.00002"], selected: 6, json: "{\"new\":1}"));

        // Assert
        (await store.GetHistoryAsync()).Should().ContainSingle().Which.SelectedPapers.Should().Be(6);
        (await store.LoadDigestJsonAsync(Day1)).Should().Be("{\"new\":1}");
        (await store.GetSeenBeforeAsync(Day2, [ArxivId.Parse("2506.00001"), ArxivId.Parse("2506.00002")]))
            .Should().BeEquivalentTo([ArxivId.Parse("2506.00002")]);
    }

    [Fact]
    public async Task GetSeenBeforeAsync_ManyIds_FindsThemAll()
    {
        var store = CreateStore();
        var ids = Enumerable.Range(1, 2000).Select(i => $"2506.{i:00000}").ToArray();
        await store.MarkProcessedAsync(Record(Day1, ids: ids));

        var seen = await store.GetSeenBeforeAsync(Day2, [.. ids.Select(ArxivId.Parse)]);

        seen.Should().HaveCount(2000);
    }

    [Fact]
    public async Task ScoreCache_SetThenGet_RoundTripsEveryField()
    {
        // Arrange
        var cache = (IScoreCache)CreateStore();
        var key = new ScoreCacheKey(ArxivId.Parse("2502.18435v1"), "hash", "gpt-4o");
        var score = new PaperScore
        {
            PaperId = ArxivId.Parse("2502.18435"),
            Relevance = 9,
            Novelty = 8,
            Score = 0.8125,
            Comment = "Matches criterion 2: alignment — \"DPO\" ✓",
            Origin = ScoreOrigin.Scored,
            ScoredBy = "gpt-4o",
            ExtraProperties = new Dictionary<string, JsonElement> { ["confidence"] = JsonDocument.Parse("0.9").RootElement },
        };

        // Act
        await cache.SetManyAsync([new(key, score)]);
        var found = await cache.GetManyAsync([key, key with { ModelId = "other" }]);

        // Assert
        found.Should().ContainSingle();
        found[key].Should().BeEquivalentTo(score, o => o.Excluding(s => s.ExtraProperties));
        found[key].ExtraProperties!["confidence"].GetDouble().Should().Be(0.9);
    }

    [Fact]
    public async Task ScoreCache_KeysDifferingInVersionHashOrModel_AreDistinct()
    {
        // Arrange
        var cache = (IScoreCache)CreateStore();
        var key = new ScoreCacheKey(ArxivId.Parse("2502.18435v1"), "h1", "m1");
        var others = new[] { key with { PaperId = ArxivId.Parse("2502.18435v2") }, key with { PaperId = ArxivId.Parse("2502.18435") }, key with { CriteriaHash = "h2" }, key with { ModelId = "m2" } };
        await cache.SetManyAsync([new(key, new PaperScore { PaperId = key.PaperId, Relevance = 1 })]);

        // Act
        var found = await cache.GetManyAsync(others);

        // Assert
        found.Should().BeEmpty();
    }

    [Fact]
    public async Task ScoreCache_SameKeyAgain_ReplacesTheScore()
    {
        var cache = (IScoreCache)CreateStore();
        var key = new ScoreCacheKey(ArxivId.Parse("2502.18435v1"), "h", "m");

        await cache.SetManyAsync([new(key, new PaperScore { PaperId = key.PaperId, Relevance = 1 })]);
        await cache.SetManyAsync([new(key, new PaperScore { PaperId = key.PaperId, Relevance = 7, Origin = ScoreOrigin.KeywordRule })]);

        var found = await cache.GetManyAsync([key]);
        found[key].Relevance.Should().Be(7);
        found[key].Origin.Should().Be(ScoreOrigin.KeywordRule);
    }

    [Fact]
    public async Task ScoreCache_EmptyRequests_DoNothing()
    {
        var cache = (IScoreCache)CreateStore();

        await cache.SetManyAsync([]);
        (await cache.GetManyAsync([])).Should().BeEmpty();
    }

    protected static DigestRecord Record(DateOnly day, string[]? ids = null, int selected = 0, string? json = null) => new()
    {
        Date = day,
        SeenPaperIds = [.. (ids ?? []).Select(ArxivId.Parse)],
        TotalPapers = 10,
        ScannedPapers = 8,
        SelectedPapers = selected,
        ProcessedAt = new DateTimeOffset(day.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero),
        DigestJson = json,
    };
}

/// <summary>
/// The store contract plus <see cref="IBatchJobStore"/> (Batch API jobs): the in-memory, SQLite and PostgreSQL stores run these.
/// </summary>
public abstract class BatchJobStoreContractTests : DigestStoreContractTests
{
    [Fact]
    public async Task BatchJobs_SavedAndUpdated_AreListedOpenUntilCollected()
    {
        var store = (IBatchJobStore)CreateStore();
        var job = new BatchJobRecord
        {
            JobId = "ar-1",
            ModelId = "gpt-4o",
            CriteriaHash = "h1",
            Requests = new Dictionary<string, IReadOnlyList<string>> { ["ar-1-0"] = ["2506.00001v1", "2506.00002v2"], ["ar-1-1"] = ["2506.00003v1"] },
            CreatedAt = new DateTimeOffset(2025, 6, 2, 7, 0, 0, TimeSpan.Zero),
            Metadata = new Dictionary<string, string> { ["day"] = "2025-06-02", ["arxivrank_job"] = "ar-1" },
        };

        await store.SaveBatchJobAsync(job);
        await store.SaveBatchJobAsync(job with { JobId = "ar-2", ModelId = "gpt-4o-mini" });
        await store.SaveBatchJobAsync(job with { State = BatchJobState.Submitted, InputFileId = "file-1", BatchId = "batch_1" });

        var open = (await store.GetOpenBatchJobsAsync("gpt-4o", "h1")).Should().ContainSingle().Subject;
        open.State.Should().Be(BatchJobState.Submitted);
        open.InputFileId.Should().Be("file-1");
        open.BatchId.Should().Be("batch_1");
        open.Requests["ar-1-0"].Should().Equal("2506.00001v1", "2506.00002v2");
        open.Metadata.Should().Contain("day", "2025-06-02");
        open.CreatedAt.Should().Be(job.CreatedAt);
        (await store.GetOpenBatchJobsAsync("gpt-4o", "other-hash")).Should().BeEmpty();

        await store.SaveBatchJobAsync(open with { State = BatchJobState.Collected });
        (await store.GetOpenBatchJobsAsync("gpt-4o", "h1")).Should().BeEmpty();
    }
}

public sealed class InMemoryArxivRankStoreTests : BatchJobStoreContractTests
{
    protected override IDigestStore CreateStore() => new InMemoryArxivRankStore();
}
