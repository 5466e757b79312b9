using ArxivRank.Pipeline;
using System.Text.Json;
using ArxivRank.Sources;
using NpgsqlTypes;

namespace ArxivRank.PostgreSql;

/// <summary>The data every node shares: reader profiles (as JSON) and the announcements fetched once for the cluster.</summary>
public sealed partial class PostgreSqlArxivRankDatabase
{
    /// <summary>Creates or replaces a reader's profile.</summary>
    /// <param name="readerId">The reader (see <see cref="ReaderIds"/>).</param>
    /// <param name="profileJson">The profile as JSON; the store keeps it as given.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see langword="true"/> when the reader is new; <see langword="false"/> when an existing profile was replaced.</returns>
    /// <exception cref="ArgumentException"><paramref name="readerId"/> is not a valid reader id, or <paramref name="profileJson"/> is blank.</exception>
    /// <exception cref="DigestStoreException">The database cannot be written.</exception>
    public async Task<bool> PutReaderProfileAsync(string readerId, string profileJson, CancellationToken cancellationToken = default)
    {
        CheckReader(readerId);
        ArgumentException.ThrowIfNullOrWhiteSpace(profileJson);
        var now = Utc(TimeProvider.GetUtcNow());
        return await WriteAsync(
            "save the reader profile",
            async (c, t, ct) =>
            {
                // xmax = 0 only for a freshly inserted row: tells create from replace in one statement.
                using var command = Command(
                    c,
                    """
                    INSERT INTO arxivrank.readers (reader_id, profile_json, created_at, updated_at) VALUES (@reader, @json, @at, @at)
                    ON CONFLICT (reader_id) DO UPDATE SET profile_json = excluded.profile_json, updated_at = excluded.updated_at
                    RETURNING (xmax = 0);
                    """,
                    t)
                    .Add("reader", NpgsqlDbType.Text, readerId)
                    .Add("json", NpgsqlDbType.Text, profileJson)
                    .Add("at", NpgsqlDbType.TimestampTz, now);
                return (bool)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gets a reader's profile JSON.</summary>
    /// <param name="readerId">The reader.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The JSON, or <see langword="null"/> for an unknown reader.</returns>
    /// <exception cref="ArgumentException"><paramref name="readerId"/> is not a valid reader id.</exception>
    /// <exception cref="DigestStoreException">The database cannot be read.</exception>
    public async Task<string?> GetReaderProfileAsync(string readerId, CancellationToken cancellationToken = default)
    {
        CheckReader(readerId);
        return await ReadAsync(
            "read the reader profile",
            async (c, ct) =>
            {
                using var command = Command(c, "SELECT profile_json FROM arxivrank.readers WHERE reader_id = @reader;").Add("reader", NpgsqlDbType.Text, readerId);
                return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) as string;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lists every reader, in id order.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The reader ids.</returns>
    /// <exception cref="DigestStoreException">The database cannot be read.</exception>
    public async Task<IReadOnlyList<string>> ListReadersAsync(CancellationToken cancellationToken = default)
        => await ReadAsync(
            "list the readers",
            async (c, ct) =>
            {
                using var command = Command(c, "SELECT reader_id FROM arxivrank.readers ORDER BY reader_id COLLATE \"C\";");
                using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                var list = new List<string>();
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    list.Add(reader.GetString(0));
                }

                return (IReadOnlyList<string>)list;
            },
            cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Keeps an announcement (what a source returned for a category set and day) for every node, unless one is kept
    /// already: the first writer wins, so all readers of a day see the same papers.
    /// </summary>
    /// <param name="categories">The category set, as a canonical key (e.g. <c>cs.CL+cs.LG</c>).</param>
    /// <param name="day">The announcement day.</param>
    /// <param name="result">What the source returned.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The announcement now kept: <paramref name="result"/>, or the one another node kept first.</returns>
    /// <exception cref="ArgumentException"><paramref name="categories"/> is blank.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="result"/> is <see langword="null"/>.</exception>
    /// <exception cref="DigestStoreException">The database cannot be written.</exception>
    public async Task<SourceResult> SaveAnnouncementAsync(string categories, DateOnly day, SourceResult result, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(categories);
        ArgumentNullException.ThrowIfNull(result);
        string json = JsonSerializer.Serialize(result, PostgreSqlJsonContext.Default.SourceResult);
        var now = Utc(TimeProvider.GetUtcNow());
        string kept = await WriteAsync(
            "keep the announcement",
            async (c, t, ct) =>
            {
                using var command = Command(
                    c,
                    """
                    INSERT INTO arxivrank.announcements (categories, day, result_json, paper_count, fetched_at) VALUES (@categories, @day, @json, @count, @at)
                    ON CONFLICT (categories, day) DO NOTHING;
                    SELECT result_json FROM arxivrank.announcements WHERE categories = @categories AND day = @day;
                    """,
                    t)
                    .Add("categories", NpgsqlDbType.Text, categories)
                    .Add("day", NpgsqlDbType.Date, day)
                    .Add("json", NpgsqlDbType.Text, json)
                    .Add("count", NpgsqlDbType.Integer, result.Papers.Count)
                    .Add("at", NpgsqlDbType.TimestampTz, now);
                return (string)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
            },
            cancellationToken).ConfigureAwait(false);
        return kept == json ? result : ParseAnnouncement(kept, categories, day);
    }

    /// <summary>Loads a kept announcement.</summary>
    /// <param name="categories">The category set key.</param>
    /// <param name="day">The announcement day.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The announcement, or <see langword="null"/> when none is kept for that set and day.</returns>
    /// <exception cref="ArgumentException"><paramref name="categories"/> is blank.</exception>
    /// <exception cref="DigestStoreException">The database cannot be read, or the kept announcement is damaged.</exception>
    public async Task<SourceResult?> LoadAnnouncementAsync(string categories, DateOnly day, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(categories);
        string? json = await ReadAsync(
            "read the announcement",
            async (c, ct) =>
            {
                using var command = Command(c, "SELECT result_json FROM arxivrank.announcements WHERE categories = @categories AND day = @day;")
                    .Add("categories", NpgsqlDbType.Text, categories)
                    .Add("day", NpgsqlDbType.Date, day);
                return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) as string;
            },
            cancellationToken).ConfigureAwait(false);
        return json is null ? null : ParseAnnouncement(json, categories, day);
    }

    private static void CheckReader(string readerId)
    {
        if (ReaderIds.Problem(readerId) is { } problem)
        {
            throw new ArgumentException($"The reader id {problem}", nameof(readerId));
        }
    }

    private SourceResult ParseAnnouncement(string json, string categories, DateOnly day)
    {
        try
        {
            return JsonSerializer.Deserialize(json, PostgreSqlJsonContext.Default.SourceResult)
                ?? throw new JsonException("The announcement is JSON null.");
        }
        catch (JsonException ex)
        {
            throw new DigestStoreException(
                $"The announcement {categories} of {day:yyyy-MM-dd} kept in {Location} is damaged ({ex.Message}); delete its row from arxivrank.announcements so it is fetched again.",
                ex)
            { Location = Location };
        }
    }
}
