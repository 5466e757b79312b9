using ArxivRank.Pipeline;
using Npgsql;
using NpgsqlTypes;

namespace ArxivRank.PostgreSql;

/// <summary>
/// The reader's run lease (schema v3): one row per reader, read and changed under its row lock (<c>SELECT … FOR UPDATE</c>)
/// in one transaction, so every process on every machine agrees; expiry is decided by the database's clock.
/// </summary>
public sealed partial class PostgreSqlArxivRankStore : IRunLeaseStore
{
    private const string LeaseColumns = "token, machine, process_id, process_started_at, acquired_at, expires_at";

    /// <inheritdoc/>
    /// <remarks>
    /// The holder is stale when its lease expired by the database's clock (see <see cref="PostgreSqlArxivRankDatabase"/>),
    /// or when it was a process on this machine that is gone. A process on another machine cannot be checked, so a node
    /// that died elsewhere loses its lease when the time to live ends.
    /// </remarks>
    public async ValueTask<RunLeaseResult> TryAcquireRunLeaseAsync(RunLeaseOwner owner, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeToLive, TimeSpan.Zero);
        return await Database.WriteAsync(
            "take the run lease",
            async (c, t, ct) =>
            {
                // The row lock first, the clock after it: a caller that waited for the lock reads the time it got it.
                var held = await ReadLeaseAsync(c, t, ct).ConfigureAwait(false);
                var now = await Database.LeaseClockAsync(c, t, ct).ConfigureAwait(false);
                if (held is not null && !held.IsStale(now))
                {
                    return RunLeaseResult.Refused(held);
                }

                var lease = RunLease.Create(owner, now, timeToLive);
                string sql = held is null
                    ? $"INSERT INTO arxivrank.run_leases (reader_id, {LeaseColumns}) VALUES (@reader, @token, @machine, @pid, @started, @acquired, @expires) ON CONFLICT (reader_id) DO NOTHING;"
                    : "UPDATE arxivrank.run_leases SET token = @token, machine = @machine, process_id = @pid, process_started_at = @started, acquired_at = @acquired, expires_at = @expires WHERE reader_id = @reader;";
                using var write = ReaderCommand(c, sql, t)
                    .Add("token", NpgsqlDbType.Text, lease.Token)
                    .Add("machine", NpgsqlDbType.Text, owner.Machine)
                    .Add("pid", NpgsqlDbType.Integer, owner.ProcessId)
                    .Add("started", NpgsqlDbType.TimestampTz, owner.ProcessStartedAt is { } s ? PostgreSqlArxivRankDatabase.Utc(s) : null)
                    .Add("acquired", NpgsqlDbType.TimestampTz, PostgreSqlArxivRankDatabase.Utc(lease.AcquiredAt))
                    .Add("expires", NpgsqlDbType.TimestampTz, PostgreSqlArxivRankDatabase.Utc(lease.ExpiresAt));
                if (await write.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 0)
                {
                    // Another caller inserted the first lease of this reader between our read and our insert (the insert
                    // waited for its commit): it holds the lease now.
                    return RunLeaseResult.Refused(await ReadLeaseAsync(c, t, ct).ConfigureAwait(false));
                }

                return RunLeaseResult.Granted(lease, held);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<RunLeaseResult> RenewRunLeaseAsync(RunLease lease, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeToLive, TimeSpan.Zero);
        return await Database.WriteAsync(
            "renew the run lease",
            async (c, t, ct) =>
            {
                var held = await ReadLeaseAsync(c, t, ct).ConfigureAwait(false);
                if (held?.Token != lease.Token)
                {
                    return RunLeaseResult.Refused(held);
                }

                var renewed = held with { ExpiresAt = await Database.LeaseClockAsync(c, t, ct).ConfigureAwait(false) + timeToLive };
                using var update = ReaderCommand(c, "UPDATE arxivrank.run_leases SET expires_at = @expires WHERE reader_id = @reader AND token = @token;", t)
                    .Add("expires", NpgsqlDbType.TimestampTz, PostgreSqlArxivRankDatabase.Utc(renewed.ExpiresAt))
                    .Add("token", NpgsqlDbType.Text, lease.Token);
                await update.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                return RunLeaseResult.Granted(renewed);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask ReleaseRunLeaseAsync(RunLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await Database.WriteAsync(
            "release the run lease",
            async (c, t, ct) =>
            {
                using var delete = ReaderCommand(c, "DELETE FROM arxivrank.run_leases WHERE reader_id = @reader AND token = @token;", t).Add("token", NpgsqlDbType.Text, lease.Token);
                await delete.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the reader's lease and locks its row until the transaction ends (no row: nothing is locked).</summary>
    private async Task<RunLease?> ReadLeaseAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        using var command = ReaderCommand(connection, $"SELECT {LeaseColumns} FROM arxivrank.run_leases WHERE reader_id = @reader FOR UPDATE;", transaction);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new RunLease
        {
            Token = reader.GetString(0),
            Owner = new RunLeaseOwner(reader.GetString(1), reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3)),
            AcquiredAt = reader.GetFieldValue<DateTimeOffset>(4),
            ExpiresAt = reader.GetFieldValue<DateTimeOffset>(5),
        };
    }
}
