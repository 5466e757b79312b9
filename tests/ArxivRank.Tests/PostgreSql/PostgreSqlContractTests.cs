using ArxivRank.Pipeline;
using ArxivRank.PostgreSql;
using ArxivRank.TestUtilities.PostgreSql;
using ArxivRank.Ranking;
using ArxivRank.Tests.Pipeline;
using ArxivRank.Tests.Ranking;

namespace ArxivRank.Tests.PostgreSql;

/// <summary>The digest store and score cache contract, on PostgreSQL: each store a different reader of one fresh database.</summary>
public sealed class PostgreSqlDigestStoreContractTests : DigestStoreContractTests, IAsyncLifetime
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
