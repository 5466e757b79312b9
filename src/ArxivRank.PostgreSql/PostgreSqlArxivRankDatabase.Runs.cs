using ArxivRank.Pipeline;
using NpgsqlTypes;

namespace ArxivRank.PostgreSql;

/// <summary>The state of one reader's run for one announcement day.</summary>
public enum ReaderRunStatus
{
    /// <summary>Not finished: waiting, or running under a lease.</summary>
    Pending,

    /// <summary>The digest was written (or there was nothing to write for this reader's categories).</summary>
    Done,

    /// <summary>The run failed; <see cref="ReaderRun.Error"/> says why.</summary>
    Failed,
}

/// <summary>One reader's run for one announcement day.</summary>
/// <param name="ReaderId">The reader.</param>
/// <param name="Day">The announcement day.</param>
/// <param name="Status">Pending, done or failed.</param>
/// <param name="Attempts">How many times a node claimed it.</param>
/// <param name="Error">Why it failed, when it did.</param>
public sealed record ReaderRun(string ReaderId, DateOnly Day, ReaderRunStatus Status, int Attempts, string? Error);

/// <summary>How far a day's run is.</summary>
/// <param name="Readers">Readers in the run.</param>
/// <param name="Done">Readers whose digest is written.</param>
/// <param name="Failed">Readers whose run failed.</param>
public sealed record RunCounts(int Readers, int Done, int Failed);

/// <summary>
/// Cluster runs, where every node sees them: one run per requested day (a second start is a no-op), and one leased run
/// per reader and announcement day, so a reader's digest is made by one node at a time and a dead node's lease expires.
/// </summary>
public sealed partial class PostgreSqlArxivRankDatabase
{
    /// <summary>
    /// Records the run of a requested day, once: the first caller's announcement day and readers win, later callers get
    /// what the first recorded. Each reader gets a pending run for the announcement day.
    /// </summary>
    /// <param name="requestDay">The day the run was asked for (one run per such day).</param>
    /// <param name="announcementDay">The announcement the run covers, or <see langword="null"/> when there is none.</param>
    /// <param name="readerIds">The readers in the run.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether this call started the run, and the run's announcement day.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="readerIds"/> is <see langword="null"/>.</exception>
    /// <exception cref="DigestStoreException">The database cannot be written.</exception>
    public async Task<(bool Started, DateOnly? AnnouncementDay)> StartRunAsync(DateOnly requestDay, DateOnly? announcementDay, IReadOnlyCollection<string> readerIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(readerIds);
        string[] readers = [.. readerIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        var now = Utc(TimeProvider.GetUtcNow());
        return await WriteAsync<(bool, DateOnly?)>(
            "start the run",
            async (c, t, ct) =>
            {
                using (var insert = Command(c, "INSERT INTO arxivrank.runs (request_day, announcement_day, started_at) VALUES (@request, @announcement, @at) ON CONFLICT DO NOTHING;", t)
                    .Add("request", NpgsqlDbType.Date, requestDay)
                    .Add("announcement", NpgsqlDbType.Date, announcementDay)
                    .Add("at", NpgsqlDbType.TimestampTz, now))
                {
                    if (await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 0)
                    {
                        using var read = Command(c, "SELECT announcement_day FROM arxivrank.runs WHERE request_day = @request;", t).Add("request", NpgsqlDbType.Date, requestDay);
                        using var reader = await read.ExecuteReaderAsync(ct).ConfigureAwait(false);
                        await reader.ReadAsync(ct).ConfigureAwait(false);
                        return (false, reader.IsDBNull(0) ? null : reader.GetFieldValue<DateOnly>(0));
                    }
                }

                if (announcementDay is { } day && readers.Length > 0)
                {
                    using var runs = Command(
                        c,
                        "INSERT INTO arxivrank.reader_runs (reader_id, day, status, updated_at) SELECT r, @day, 'pending', @at FROM unnest(@readers) AS r ON CONFLICT DO NOTHING;",
                        t)
                        .Add("day", NpgsqlDbType.Date, day)
                        .Add("at", NpgsqlDbType.TimestampTz, now)
                        .Add("readers", NpgsqlDbType.Array | NpgsqlDbType.Text, readers);
                    await runs.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }

                return (true, announcementDay);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gets the run recorded for a requested day.</summary>
    /// <param name="requestDay">The day the run was asked for.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Whether a run was recorded, and its announcement day (null when the day had none).</returns>
    /// <exception cref="DigestStoreException">The database cannot be read.</exception>
    public async Task<(bool Exists, DateOnly? AnnouncementDay)> GetRunAsync(DateOnly requestDay, CancellationToken cancellationToken = default)
        => await ReadAsync<(bool, DateOnly?)>(
            "read the run",
            async (c, ct) =>
            {
                using var read = Command(c, "SELECT announcement_day FROM arxivrank.runs WHERE request_day = @request;").Add("request", NpgsqlDbType.Date, requestDay);
                using var reader = await read.ExecuteReaderAsync(ct).ConfigureAwait(false);
                return await reader.ReadAsync(ct).ConfigureAwait(false) ? (true, reader.IsDBNull(0) ? null : reader.GetFieldValue<DateOnly>(0)) : (false, null);
            },
            cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Claims a reader's pending run for a lease: succeeds only when no other node holds an unexpired lease on it, so at
    /// most one node makes the digest at a time; a node that dies loses its lease when it expires.
    /// </summary>
    /// <param name="readerId">The reader.</param>
    /// <param name="day">The announcement day.</param>
    /// <param name="lease">How long the claim holds without renewal.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see langword="true"/> when this caller now holds the run.</returns>
    /// <exception cref="DigestStoreException">The database cannot be written.</exception>
    public async Task<bool> TryClaimReaderRunAsync(string readerId, DateOnly day, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        CheckReader(readerId);
        return await WriteAsync(
            "claim the reader's run",
            async (c, t, ct) =>
            {
                var now = await LeaseClockAsync(c, t, ct).ConfigureAwait(false);
                using var claim = Command(
                    c,
                    """
                    UPDATE arxivrank.reader_runs SET lease_until = @until, attempts = attempts + 1, updated_at = @now
                    WHERE reader_id = @reader AND day = @day AND status = 'pending' AND (lease_until IS NULL OR lease_until < @now);
                    """,
                    t)
                    .Add("reader", NpgsqlDbType.Text, readerId)
                    .Add("day", NpgsqlDbType.Date, day)
                    .Add("now", NpgsqlDbType.TimestampTz, Utc(now))
                    .Add("until", NpgsqlDbType.TimestampTz, Utc(now + lease));
                return await claim.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds a pending run for a reader and day unless one exists (a reader's own daily reminder).</summary>
    /// <param name="readerId">The reader.</param>
    /// <param name="day">The announcement day.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the run exists.</returns>
    /// <exception cref="DigestStoreException">The database cannot be written.</exception>
    public async Task EnsureReaderRunAsync(string readerId, DateOnly day, CancellationToken cancellationToken = default)
    {
        CheckReader(readerId);
        var now = Utc(TimeProvider.GetUtcNow());
        await WriteAsync(
            "add the reader's run",
            async (c, t, ct) =>
            {
                using var insert = Command(c, "INSERT INTO arxivrank.reader_runs (reader_id, day, status, updated_at) VALUES (@reader, @day, 'pending', @now) ON CONFLICT DO NOTHING;", t)
                    .Add("reader", NpgsqlDbType.Text, readerId)
                    .Add("day", NpgsqlDbType.Date, day)
                    .Add("now", NpgsqlDbType.TimestampTz, now);
                await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Extends the lease of a run this node holds (call it well before the lease ends).</summary>
    /// <param name="readerId">The reader.</param>
    /// <param name="day">The announcement day.</param>
    /// <param name="lease">The new lease, from now.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see langword="true"/> when the run is still pending and leased.</returns>
    /// <exception cref="DigestStoreException">The database cannot be written.</exception>
    public async Task<bool> RenewReaderRunAsync(string readerId, DateOnly day, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        CheckReader(readerId);
        return await WriteAsync(
            "renew the reader's run",
            async (c, t, ct) =>
            {
                var now = await LeaseClockAsync(c, t, ct).ConfigureAwait(false);
                using var renew = Command(c, "UPDATE arxivrank.reader_runs SET lease_until = @until, updated_at = @now WHERE reader_id = @reader AND day = @day AND status = 'pending';", t)
                    .Add("reader", NpgsqlDbType.Text, readerId)
                    .Add("day", NpgsqlDbType.Date, day)
                    .Add("now", NpgsqlDbType.TimestampTz, Utc(now))
                    .Add("until", NpgsqlDbType.TimestampTz, Utc(now + lease));
                return await renew.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records how a reader's run ended (and releases its lease).</summary>
    /// <param name="readerId">The reader.</param>
    /// <param name="day">The announcement day.</param>
    /// <param name="status"><see cref="ReaderRunStatus.Done"/> or <see cref="ReaderRunStatus.Failed"/>.</param>
    /// <param name="error">Why it failed, when it did.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the outcome is stored.</returns>
    /// <exception cref="DigestStoreException">The database cannot be written.</exception>
    public async Task CompleteReaderRunAsync(string readerId, DateOnly day, ReaderRunStatus status, string? error = null, CancellationToken cancellationToken = default)
    {
        CheckReader(readerId);
        var now = Utc(TimeProvider.GetUtcNow());
        await WriteAsync(
            "record the reader's run",
            async (c, t, ct) =>
            {
                using var complete = Command(
                    c,
                    """
                    INSERT INTO arxivrank.reader_runs (reader_id, day, status, attempts, error, updated_at) VALUES (@reader, @day, @status, 1, @error, @now)
                    ON CONFLICT (day, reader_id) DO UPDATE SET status = excluded.status, error = excluded.error, lease_until = NULL, updated_at = excluded.updated_at;
                    """,
                    t)
                    .Add("reader", NpgsqlDbType.Text, readerId)
                    .Add("day", NpgsqlDbType.Date, day)
                    .Add("status", NpgsqlDbType.Text, StatusName(status))
                    .Add("error", NpgsqlDbType.Text, error)
                    .Add("now", NpgsqlDbType.TimestampTz, now);
                await complete.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Counts a day's reader runs.</summary>
    /// <param name="day">The announcement day.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Readers, done and failed.</returns>
    /// <exception cref="DigestStoreException">The database cannot be read.</exception>
    public async Task<RunCounts> GetRunCountsAsync(DateOnly day, CancellationToken cancellationToken = default)
        => await ReadAsync(
            "count the run",
            async (c, ct) =>
            {
                using var count = Command(
                    c,
                    "SELECT COUNT(*), COUNT(*) FILTER (WHERE status = 'done'), COUNT(*) FILTER (WHERE status = 'failed') FROM arxivrank.reader_runs WHERE day = @day;")
                    .Add("day", NpgsqlDbType.Date, day);
                using var reader = await count.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await reader.ReadAsync(ct).ConfigureAwait(false);
                return new RunCounts((int)reader.GetInt64(0), (int)reader.GetInt64(1), (int)reader.GetInt64(2));
            },
            cancellationToken).ConfigureAwait(false);

    /// <summary>Lists a day's reader runs, in reader order.</summary>
    /// <param name="day">The announcement day.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The runs.</returns>
    /// <exception cref="DigestStoreException">The database cannot be read.</exception>
    public async Task<IReadOnlyList<ReaderRun>> GetReaderRunsAsync(DateOnly day, CancellationToken cancellationToken = default)
        => await ReadAsync(
            "read the run",
            async (c, ct) =>
            {
                using var read = Command(c, "SELECT reader_id, status, attempts, error FROM arxivrank.reader_runs WHERE day = @day ORDER BY reader_id COLLATE \"C\";")
                    .Add("day", NpgsqlDbType.Date, day);
                using var reader = await read.ExecuteReaderAsync(ct).ConfigureAwait(false);
                var list = new List<ReaderRun>();
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    list.Add(new ReaderRun(reader.GetString(0), day, ParseStatus(reader.GetString(1)), reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
                }

                return (IReadOnlyList<ReaderRun>)list;
            },
            cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Reads the clock that decides every lease's expiry (the reader runs' and the run lease): the database's own
    /// (<c>clock_timestamp()</c>), so that nodes whose clocks differ still agree when a lease has ended; a database made
    /// with an injected <see cref="System.TimeProvider"/> (tests) uses that one instead.
    /// </summary>
    internal async Task<DateTimeOffset> LeaseClockAsync(Npgsql.NpgsqlConnection connection, Npgsql.NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        if (!ReferenceEquals(TimeProvider, TimeProvider.System))
        {
            return TimeProvider.GetUtcNow();
        }

        using var command = Command(connection, "SELECT clock_timestamp();", transaction);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return reader.GetFieldValue<DateTimeOffset>(0);
    }

    private static string StatusName(ReaderRunStatus status) => status switch
    {
        ReaderRunStatus.Done => "done",
        ReaderRunStatus.Failed => "failed",
        _ => "pending",
    };

    private static ReaderRunStatus ParseStatus(string name) => name switch
    {
        "done" => ReaderRunStatus.Done,
        "failed" => ReaderRunStatus.Failed,
        _ => ReaderRunStatus.Pending,
    };
}
