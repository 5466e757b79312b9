using ArxivRank.Pipeline;
using ArxivRank.PostgreSql;
using ArxivRank.TestUtilities.PostgreSql;
using ArxivRank.Ranking;
using ArxivRank.Tests.Pipeline;
using ArxivRank.Tests.Ranking;

namespace ArxivRank.Tests.PostgreSql;

/// <summary>The digest store, score cache and batch-job contract, on PostgreSQL: each store a different reader of one fresh database.</summary>
public sealed class PostgreSqlDigestStoreContractTests : BatchJobStoreContractTests, IAsyncLifetime
{
    private readonly PostgreSqlReaders _readers = new();

    public Task InitializeAsync() => _readers.InitializeAsync();

    public Task DisposeAsync() => _readers.DisposeAsync();

    protected override IDigestStore CreateStore() => _readers.Next();
}

/// <summary>The label store contract, on PostgreSQL: each store a different reader of one fresh database.</summary>
public sealed class PostgreSqlLabelStoreContractTests : LabelStoreContractTests, IAsyncLifetime
{
    private readonly PostgreSqlReaders _readers;

    public PostgreSqlLabelStoreContractTests() => _readers = new(Time);

    public Task InitializeAsync() => _readers.InitializeAsync();

    public Task DisposeAsync() => _readers.DisposeAsync();

    protected override ILabelStore CreateStore() => _readers.Next();
}

/// <summary>The delivery-record contract, on PostgreSQL: each store a different reader of one fresh database.</summary>
public sealed class PostgreSqlDeliveryStoreContractTests : DeliveryStoreContractTests, IAsyncLifetime
{
    private readonly PostgreSqlReaders _readers = new();

    public Task InitializeAsync() => _readers.InitializeAsync();

    public Task DisposeAsync() => _readers.DisposeAsync();

    protected override IDeliveryStore CreateStore() => _readers.Next();
}

/// <summary>
/// The run-lease contract, on PostgreSQL: each <c>CreateStore</c> call opens the database anew (its own connection pool,
/// as another process or machine would) and takes the reader named after the store, on the test's clock.
/// </summary>
public sealed class PostgreSqlRunLeaseStoreContractTests : RunLeaseStoreContractTests, IAsyncLifetime
{
    private readonly PostgreSqlReaders _readers;

    public PostgreSqlRunLeaseStoreContractTests() => _readers = new(Clock);

    public Task InitializeAsync() => _readers.InitializeAsync();

    public Task DisposeAsync() => _readers.DisposeAsync();

    protected override IRunLeaseStore CreateStore(string name = "store") => _readers.Open().ForReader(name);
}

/// <summary>One fresh database for one contract test: readers of it, or the database opened again as another process would.</summary>
internal sealed class PostgreSqlReaders(TimeProvider? time = null)
{
    private readonly List<PostgreSqlArxivRankDatabase> _opened = [];
    private PostgreSqlTestDatabase? _database;
    private PostgreSqlArxivRankDatabase? _shared;
    private int _readers;

    public async Task InitializeAsync() => _database = await PostgreSqlTestDatabase.CreateAsync();

    /// <summary>A new reader of one shared connection to the database.</summary>
    public PostgreSqlArxivRankStore Next()
    {
        _shared ??= Open();
        return _shared.ForReader($"reader-{Interlocked.Increment(ref _readers)}");
    }

    /// <summary>The database opened anew: its own connection pool.</summary>
    public PostgreSqlArxivRankDatabase Open()
    {
        var database = new PostgreSqlArxivRankDatabase(_database!.ConnectionString, time);
        lock (_opened)
        {
            _opened.Add(database);
        }

        return database;
    }

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
}
