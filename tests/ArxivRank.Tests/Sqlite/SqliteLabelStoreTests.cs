using System.Globalization;
using ArxivRank.Ranking;
using ArxivRank.Scoring;
using ArxivRank.Sqlite;
using ArxivRank.Tests.Ranking;

namespace ArxivRank.Tests.Sqlite;

public sealed class SqliteLabelStoreContractTests : LabelStoreContractTests, IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly List<SqliteArxivRankStore> _stores = [];

    public void Dispose()
    {
        _stores.ForEach(s => s.Dispose());
        _folder.Dispose();
    }

    protected override ILabelStore CreateStore()
    {
        var store = new SqliteArxivRankStore(new SqliteStoreOptions { Path = _folder.File($"labels-{_stores.Count}.db") }, Time);
        _stores.Add(store);
        return store;
    }
}

public sealed class SqliteLabelStoreMigrationTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly List<SqliteArxivRankStore> _stores = [];

    public void Dispose()
    {
        _stores.ForEach(s => s.Dispose());
        _folder.Dispose();
    }

    [Fact]
    public async Task InitializeAsync_FileAtSchemaV2_MigratesToV3KeepingEveryRow()
    {
        // Arrange: a store written before the learned ranker.
        string path = await WriteV2FileAsync();
        var store = Open(path);

        // Act
        await store.InitializeAsync();

        // Assert: old rows kept, new tables empty and usable.
        (await store.GetSchemaVersionAsync()).Should().Be(SqliteArxivRankStore.LatestSchemaVersion);
        TempFolder.Query(path, "SELECT group_concat(version) FROM schema_version;").Should().Be(string.Join(",", Enumerable.Range(1, SqliteArxivRankStore.LatestSchemaVersion)));
        (await store.GetHistoryAsync()).Select(h => (h.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), h.ScannedPapers))
            .Should().Equal(("2025-02-25", 0), ("2025-02-26", 0), ("2025-03-03", 402));
        (await store.LoadDigestJsonAsync(new DateOnly(2025, 3, 3))).Should().Be("""{"date":"2025-03-03"}""");
        var key = new ScoreCacheKey(ArxivId.Parse("2502.18377v1"), "criteria-v1", "gpt-4o");
        (await store.GetManyAsync([key]))[key].Relevance.Should().Be(9);
        (await store.GetJudgmentsAsync()).Should().BeEmpty();
        (await store.LoadModelAsync()).Should().BeNull();
        await store.RecordFeedbackAsync(ArxivId.Parse("2502.18377"), Feedback.Like);
        (await store.GetFeedbackAsync()).Should().ContainSingle();
        TempFolder.Query(path, "PRAGMA integrity_check;").Should().Be("ok");
    }

    [Fact]
    public async Task LoadModelAsync_ModelSavedInMigratedFile_SurvivesReopeningByANewStore()
    {
        // Arrange: migrate a v2 file, keep history and a model in it.
        string path = await WriteV2FileAsync();
        var ranker = LearnedRanker.Train(SyntheticPapers.Create(200, seed: 11));
        var first = Open(path);
        await first.RecordJudgmentsAsync(LabelStoreContractTests.History(days: 2, perDay: 5, selectedPerDay: 1));
        await first.SaveModelAsync(ranker);
        first.Dispose();

        // Act: another process (a new store) opens the file and checks its schema again.
        var second = Open(path);
        var loaded = await second.LoadModelAsync();

        // Assert
        var probe = SyntheticPapers.GraphPaper(4242);
        loaded!.PredictProbability(probe).Should().Be(ranker.PredictProbability(probe));
        (await second.GetJudgmentsAsync()).Should().HaveCount(10);
        (await second.GetSchemaVersionAsync()).Should().Be(SqliteArxivRankStore.LatestSchemaVersion);
    }

    [Fact]
    public async Task LoadModelAsync_DamagedModelRow_ThrowsLearnedRankerException()
    {
        string path = _folder.File("damaged.db");
        var store = Open(path);
        await store.SaveModelAsync(LearnedRanker.Train(SyntheticPapers.Create(100, seed: 2)));
        TempFolder.Query(path, "UPDATE learned_models SET model_json = '{\"formatVersion\": 99}';");

        var act = async () => await store.LoadModelAsync();

        (await act.Should().ThrowAsync<LearnedRankerException>()).Which.UnsupportedFormatVersion.Should().Be(99);
    }

    private async Task<string> WriteV2FileAsync()
    {
        string path = _folder.File("v2.db");
        Directory.CreateDirectory(_folder.Path);
        TempFolder.Query(path, await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "Sqlite", "v2-store.sql")));
        return path;
    }

    private SqliteArxivRankStore Open(string path)
    {
        var store = new SqliteArxivRankStore(new SqliteStoreOptions { Path = path });
        _stores.Add(store);
        return store;
    }
}
