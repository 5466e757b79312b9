using System.Diagnostics;
using ArxivRank.Pipeline;
using ArxivRank.PostgreSql;
using ArxivRank.TestUtilities.PostgreSql;
using ArxivRank.Ranking;
using ArxivRank.Scoring;
using ArxivRank.Sources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ArxivRank.Tests.PostgreSql;

public sealed class PostgreSqlStoreTests : IAsyncLifetime
{
    private static readonly DateOnly Day = new(2025, 6, 2);
    private PostgreSqlTestDatabase? _database;
    private readonly List<PostgreSqlArxivRankDatabase> _opened = [];

    private string ConnectionString => _database!.ConnectionString;

    public async Task InitializeAsync() => _database = await PostgreSqlTestDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        foreach (var opened in _opened)
        {
            await opened.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Fact]
    public async Task InitializeAsync_ManyProcessesAtOnce_MigrateExactlyOnce()
    {
        // Arrange: eight nodes' databases on one fresh database.
        var nodes = Enumerable.Range(0, 8).Select(_ => Open()).ToList();

        // Act
        await Task.WhenAll(nodes.Select(n => n.InitializeAsync()));

        // Assert
        (await nodes[0].GetSchemaVersionAsync()).Should().Be(PostgreSqlArxivRankDatabase.LatestSchemaVersion);
        (await Query("SELECT COUNT(*) FROM arxivrank.schema_version;")).Should().Be((long)PostgreSqlArxivRankDatabase.LatestSchemaVersion);
    }

    [Fact]
    public async Task InitializeAsync_SchemaFromANewerVersion_ThrowsSayingToUpgrade()
    {
        await Open().InitializeAsync();
        await Query("INSERT INTO arxivrank.schema_version VALUES (999, 'future', now()) RETURNING version;");

        var act = async () => await Open().ForReader("ada").GetLastProcessedAsync();

        (await act.Should().ThrowAsync<DigestStoreException>()).Which.Message.Should().Contain("schema v999").And.Contain("upgrade ArxivRank");
    }

    [Fact]
    public async Task Operations_ServerUnreachable_ThrowDigestStoreExceptionSayingWhatToDo()
    {
        var database = Open("Host=127.0.0.1;Port=1;Username=nobody;Password=secret;Timeout=3");

        var act = async () => await database.ForReader("ada").IsProcessedAsync(Day);

        var thrown = (await act.Should().ThrowAsync<DigestStoreException>()).Which;
        thrown.Message.Should().Contain("cannot be reached").And.NotContain("secret");
        thrown.Location.Should().Be("127.0.0.1:1/nobody");
    }

    [Fact]
    public async Task Readers_KeepTheirOwnHistoryAndLabels_ButShareScores()
    {
        // Arrange
        var database = Open();
        var ada = database.ForReader("ada");
        var bob = database.ForReader("bob");
        var key = new ScoreCacheKey(ArxivId.Parse("2506.00001v1"), "same-criteria", "gpt-4o");

        // Act
        await ada.MarkProcessedAsync(new DigestRecord { Date = Day, SeenPaperIds = [ArxivId.Parse("2506.00001")], DigestJson = "{}" });
        await ada.RecordFeedbackAsync(ArxivId.Parse("2506.00001"), Feedback.Like);
        await ada.SetManyAsync([new(key, new PaperScore { PaperId = key.PaperId, Relevance = 9 })]);

        // Assert
        (await bob.IsProcessedAsync(Day)).Should().BeFalse();
        (await bob.GetSeenBeforeAsync(Day.AddDays(1), [ArxivId.Parse("2506.00001")])).Should().BeEmpty();
        (await bob.LoadDigestJsonAsync(Day)).Should().BeNull();
        (await bob.GetFeedbackAsync()).Should().BeEmpty();
        (await bob.GetManyAsync([key]))[key].Relevance.Should().Be(9, "scores are the world's, keyed by paper, criteria and model");
        (await ada.IsProcessedAsync(Day)).Should().BeTrue();
    }

    [Fact]
    public void ForReader_InvalidId_ThrowsNamingTheRule()
    {
        var database = Open();

        foreach (string bad in (string[])["", "../etc/passwd", "a b", ".hidden", new string('x', 129)])
        {
            var act = () => database.ForReader(bad);
            act.Should().Throw<ArgumentException>().WithMessage("The reader id *");
        }

        database.ForReader("ada.lovelace_1-2").ReaderId.Should().Be("ada.lovelace_1-2");
    }

    [Fact]
    public async Task PutReaderProfileAsync_CreateThenReplace_TellsWhichAndLists()
    {
        var database = Open();

        (await database.PutReaderProfileAsync("bob", "{\"categories\":[\"cs.LG\"]}")).Should().BeTrue();
        (await database.PutReaderProfileAsync("ada", "{}")).Should().BeTrue();
        (await database.PutReaderProfileAsync("bob", "{\"categories\":[\"cs.CL\"]}")).Should().BeFalse();

        (await database.GetReaderProfileAsync("bob")).Should().Be("{\"categories\":[\"cs.CL\"]}");
        (await database.GetReaderProfileAsync("carol")).Should().BeNull();
        (await database.ListReadersAsync()).Should().Equal("ada", "bob");
    }

    [Fact]
    public async Task SaveAnnouncementAsync_TwoNodes_FirstWinsAndBothReadIt()
    {
        // Arrange
        var first = new SourceResult
        {
            AnnouncementDate = Day,
            Papers = [new Paper { Id = ArxivId.Parse("2506.00001v1"), Title = "First", Authors = ["Ada"], Categories = ["cs.LG"] }],
            Counts = new SourceCounts { TotalItems = 3, Kept = 1, Unique = 1, Skipped = 2 },
            Diagnostics = [new SourceDiagnostic(DiagnosticSeverity.Warning, "skipped", "an item without a link")],
        };
        var second = first with { Papers = [new Paper { Id = ArxivId.Parse("2506.00002v1"), Title = "Second" }] };

        // Act
        var keptByA = await Open().SaveAnnouncementAsync("cs.LG", Day, first);
        var keptByB = await Open().SaveAnnouncementAsync("cs.LG", Day, second);
        var loaded = await Open().LoadAnnouncementAsync("cs.LG", Day);

        // Assert
        keptByA.Should().BeSameAs(first);
        keptByB.Papers.Should().ContainSingle().Which.Title.Should().Be("First");
        loaded!.Papers.Should().BeEquivalentTo(first.Papers);
        loaded.Counts.Should().Be(first.Counts);
        loaded.Diagnostics.Should().ContainSingle().Which.Code.Should().Be("skipped");
        (await Open().LoadAnnouncementAsync("cs.CL", Day)).Should().BeNull();
    }

    [Fact]
    public async Task StartRunAsync_SecondStartSameDay_StartsNothingNewAndKeepsTheFirstAnnouncement()
    {
        var database = Open();

        var first = await database.StartRunAsync(Day.AddDays(1), Day, ["ada", "bob"]);
        var second = await Open().StartRunAsync(Day.AddDays(1), Day.AddDays(1), ["ada", "bob", "carol"]);

        first.Should().Be((true, (DateOnly?)Day));
        second.Should().Be((false, (DateOnly?)Day));
        (await database.GetRunCountsAsync(Day)).Should().Be(new RunCounts(2, 0, 0));
        (await database.GetRunAsync(Day.AddDays(2))).Should().Be((false, (DateOnly?)null));
    }

    [Fact]
    public async Task TryClaimReaderRunAsync_HeldLease_RefusesOtherNodesUntilItExpires()
    {
        // Arrange: two nodes on one clock.
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2025, 6, 2, 8, 0, 0, TimeSpan.Zero));
        var nodeA = new PostgreSqlArxivRankDatabase(ConnectionString, time);
        var nodeB = new PostgreSqlArxivRankDatabase(ConnectionString, time);
        _opened.AddRange([nodeA, nodeB]);
        await nodeA.StartRunAsync(Day, Day, ["ada"]);
        var lease = TimeSpan.FromSeconds(30);

        // Act / Assert
        (await nodeA.TryClaimReaderRunAsync("ada", Day, lease)).Should().BeTrue();
        (await nodeB.TryClaimReaderRunAsync("ada", Day, lease)).Should().BeFalse("node A holds the lease");
        time.Advance(TimeSpan.FromSeconds(20));
        (await nodeA.RenewReaderRunAsync("ada", Day, lease)).Should().BeTrue();
        time.Advance(TimeSpan.FromSeconds(20));
        (await nodeB.TryClaimReaderRunAsync("ada", Day, lease)).Should().BeFalse("node A renewed its lease");
        time.Advance(TimeSpan.FromSeconds(31));
        (await nodeB.TryClaimReaderRunAsync("ada", Day, lease)).Should().BeTrue("node A died: its lease expired");
        await nodeB.CompleteReaderRunAsync("ada", Day, ReaderRunStatus.Done);
        (await nodeA.TryClaimReaderRunAsync("ada", Day, lease)).Should().BeFalse("a finished run is never run again");
        (await nodeA.GetReaderRunsAsync(Day)).Should().Equal(new ReaderRun("ada", Day, ReaderRunStatus.Done, 2, null));
    }

    [Fact]
    public async Task InitializeAsync_DatabaseAtSchemaV2_MigratesItKeepingEveryRow()
    {
        // Arrange: a database the first cluster release (schema v2) wrote.
        await Query(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "PostgreSql", "v2-store.sql")));
        var database = Open();

        // Act
        await database.InitializeAsync();

        // Assert: the old rows are there, read through the new schema...
        (await database.GetSchemaVersionAsync()).Should().Be(PostgreSqlArxivRankDatabase.LatestSchemaVersion);
        (await Query("SELECT string_agg(version::text, ',' ORDER BY version) FROM arxivrank.schema_version;")).Should().Be(string.Join(",", Enumerable.Range(1, PostgreSqlArxivRankDatabase.LatestSchemaVersion)));
        var ada = database.ForReader("ada");
        (await ada.GetHistoryAsync()).Select(h => (h.Date, h.TotalPapers, h.SelectedPapers)).Should().Equal((new DateOnly(2025, 2, 25), 610, 35), (new DateOnly(2025, 2, 26), 625, 37));
        (await ada.GetSeenBeforeAsync(new DateOnly(2025, 2, 26), [ArxivId.Parse("2502.17578")])).Should().ContainSingle();
        var key = new ScoreCacheKey(ArxivId.Parse("2502.18377v1"), "criteria-v2", "gpt-4o");
        (await ada.GetManyAsync([key]))[key].Relevance.Should().Be(9);
        (await database.ListReadersAsync()).Should().Equal("ada");
        (await database.GetReaderRunsAsync(new DateOnly(2025, 2, 26))).Should().Equal(new ReaderRun("ada", new DateOnly(2025, 2, 26), ReaderRunStatus.Done, 1, null));

        // ...and what v3 added works on the migrated database.
        (await ada.TryAcquireRunLeaseAsync(RunLeaseOwner.Current, TimeSpan.FromMinutes(2))).Acquired.Should().BeTrue();
        await ada.RecordDeliveryAsync(new DeliveryRecord { Date = new DateOnly(2025, 2, 26), Kind = "slack", Target = "C0123", Status = ArxivRank.Delivery.DeliveryStatus.Delivered });
        (await ada.GetDeliveriesAsync(new DateOnly(2025, 2, 26))).Should().ContainSingle();
    }

    [Fact]
    public async Task RunLeaseDeliveriesAndBatchJobs_AreEachReadersOwn()
    {
        // Arrange
        var database = Open();
        var (ada, bob) = (database.ForReader("ada"), database.ForReader("bob"));
        var day = new DateOnly(2025, 2, 26);
        var job = new BatchJobRecord { JobId = "ar-1", ModelId = "gpt-4o", CriteriaHash = "h1", Requests = new Dictionary<string, IReadOnlyList<string>> { ["ar-1-0"] = ["2502.18377v1"] } };

        // Act
        var adaLease = await ada.TryAcquireRunLeaseAsync(RunLeaseOwner.Current, TimeSpan.FromMinutes(2));
        var bobLease = await bob.TryAcquireRunLeaseAsync(RunLeaseOwner.Current, TimeSpan.FromMinutes(2));
        await ada.RecordDeliveryAsync(new DeliveryRecord { Date = day, Kind = "email", Target = "ada@example.org", Status = ArxivRank.Delivery.DeliveryStatus.Delivered });
        await ada.SaveBatchJobAsync(job);

        // Assert
        adaLease.Acquired.Should().BeTrue();
        bobLease.Acquired.Should().BeTrue("each reader's runs are leased apart");
        (await bob.GetDeliveriesAsync(day)).Should().BeEmpty();
        (await bob.GetOpenBatchJobsAsync("gpt-4o", "h1")).Should().BeEmpty();
        (await ada.GetOpenBatchJobsAsync("gpt-4o", "h1")).Should().ContainSingle().Which.JobId.Should().Be("ar-1");
    }

    [Fact]
    public async Task TryAcquireRunLeaseAsync_SystemClock_ExpiresByTheDatabasesClock()
    {
        // Arrange: two nodes on the system clock, so the database's clock decides; a remote owner, so only expiry ends its lease.
        var (nodeA, nodeB) = (Open().ForReader("ada"), Open().ForReader("ada"));
        var remote = new RunLeaseOwner("some-other-machine", 4242);
        var before = (DateTimeOffset)(DateTime)(await Query("SELECT clock_timestamp();"))!;

        // Act
        var held = await nodeA.TryAcquireRunLeaseAsync(remote, TimeSpan.FromSeconds(1));
        var refused = await nodeB.TryAcquireRunLeaseAsync(RunLeaseOwner.Current, TimeSpan.FromMinutes(2));
        RunLeaseResult taken;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        do
        {
            await Task.Delay(250);
            taken = await nodeB.TryAcquireRunLeaseAsync(RunLeaseOwner.Current, TimeSpan.FromMinutes(2));
        }
        while (!taken.Acquired && DateTime.UtcNow < deadline);
        var after = (DateTimeOffset)(DateTime)(await Query("SELECT clock_timestamp();"))!;

        // Assert
        held.Lease!.AcquiredAt.Should().BeOnOrAfter(before).And.BeOnOrBefore(after);
        held.Lease.ExpiresAt.Should().Be(held.Lease.AcquiredAt + TimeSpan.FromSeconds(1));
        refused.Acquired.Should().BeFalse();
        taken.Acquired.Should().BeTrue("the lease expired by the database's clock");
        taken.TookOverFrom!.Token.Should().Be(held.Lease.Token);
        taken.Lease!.AcquiredAt.Should().BeOnOrAfter(held.Lease.ExpiresAt);
    }

    [Fact]
    public async Task AcquireLockAsync_SameName_SecondWaitsUntilTheFirstIsReleased()
    {
        var database = Open();
        var first = await database.AcquireLockAsync("criteria:x");

        var second = database.AcquireLockAsync("criteria:x");
        var other = await database.AcquireLockAsync("criteria:y");
        await Task.Delay(300);
        second.IsCompleted.Should().BeFalse("the first holder still has it");
        await first.DisposeAsync();
        await using var acquired = await second.WaitAsync(TimeSpan.FromSeconds(10));
        await other.DisposeAsync();
    }

    [Fact]
    public async Task Operations_CanceledToken_ThrowAndRecordNothing()
    {
        var store = Open().ForReader("ada");
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var act = async () => await store.MarkProcessedAsync(new DigestRecord { Date = Day }, cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        (await store.IsProcessedAsync(Day)).Should().BeFalse();
    }

    [Fact]
    public async Task AddArxivRankPostgreSql_RegistersTheReadersStoreAndValidatesOnStart()
    {
        var services = new ServiceCollection();
        services.AddArxivRank();
        services.AddArxivRankPostgreSql(o => (o.ConnectionString, o.ReaderId) = (ConnectionString, "ada"));
        await using var provider = services.BuildServiceProvider();

        var digestStore = provider.GetRequiredService<IDigestStore>();
        digestStore.Should().BeOfType<PostgreSqlArxivRankStore>().Which.ReaderId.Should().Be("ada");
        provider.GetRequiredService<ILabelStore>().Should().BeSameAs(digestStore);
        provider.GetRequiredService<IScoreCache>().Should().BeSameAs(provider.GetRequiredService<PostgreSqlArxivRankDatabase>());

        var bad = new ServiceCollection().AddArxivRankPostgreSql(o => o.ReaderId = "../x");
        await using var badProvider = bad.BuildServiceProvider();
        var act = () => badProvider.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value;
        act.Should().Throw<OptionsValidationException>().WithMessage("*ConnectionString is required*").WithMessage("*ReaderId may hold only*");
    }

    [Fact]
    public async Task SeveralProcesses_WritingAtOnce_LoseNothingAndNeverDeadlock()
    {
        // Arrange: four writer processes on a fresh database (so they also race to migrate it).
        const int Workers = 4;
        const int Rounds = 15;
        string writer = Path.Combine(AppContext.BaseDirectory, "ArxivRank.StoreStress.dll");
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

        // Act
        var processes = Enumerable.Range(0, Workers).Select(w => Process.Start(new ProcessStartInfo(dotnet)
        {
            ArgumentList = { writer, ConnectionString, w.ToString(System.Globalization.CultureInfo.InvariantCulture), Rounds.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!).ToList();
        var outputs = await Task.WhenAll(processes.Select(async p =>
        {
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await p.WaitForExitAsync(timeout.Token);
            return (p.ExitCode, Out: await stdout, Err: await stderr);
        }));
        processes.ForEach(p => p.Dispose());

        // Assert
        outputs.Should().OnlyContain(o => o.ExitCode == 0, string.Join("\n", outputs.Select(o => o.Err)));
        var database = Open();
        for (int w = 0; w < Workers; w++)
        {
            (await database.ForReader($"worker-{w}").GetHistoryAsync()).Should().HaveCount(Rounds);
        }

        (await database.ForReader("shared").GetHistoryAsync()).Should().HaveCount(Workers * Rounds);
        (await database.ForReader("shared").GetJudgmentsAsync()).Should().HaveCount(Rounds * 50, "each paper and day once, whoever wrote it last");
        (await Query("SELECT COUNT(*) FROM arxivrank.score_cache;")).Should().Be(200L);
        (await Query("SELECT COUNT(*) FROM arxivrank.seen_papers WHERE reader_id = 'shared';")).Should().Be((long)(Workers * Rounds * 50));
        (await Query("SELECT COUNT(*) FROM arxivrank.schema_version;")).Should().Be((long)PostgreSqlArxivRankDatabase.LatestSchemaVersion);
    }

    private PostgreSqlArxivRankDatabase Open(string? connectionString = null)
    {
        var database = new PostgreSqlArxivRankDatabase(connectionString ?? ConnectionString);
        _opened.Add(database);
        return database;
    }

    private async Task<object?> Query(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
