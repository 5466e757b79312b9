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
    private PostgreSqlTestDatabase? _database;
    private PostgreSqlArxivRankDatabase? _store;
    private int _readers;

    public async Task InitializeAsync()
    {
        _database = await PostgreSqlTestDatabase.CreateAsync();
        _store = new PostgreSqlArxivRankDatabase(_database.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    protected override IDigestStore CreateStore() => _store!.ForReader($"reader-{++_readers}");
}

/// <summary>The label store contract, on PostgreSQL: each store a different reader of one fresh database.</summary>
public sealed class PostgreSqlLabelStoreContractTests : LabelStoreContractTests, IAsyncLifetime
{
    private PostgreSqlTestDatabase? _database;
    private PostgreSqlArxivRankDatabase? _store;
    private int _readers;

    public async Task InitializeAsync()
    {
        _database = await PostgreSqlTestDatabase.CreateAsync();
        _store = new PostgreSqlArxivRankDatabase(_database.ConnectionString, Time);
    }

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    protected override ILabelStore CreateStore() => _store!.ForReader($"reader-{++_readers}");
}

/// <summary>The delivery-record contract, on PostgreSQL: each store a different reader of one fresh database.</summary>
public sealed class PostgreSqlDeliveryStoreContractTests : DeliveryStoreContractTests, IAsyncLifetime
{
    private PostgreSqlTestDatabase? _database;
    private PostgreSqlArxivRankDatabase? _store;
    private int _readers;

    public async Task InitializeAsync()
    {
        _database = await PostgreSqlTestDatabase.CreateAsync();
        _store = new PostgreSqlArxivRankDatabase(_database.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    protected override IDeliveryStore CreateStore() => _store!.ForReader($"reader-{++_readers}");
}

/// <summary>
/// The run-lease contract, on PostgreSQL: each <c>CreateStore</c> call opens the database anew (its own connection pool,
/// as another process or machine would) and takes the reader named after the store, on the test's clock.
/// </summary>
public sealed class PostgreSqlRunLeaseStoreContractTests : RunLeaseStoreContractTests, IAsyncLifetime
{
    private readonly List<PostgreSqlArxivRankDatabase> _opened = [];
    private PostgreSqlTestDatabase? _database;

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

    protected override IRunLeaseStore CreateStore(string name = "store")
    {
        var database = new PostgreSqlArxivRankDatabase(_database!.ConnectionString, Clock);
        lock (_opened)
        {
            _opened.Add(database);
        }

        return database.ForReader(name);
    }
}
