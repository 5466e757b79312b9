using ArxivRank.Pipeline;
using ArxivRank.Rendering;
using ArxivRank.Scoring;
using Npgsql;
using NpgsqlTypes;

namespace ArxivRank.PostgreSql;

/// <summary>
/// One reader's view of a <see cref="PostgreSqlArxivRankDatabase"/>: that reader's digest history, papers seen, labels,
/// feedback, model, run lease, delivery records and Batch API jobs, plus the database's shared score cache. Get one from
/// <see cref="PostgreSqlArxivRankDatabase.ForReader"/>.
/// </summary>
/// <remarks>Thread-safe and cheap: it holds no connection, only the reader id and the database.</remarks>
public sealed partial class PostgreSqlArxivRankStore : IDigestStore, IScoreCache
{
    internal PostgreSqlArxivRankStore(PostgreSqlArxivRankDatabase database, string readerId)
    {
        Database = database;
        ReaderId = readerId;
    }

    /// <summary>Gets the database this store reads and writes.</summary>
    public PostgreSqlArxivRankDatabase Database { get; }

    /// <summary>Gets the reader whose data this store holds.</summary>
    public string ReaderId { get; }

    /// <inheritdoc/>
    public async ValueTask<DateOnly?> GetLastProcessedAsync(CancellationToken cancellationToken = default)
        => await Database.ReadAsync(
            "read the last processed day",
            async (c, ct) => await FirstAsync<DateOnly>(c, "SELECT MAX(day) FROM arxivrank.digests WHERE reader_id = @reader;", ct).ConfigureAwait(false) is (true, var day) ? day : (DateOnly?)null,
            cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<bool> IsProcessedAsync(DateOnly day, CancellationToken cancellationToken = default)
        => await Database.ReadAsync(
            "read the history",
            async (c, ct) => (await FirstAsync<int>(c, "SELECT 1 FROM arxivrank.digests WHERE reader_id = @reader AND day = @day;", ct, ("day", NpgsqlDbType.Date, day)).ConfigureAwait(false)).Found,
            cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<IReadOnlySet<ArxivId>> GetSeenBeforeAsync(DateOnly day, IReadOnlyCollection<ArxivId> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return new HashSet<ArxivId>();
        }

        string[] wanted = [.. ids.Select(id => id.Id).Distinct(StringComparer.Ordinal)];
        return await Database.ReadAsync(
            "read the papers seen before",
            async (c, ct) =>
            {
                using var command = ReaderCommand(c, "SELECT DISTINCT paper_id FROM arxivrank.seen_papers WHERE reader_id = @reader AND day < @day AND paper_id = ANY(@ids);")
                    .Add("day", NpgsqlDbType.Date, day)
                    .Add("ids", NpgsqlDbType.Array | NpgsqlDbType.Text, wanted);
                using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                var seen = new HashSet<ArxivId>();
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    if (ArxivId.TryParse(reader.GetString(0), out var id))
                    {
                        seen.Add(id);
                    }
                }

                return (IReadOnlySet<ArxivId>)seen;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask MarkProcessedAsync(DigestRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        string[] seen = [.. (record.SeenPaperIds ?? []).Select(i => i.Id).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        await Database.WriteAsync(
            "record the processed day",
            async (c, t, ct) =>
            {
                // The digest row first: it serializes two writers of the same reader and day.
                using (var upsert = ReaderCommand(
                    c,
                    """
                    INSERT INTO arxivrank.digests (reader_id, day, total_papers, scanned_papers, selected_papers, processed_at, digest_json)
                    VALUES (@reader, @day, @total, @scanned, @selected, @at, @json)
                    ON CONFLICT (reader_id, day) DO UPDATE SET
                        total_papers = excluded.total_papers, scanned_papers = excluded.scanned_papers,
                        selected_papers = excluded.selected_papers, processed_at = excluded.processed_at, digest_json = excluded.digest_json;
                    DELETE FROM arxivrank.seen_papers WHERE reader_id = @reader AND day = @day;
                    INSERT INTO arxivrank.seen_papers (reader_id, paper_id, day) SELECT @reader, id, @day FROM unnest(@ids) AS id ON CONFLICT DO NOTHING;
                    """,
                    t)
                    .Add("day", NpgsqlDbType.Date, record.Date)
                    .Add("total", NpgsqlDbType.Integer, record.TotalPapers)
                    .Add("scanned", NpgsqlDbType.Integer, record.ScannedPapers)
                    .Add("selected", NpgsqlDbType.Integer, record.SelectedPapers)
                    .Add("at", NpgsqlDbType.TimestampTz, PostgreSqlArxivRankDatabase.Utc(record.ProcessedAt))
                    .Add("json", NpgsqlDbType.Text, record.DigestJson)
                    .Add("ids", NpgsqlDbType.Array | NpgsqlDbType.Text, seen))
                {
                    await upsert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<DigestSummary>> GetHistoryAsync(DateOnly? from = null, DateOnly? until = null, CancellationToken cancellationToken = default)
        => await Database.ReadAsync(
            "read the history",
            async (c, ct) =>
            {
                using var command = ReaderCommand(
                    c,
                    """
                    SELECT day, total_papers, scanned_papers, selected_papers, processed_at FROM arxivrank.digests
                    WHERE reader_id = @reader AND (@from::date IS NULL OR day >= @from) AND (@until::date IS NULL OR day <= @until)
                    ORDER BY day;
                    """)
                    .Add("from", NpgsqlDbType.Date, from)
                    .Add("until", NpgsqlDbType.Date, until);
                using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                var list = new List<DigestSummary>();
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    list.Add(new DigestSummary(
                        reader.GetFieldValue<DateOnly>(0),
                        reader.GetInt32(1),
                        reader.GetInt32(2),
                        reader.GetInt32(3),
                        reader.GetFieldValue<DateTimeOffset>(4)));
                }

                return (IReadOnlyList<DigestSummary>)list;
            },
            cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<DigestNavigation> GetNavigationAsync(DateOnly day, CancellationToken cancellationToken = default)
        => await Database.ReadAsync(
            "read the history",
            async (c, ct) =>
            {
                using var command = ReaderCommand(
                    c,
                    """
                    SELECT (SELECT MAX(day) FROM arxivrank.digests WHERE reader_id = @reader AND day < @day),
                           (SELECT MIN(day) FROM arxivrank.digests WHERE reader_id = @reader AND day > @day);
                    """)
                    .Add("day", NpgsqlDbType.Date, day);
                using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await reader.ReadAsync(ct).ConfigureAwait(false);
                return new DigestNavigation
                {
                    Previous = reader.IsDBNull(0) ? null : reader.GetFieldValue<DateOnly>(0),
                    Next = reader.IsDBNull(1) ? null : reader.GetFieldValue<DateOnly>(1),
                };
            },
            cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<string?> LoadDigestJsonAsync(DateOnly day, CancellationToken cancellationToken = default)
        => await Database.ReadAsync(
            "read a digest",
            async (c, ct) => (await FirstAsync<string>(c, "SELECT digest_json FROM arxivrank.digests WHERE reader_id = @reader AND day = @day;", ct, ("day", NpgsqlDbType.Date, day)).ConfigureAwait(false)).Value,
            cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public ValueTask<IReadOnlyDictionary<ScoreCacheKey, PaperScore>> GetManyAsync(IReadOnlyCollection<ScoreCacheKey> keys, CancellationToken cancellationToken = default)
        => Database.GetManyAsync(keys, cancellationToken);

    /// <inheritdoc/>
    public ValueTask SetManyAsync(IReadOnlyCollection<KeyValuePair<ScoreCacheKey, PaperScore>> entries, CancellationToken cancellationToken = default)
        => Database.SetManyAsync(entries, cancellationToken);

    private NpgsqlCommand ReaderCommand(NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction = null)
        => PostgreSqlArxivRankDatabase.Command(connection, sql, transaction).Add("reader", NpgsqlDbType.Text, ReaderId);

    /// <summary>Reads the first column of the first row: (false, default) when there is no row or it is NULL.</summary>
    private async Task<(bool Found, T? Value)> FirstAsync<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, NpgsqlDbType Type, object? Value)[] parameters)
    {
        using var command = ReaderCommand(connection, sql);
        foreach (var (name, type, value) in parameters)
        {
            command.Add(name, type, value);
        }

        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && !reader.IsDBNull(0)
            ? (true, reader.GetFieldValue<T>(0))
            : (false, default);
    }
}
