using System.Globalization;
using ArxivRank.Pipeline;
using Microsoft.Data.Sqlite;

namespace ArxivRank.Sqlite;

/// <summary>The run lease: one row, taken and renewed in <c>BEGIN IMMEDIATE</c> transactions, so every process sharing the file agrees.</summary>
public sealed partial class SqliteArxivRankStore : IRunLeaseStore
{
    /// <inheritdoc/>
    public async ValueTask<RunLeaseResult> TryAcquireRunLeaseAsync(RunLeaseOwner owner, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeToLive, TimeSpan.Zero);
        return await WriteAsync(
            (c, t) =>
            {
                var now = _time.GetUtcNow();
                var held = ReadLease(c, t);
                if (held is not null && !held.IsStale(now))
                {
                    return RunLeaseResult.Refused(held);
                }

                var lease = RunLease.Create(owner, now, timeToLive);
                Execute(
                    c,
                    t,
                    """
                    INSERT OR REPLACE INTO run_lease (id, token, machine, process_id, process_started_at, acquired_at, expires_at)
                    VALUES (1, $token, $machine, $pid, $started, $acquired, $expires);
                    """,
                    ("$token", lease.Token),
                    ("$machine", owner.Machine),
                    ("$pid", owner.ProcessId),
                    ("$started", owner.ProcessStartedAt is { } s ? Stamp(s) : null),
                    ("$acquired", Stamp(lease.AcquiredAt)),
                    ("$expires", Stamp(lease.ExpiresAt)));
                return RunLeaseResult.Granted(lease, held);
            },
            "take the run lease",
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<RunLeaseResult> RenewRunLeaseAsync(RunLease lease, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeToLive, TimeSpan.Zero);
        return await WriteAsync(
            (c, t) =>
            {
                var held = ReadLease(c, t);
                if (held?.Token != lease.Token)
                {
                    return RunLeaseResult.Refused(held);
                }

                var renewed = held with { ExpiresAt = _time.GetUtcNow() + timeToLive };
                Execute(c, t, "UPDATE run_lease SET expires_at = $expires WHERE token = $token;", ("$expires", Stamp(renewed.ExpiresAt)), ("$token", lease.Token));
                return RunLeaseResult.Granted(renewed);
            },
            "renew the run lease",
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask ReleaseRunLeaseAsync(RunLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        if (!_initialization.IsDone && !File.Exists(Path))
        {
            return;
        }

        await WriteAsync((c, t) => Execute(c, t, "DELETE FROM run_lease WHERE token = $token;", ("$token", lease.Token)), "release the run lease", cancellationToken).ConfigureAwait(false);
    }

    private static RunLease? ReadLease(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var command = Command(connection, "SELECT token, machine, process_id, process_started_at, acquired_at, expires_at FROM run_lease WHERE id = 1;");
        command.Transaction = transaction;
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        return new RunLease
        {
            Token = reader.GetString(0),
            Owner = new RunLeaseOwner(reader.GetString(1), reader.GetInt32(2), reader.IsDBNull(3) ? null : ParseStamp(reader.GetString(3))),
            AcquiredAt = ParseStamp(reader.GetString(4)),
            ExpiresAt = ParseStamp(reader.GetString(5)),
        };
    }

    private static string Stamp(DateTimeOffset at) => at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseStamp(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
