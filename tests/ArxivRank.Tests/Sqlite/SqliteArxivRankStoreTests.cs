using System.Globalization;
using ArxivRank.Pipeline;
using ArxivRank.Rendering;
using ArxivRank.Scoring;
using ArxivRank.Sqlite;
using ArxivRank.Tests.Pipeline;
using ArxivRank.TestUtilities.Pipeline;
using Microsoft.Data.Sqlite;

namespace ArxivRank.Tests.Sqlite;

/// <summary>A folder under the temp directory, removed (with its SQLite files) when disposed.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "arxivrank-tests", Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public static object? Query(string file, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}

public sealed class SqliteArxivRankStoreContractTests : BatchJobStoreContractTests, IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly List<SqliteArxivRankStore> _stores = [];

    public void Dispose()
    {
        _stores.ForEach(s => s.Dispose());
        _folder.Dispose();
    }

    protected override IDigestStore CreateStore()
    {
        var store = new SqliteArxivRankStore(new SqliteStoreOptions { Path = _folder.File($"store-{_stores.Count}.db") });
        _stores.Add(store);
        return store;
    }
}

public sealed class SqliteArxivRankStoreTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly List<SqliteArxivRankStore> _stores = [];

    public void Dispose()
    {
        _stores.ForEach(s => s.Dispose());
        _folder.Dispose();
    }

    [Fact]
    public void DefaultPath_IsInTheUsersLocalDataFolder()
    {
        string expected = Path.Combine(
            Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "arxivrank", "arxivrank.db");

        SqliteArxivRankStore.DefaultPath.Should().Be(expected);
    }

    [Fact]
    public async Task InitializeAsync_NewFile_CreatesFolderAndLatestSchemaInWalMode()
    {
        // Arrange
        string path = _folder.File("nested/deeper/arxivrank.db");
        var store = Open(path);

        // Act
        await store.InitializeAsync();

        // Assert
        File.Exists(path).Should().BeTrue();
        store.Path.Should().Be(Path.GetFullPath(path));
        (await store.GetSchemaVersionAsync()).Should().Be(SqliteArxivRankStore.LatestSchemaVersion);
        TempFolder.Query(path, "PRAGMA journal_mode;").Should().Be("wal");
        TempFolder.Query(path, "SELECT group_concat(version) FROM schema_version;").Should().Be(string.Join(",", ArxivRank.Sqlite.SchemaMigrations.All.Select(m => m.Version)));
    }

    [Fact]
    public async Task InitializeAsync_FileAtSchemaV1_MigratesItKeepingEveryRow()
    {
        // Arrange: a store the first release wrote.
        string path = _folder.File("v1.db");
        Directory.CreateDirectory(_folder.Path);
        TempFolder.Query(path, await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "Sqlite", "v1-store.sql")));
        var store = Open(path);

        // Act
        await store.InitializeAsync();

        // Assert: the old rows are there, read through the new schema.
        (await store.GetSchemaVersionAsync()).Should().Be(SqliteArxivRankStore.LatestSchemaVersion);
        (await store.GetHistoryAsync()).Select(h => (h.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), h.TotalPapers, h.ScannedPapers, h.SelectedPapers))
            .Should().Equal(("2025-02-25", 610, 0, 35), ("2025-02-26", 625, 0, 37));
        (await store.GetSeenBeforeAsync(new DateOnly(2025, 2, 26), [ArxivId.Parse("2502.17578"), ArxivId.Parse("2502.18435")]))
            .Should().BeEquivalentTo([ArxivId.Parse("2502.17578")]);
        var key = new ScoreCacheKey(ArxivId.Parse("2502.18377v1"), "criteria-v1", "gpt-4o");
        var cached = await store.GetManyAsync([key]);
        cached[key].Should().BeEquivalentTo(new PaperScore
        {
            PaperId = ArxivId.Parse("2502.18377"),
            Relevance = 9,
            Novelty = 9,
            Comment = "Mechanistic PDE networks for discovering governing equations.",
            ScoredBy = "gpt-4o",
        });
        (await store.LoadDigestJsonAsync(new DateOnly(2025, 2, 26))).Should().BeNull();

        // ...and what v2 added works on the migrated file.
        await store.MarkProcessedAsync(new DigestRecord { Date = new DateOnly(2025, 2, 27), ScannedPapers = 400, DigestJson = "{}" });
        (await store.LoadDigestJsonAsync(new DateOnly(2025, 2, 27))).Should().Be("{}");
        TempFolder.Query(path, "PRAGMA integrity_check;").Should().Be("ok");
    }

    [Fact]
    public async Task InitializeAsync_SchemaFromANewerVersion_ThrowsSayingToUpgrade()
    {
        // Arrange
        string path = _folder.File("newer.db");
        await Open(path).InitializeAsync();
        TempFolder.Query(path, "INSERT INTO schema_version VALUES (99, '2030-01-01');");

        // Act
        var act = () => Open(path).InitializeAsync();

        // Assert
        var thrown = await act.Should().ThrowAsync<DigestStoreException>().WithMessage("*schema v99*newer ArxivRank*upgrade*");
        thrown.Which.Location.Should().Be(Path.GetFullPath(path));
    }

    [Fact]
    public async Task InitializeAsync_FileIsNotADatabase_ThrowsSayingWhatToDo()
    {
        // Arrange
        string path = _folder.File("notes.db");
        Directory.CreateDirectory(_folder.Path);
        await File.WriteAllTextAsync(path, new string('x', 4096));

        // Act
        var act = async () => await Open(path).GetLastProcessedAsync();

        // Assert
        var thrown = await act.Should().ThrowAsync<DigestStoreException>().WithMessage("*not an ArxivRank store*another path*");
        thrown.Which.InnerException.Should().BeOfType<SqliteException>();
        (await File.ReadAllTextAsync(path)).Should().Be(new string('x', 4096), "a file that is not a store is never overwritten");
    }

    [Fact]
    public async Task InitializeAsync_SomeoneElsesSqliteDatabase_ThrowsAndLeavesItAlone()
    {
        // Arrange
        string path = _folder.File("shop.db");
        Directory.CreateDirectory(_folder.Path);
        TempFolder.Query(path, "CREATE TABLE customers (id INTEGER PRIMARY KEY);");

        // Act
        var act = () => Open(path).InitializeAsync();

        // Assert
        await act.Should().ThrowAsync<DigestStoreException>().WithMessage("*not an ArxivRank store*customers*");
        TempFolder.Query(path, "SELECT count(*) FROM sqlite_master WHERE type = 'table';").Should().Be(1L);
    }

    [Theory]
    [InlineData("BusyTimeout")]
    [InlineData("Path")]
    public void Constructor_InvalidOption_ThrowsNamingIt(string option)
    {
        var options = option == "Path" ? new SqliteStoreOptions { Path = "  " } : new SqliteStoreOptions { Path = "x.db", BusyTimeout = TimeSpan.Zero };

        var act = () => new SqliteArxivRankStore(options);

        act.Should().Throw<ArgumentException>().WithMessage($"*SqliteStoreOptions.{option}*");
    }

    [Fact]
    public async Task TwoStoresOnOneFile_WritingAtOnce_LoseNothing()
    {
        // Arrange: two stores on one file behave like two processes (separate connections, file locks).
        string path = _folder.File("shared.db");
        var a = Open(path);
        var b = Open(path);

        // Act: both initialize, cache scores and record days at the same time.
        async Task Work(SqliteArxivRankStore store, int offset)
        {
            for (int batch = 0; batch < 20; batch++)
            {
                var entries = Enumerable.Range(0, 25).Select(i =>
                {
                    var id = ArxivId.Parse($"2506.{offset + (batch * 25) + i:00000}v1");
                    return new KeyValuePair<ScoreCacheKey, PaperScore>(new(id, "h", "m"), new PaperScore { PaperId = id, Relevance = 5 });
                }).ToList();
                await store.SetManyAsync(entries);
                var day = new DateOnly(2025, 1, 1).AddDays((offset / 1000 * 20) + batch);
                await store.MarkProcessedAsync(new DigestRecord { Date = day, SeenPaperIds = [.. entries.Select(e => e.Key.PaperId)] });
                await store.GetSeenBeforeAsync(day, [.. entries.Select(e => e.Key.PaperId)]);
            }
        }

        await Task.WhenAll(Task.Run(() => Work(a, 0)), Task.Run(() => Work(b, 1000)));

        // Assert
        var reader = Open(path);
        var keys = Enumerable.Range(0, 500).Concat(Enumerable.Range(1000, 500))
            .Select(i => new ScoreCacheKey(ArxivId.Parse($"2506.{i:00000}v1"), "h", "m")).ToList();
        (await reader.GetManyAsync(keys)).Should().HaveCount(1000);
        (await reader.GetHistoryAsync()).Should().HaveCount(40);
        TempFolder.Query(path, "PRAGMA integrity_check;").Should().Be("ok");
        TempFolder.Query(path, "SELECT count(*) FROM schema_version;").Should().Be((long)ArxivRank.Sqlite.SchemaMigrations.All.Count, "the schema was migrated once");
    }

    [Fact]
    public async Task CrashMidRun_LeavesTheStoreConsistentAndTheNextRunPaysOnlyForTheRest()
    {
        // Arrange: the process dies while the third chunk of 50 papers is being scored.
        string path = _folder.File("crash.db");
        var kit = new PipelineTestKit { Configure = o => o.ScoreCache.ChunkSize = 50 };
        var store = Open(path);
        kit.Store = store;
        kit.Scorer.BeforeCall = (i, _) => { if (i == 2) { throw new InvalidOperationException("process killed"); } };
        await FluentActions.Awaiting(() => kit.Build().RunAsync(new MemoryDigestOutput())).Should().ThrowAsync<InvalidOperationException>();
        store.Dispose();

        // The store is consistent: nothing half-recorded.
        TempFolder.Query(path, "PRAGMA integrity_check;").Should().Be("ok");
        var restartedStore = Open(path);
        (await restartedStore.IsProcessedAsync(PipelineTestKit.Day)).Should().BeFalse();
        (await restartedStore.GetHistoryAsync()).Should().BeEmpty();

        // Act: the next run, in a "new process".
        var next = new PipelineTestKit { Configure = o => o.ScoreCache.ChunkSize = 50, Store = restartedStore };
        var output = new MemoryDigestOutput();
        var result = await next.Build().RunAsync(output);

        // Assert
        int n = next.Papers.Count;
        result.Status.Should().Be(DigestRunStatus.Written);
        result.Statistics.FromCache.Should().Be(100);
        next.Scorer.PapersSent.Should().Be(n - 100);
        result.Statistics.Usage.Single().InputTokens.Should().Be(100L * (n - 100));
        result.Digest!.Papers.Select(e => e.Paper.Id.Id).Should().BeEquivalentTo(next.Picks);
        (await restartedStore.IsProcessedAsync(PipelineTestKit.Day)).Should().BeTrue();
    }

    [Fact]
    public async Task ReRunAfterRestart_SameDayForced_SpendsZeroTokens()
    {
        // Arrange
        string path = _folder.File("rerun.db");
        var first = new PipelineTestKit { Store = Open(path) };
        var written = await first.Build().RunAsync(new MemoryDigestOutput());
        ((SqliteArxivRankStore)first.Store).Dispose();
        var second = new PipelineTestKit { Store = Open(path) };

        // Act
        var normal = await second.Build().RunAsync(new MemoryDigestOutput());
        var forced = await second.Build().RunAsync(new MemoryDigestOutput(), new DigestRunRequest { Force = true });

        // Assert
        normal.Status.Should().Be(DigestRunStatus.NoNewAnnouncement);
        forced.Status.Should().Be(DigestRunStatus.Written);
        second.Scorer.PapersSent.Should().Be(0);
        forced.Statistics.Usage.Should().BeEmpty();
        forced.Digest!.Papers.Should().BeEquivalentTo(written.Digest!.Papers);
        var stored = await second.Store.LoadDigestAsync(PipelineTestKit.Day);
        stored!.Papers.Select(e => e.Paper.Id).Should().Equal(forced.Digest.Papers.Select(e => e.Paper.Id));
        stored.Usage.Should().BeEmpty();
    }

    [Fact]
    public async Task Operations_AfterCancellation_ThrowAndRecordNothing()
    {
        var store = Open(_folder.File("cancel.db"));
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var act = async () => await store.MarkProcessedAsync(new DigestRecord { Date = PipelineTestKit.Day }, cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        (await store.GetHistoryAsync()).Should().BeEmpty();
    }

    private SqliteArxivRankStore Open(string path)
    {
        var store = new SqliteArxivRankStore(new SqliteStoreOptions { Path = path });
        _stores.Add(store);
        return store;
    }
}

public sealed class SqliteDeliveryStoreContractTests : DeliveryStoreContractTests, IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly List<SqliteArxivRankStore> _stores = [];

    public void Dispose()
    {
        _stores.ForEach(s => s.Dispose());
        _folder.Dispose();
    }

    protected override IDeliveryStore CreateStore()
    {
        var store = new SqliteArxivRankStore(new SqliteStoreOptions { Path = _folder.File($"store-{_stores.Count}.db") });
        _stores.Add(store);
        return store;
    }
}

/// <summary>The run-lease contract on SQLite: each <c>CreateStore</c> call is a new store object (as another process would open), on one file.</summary>
public sealed class SqliteRunLeaseStoreContractTests : RunLeaseStoreContractTests, IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly List<SqliteArxivRankStore> _stores = [];

    public void Dispose()
    {
        _stores.ForEach(s => s.Dispose());
        _folder.Dispose();
    }

    protected override IRunLeaseStore CreateStore(string name = "store")
    {
        var store = new SqliteArxivRankStore(new SqliteStoreOptions { Path = _folder.File(name + ".db") }, Clock);
        _stores.Add(store);
        return store;
    }
}

