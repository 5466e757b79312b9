using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using ArxivRank.Pipeline;
using Npgsql;
using NpgsqlTypes;

namespace ArxivRank.PostgreSql;

/// <summary>Cluster-wide locks on names, held by a database session: a node that dies releases its locks with its connection.</summary>
public sealed partial class PostgreSqlArxivRankDatabase
{
    private const int LockSpace = 0x61724C6B; // "arLk": keeps these locks apart from the migration lock and other applications' locks.

    /// <summary>
    /// Waits for, then holds, a cluster-wide lock on a name (a PostgreSQL session advisory lock), e.g. so that readers who
    /// share criteria score one after the other and all but the first find every score in the shared cache.
    /// </summary>
    /// <param name="name">What to lock; hashed to a 32-bit key, so two names may rarely share a lock (they then only wait for each other).</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The held lock; dispose it to release it.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is blank.</exception>
    /// <exception cref="DigestStoreException">The database cannot be reached.</exception>
    public async Task<IAsyncDisposable> AcquireLockAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        int key = BinaryPrimitives.ReadInt32BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(name)));
        NpgsqlConnection? connection = null;
        try
        {
            connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            using var command = Command(connection, "SELECT pg_advisory_lock(@space, @key);")
                .Add("space", NpgsqlDbType.Integer, LockSpace)
                .Add("key", NpgsqlDbType.Integer, key);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            var held = new HeldLock(connection, key);
            connection = null;
            return held;
        }
        catch (NpgsqlException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw Wrap(ex, "take a lock");
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private sealed class HeldLock(NpgsqlConnection connection, int key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                using var command = Command(connection, "SELECT pg_advisory_unlock(@space, @key);")
                    .Add("space", NpgsqlDbType.Integer, LockSpace)
                    .Add("key", NpgsqlDbType.Integer, key);
                await command.ExecuteNonQueryAsync().ConfigureAwait(false);
            }
            catch (NpgsqlException)
            {
                // A broken connection has released the lock already.
            }
            finally
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
