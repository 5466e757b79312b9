using Npgsql;

namespace ArxivRank.TestUtilities.PostgreSql;

/// <summary>
/// A uniquely named PostgreSQL database for one test, dropped when disposed. The server comes from
/// <c>ARXIVRANK_TEST_POSTGRES</c> (default: <see cref="DefaultServer"/>, what .ci/run sets up). When the server cannot be
/// reached the test fails saying what to do: xunit 2 cannot skip the inherited contract facts at run time, and a test
/// that passes without a database would prove nothing.
/// </summary>
public sealed class PostgreSqlTestDatabase : IAsyncDisposable
{
    public const string DefaultServer = "Host=127.0.0.1;Username=postgres;Password=arxivrank";

    private PostgreSqlTestDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    public static string Server => Environment.GetEnvironmentVariable("ARXIVRANK_TEST_POSTGRES") is { Length: > 0 } s ? s : DefaultServer;

    public string Name { get; }

    public string ConnectionString { get; }

    public static async Task<PostgreSqlTestDatabase> CreateAsync()
    {
        string name = "arxivrank_test_" + Guid.NewGuid().ToString("N");
        try
        {
            await using var admin = await OpenAdminAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\";", admin);
            await create.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException ex)
        {
            throw new InvalidOperationException(
                $"PostgreSQL is not reachable at '{Redacted(Server)}' ({ex.Message}). Start it the way .ci/run does (apt-get install postgresql; "
                + "pg_ctlcluster 15 main start; give the role postgres a password) or point ARXIVRANK_TEST_POSTGRES at a server whose user may create databases.",
                ex);
        }

        return new PostgreSqlTestDatabase(name, new NpgsqlConnectionStringBuilder(Server) { Database = name }.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = await OpenAdminAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE);", admin);
        await drop.ExecuteNonQueryAsync();
    }

    private static async Task<NpgsqlConnection> OpenAdminAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Server) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static string Redacted(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.Password is not null)
        {
            builder.Password = "***";
        }

        return builder.ConnectionString;
    }
}
