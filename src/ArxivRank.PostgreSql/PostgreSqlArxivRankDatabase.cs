using System.Net.Sockets;
using ArxivRank.Pipeline;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace ArxivRank.PostgreSql;

/// <summary>
/// One PostgreSQL database holding many readers' ArxivRank data: owns the connection pool (one
/// <see cref="NpgsqlDataSource"/> per connection string), migrates the schema once at start, keeps the world's shared
/// data (the score cache, announcements, reader profiles) and hands out a <see cref="PostgreSqlArxivRankStore"/> per reader.
/// </summary>
/// <remarks>
/// <para>Register one instance per process (a singleton). Every write is one transaction; concurrent writers, in this
/// process or on other machines, never lose each other's rows (rows are upserted in key order, so two writers never
/// deadlock on the same keys).</para>
/// <para>The schema lives in the PostgreSQL schema <c>arxivrank</c>, so the database may hold other tables too.</para>
/// <para>Every lease (a reader's run lease, a reader's run of a day) expires by the database's clock, read in the
/// transaction that holds the lease's row lock, so nodes whose clocks differ still agree; only a database made with an
/// injected <see cref="System.TimeProvider"/> other than <see cref="TimeProvider.System"/> (a test's fake clock) uses that
/// clock instead. Timestamps that are only recorded (when a digest was processed, a label written) come from the
/// <see cref="System.TimeProvider"/>.</para>
/// </remarks>
public sealed partial class PostgreSqlArxivRankDatabase : IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger _logger;
    private readonly AsyncOnce _initialization = new();

    /// <summary>Initializes a new instance of the <see cref="PostgreSqlArxivRankDatabase"/> class. Nothing is opened until first use.</summary>
    /// <param name="connectionString">The Npgsql connection string.</param>
    /// <param name="timeProvider">The clock for timestamps (default: <see cref="TimeProvider.System"/>).</param>
    /// <param name="logger">Receives migrations; may be <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is blank or not a valid connection string.</exception>
    public PostgreSqlArxivRankDatabase(string connectionString, TimeProvider? timeProvider = null, ILogger<PostgreSqlArxivRankDatabase>? logger = null)
    {
        string? problem = new PostgreSqlStoreOptions { ConnectionString = connectionString }.Validate().FirstOrDefault();
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(connectionString));
        }

        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Location = $"{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
        TimeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _dataSource = NpgsqlDataSource.Create(builder);
    }

    /// <summary>Gets the schema version this version of ArxivRank writes.</summary>
    public static int LatestSchemaVersion => PostgreSqlSchema.Latest;

    /// <summary>Gets where the database is (<c>host:port/database</c>, never the password), for messages.</summary>
    public string Location { get; }

    internal TimeProvider TimeProvider { get; }

    /// <summary>Gets the store of one reader: its digest history, labels and model, and the shared score cache.</summary>
    /// <param name="readerId">The reader (see <see cref="ReaderIds"/>).</param>
    /// <returns>A lightweight view; create one per use, or keep it, as convenient.</returns>
    /// <exception cref="ArgumentException"><paramref name="readerId"/> is not a valid reader id.</exception>
    public PostgreSqlArxivRankStore ForReader(string readerId)
    {
        CheckReader(readerId);
        return new PostgreSqlArxivRankStore(this, readerId);
    }

    /// <summary>Migrates the schema now (once for all processes, under an advisory lock) instead of on first use, so problems show early.</summary>
    /// <param name="cancellationToken">Cancels the opening.</param>
    /// <returns>A task that completes when the store is ready.</returns>
    /// <exception cref="DigestStoreException">The database cannot be reached, the role lacks rights, or the schema comes from a newer version.</exception>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await _initialization.RunAsync(MigrateAsync, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gets the schema version of the database (after migrating it).</summary>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The version recorded in <c>arxivrank.schema_version</c>.</returns>
    /// <exception cref="DigestStoreException">The database cannot be read.</exception>
    public Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken = default)
        => ReadAsync(
            "read the schema version",
            async (c, ct) =>
            {
                using var command = Command(c, "SELECT COALESCE(MAX(version), 0) FROM arxivrank.schema_version;");
                return Convert.ToInt32(await command.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            },
            cancellationToken);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        _initialization.Dispose();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _dataSource.Dispose();
        _initialization.Dispose();
    }

    internal async Task<T> ReadAsync<T>(string what, Func<NpgsqlConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            return await read(connection, cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw Wrap(ex, what);
        }
    }

    internal async Task<T> WriteAsync<T>(string what, Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var result = await write(connection, transaction, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
        catch (NpgsqlException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw Wrap(ex, what);
        }
    }

    internal Task WriteAsync(string what, Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task> write, CancellationToken cancellationToken)
        => WriteAsync(
            what,
            async (c, t, ct) =>
            {
                await write(c, t, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken);

    internal static NpgsqlCommand Command(NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction = null)
        => new(sql, connection, transaction);

    internal static DateTime Utc(DateTimeOffset value) => value.UtcDateTime;

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

            // Every process starting at once waits here; the first migrates, the others then find nothing to do.
            using (var lockCommand = Command(connection, "SELECT pg_advisory_xact_lock(@key);", transaction).Add("key", NpgsqlDbType.Bigint, PostgreSqlSchema.MigrationLockKey))
            {
                await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            using (var create = Command(
                connection,
                "CREATE SCHEMA IF NOT EXISTS arxivrank; CREATE TABLE IF NOT EXISTS arxivrank.schema_version (version integer NOT NULL PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL);",
                transaction))
            {
                await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            int current;
            using (var read = Command(connection, "SELECT COALESCE(MAX(version), 0) FROM arxivrank.schema_version;", transaction))
            {
                current = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            }

            if (current > PostgreSqlSchema.Latest)
            {
                throw new DigestStoreException(
                    $"The ArxivRank store {Location} has schema v{current}, written by a newer ArxivRank (this one knows up to v{PostgreSqlSchema.Latest}); upgrade ArxivRank on every node.")
                { Location = Location };
            }

            foreach (var (version, description, sql) in PostgreSqlSchema.All.Where(m => m.Version > current))
            {
                using (var migrate = Command(connection, sql, transaction))
                {
                    await migrate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                using (var record = Command(connection, "INSERT INTO arxivrank.schema_version (version, description, applied_at) VALUES (@v, @d, @at);", transaction)
                    .Add("v", NpgsqlDbType.Integer, version)
                    .Add("d", NpgsqlDbType.Text, description)
                    .Add("at", NpgsqlDbType.TimestampTz, Utc(TimeProvider.GetUtcNow())))
                {
                    await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                Log.StoreMigrated(_logger, Location, version, description);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            Log.StoreOpened(_logger, Location, PostgreSqlSchema.Latest);
        }
        catch (NpgsqlException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw Wrap(ex, "open");
        }
    }

    private DigestStoreException Wrap(NpgsqlException ex, string what)
    {
        string advice = ex switch
        {
            PostgresException { SqlState: "3D000" } => $"the database of {Location} does not exist; create it (CREATE DATABASE) or fix the connection string (ConnectionStrings:ArxivRank).",
            PostgresException { SqlState: "28P01" or "28000" } => $"PostgreSQL refused the login to {Location}; check the user name and password in the connection string.",
            PostgresException { SqlState: "42501" } => $"the role has no right to create or use the schema 'arxivrank' in {Location}; grant it (GRANT CREATE ON DATABASE …) or connect as its owner.",
            PostgresException { SqlState: "53300" } => $"PostgreSQL at {Location} has no free connection slots; lower Maximum Pool Size on the nodes or raise max_connections.",
            { InnerException: SocketException or TimeoutException } => $"PostgreSQL at {Location} cannot be reached; check that it runs and that the host and port are right.",
            _ => $"the ArxivRank store {Location} failed.",
        };
        string code = ex is PostgresException pg ? $"PostgreSQL error {pg.SqlState}" : "Npgsql error";
        return new DigestStoreException($"Could not {what}: {advice} ({code}: {ex.Message})", ex) { Location = Location };
    }
}

/// <summary>Parameters on Npgsql commands, typed explicitly (so a null has a type).</summary>
internal static class NpgsqlCommandExtensions
{
    public static NpgsqlCommand Add(this NpgsqlCommand command, string name, NpgsqlDbType type, object? value)
    {
        command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value ?? DBNull.Value });
        return command;
    }
}
