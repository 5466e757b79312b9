using System.Text;
using System.Text.Json;
using ArxivRank.Ranking;
using NpgsqlTypes;

namespace ArxivRank.PostgreSql;

/// <summary>The reader's learned-ranker history: judged papers with their text, feedback, trained models.</summary>
public sealed partial class PostgreSqlArxivRankStore : ILabelStore
{
    private const int KeptModels = 5;

    /// <inheritdoc/>
    public async ValueTask RecordJudgmentsAsync(IReadOnlyCollection<JudgedPaper> papers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(papers);
        if (papers.Count == 0)
        {
            return;
        }

        // One row per paper and day (the last wins), in key order so concurrent writers never deadlock.
        var rows = new SortedDictionary<(string Paper, DateOnly Day), JudgedPaper>();
        foreach (var judged in papers)
        {
            ArgumentNullException.ThrowIfNull(judged, nameof(papers));
            rows[(judged.Paper.Id.Id, judged.Day)] = judged;
        }

        var values = rows.Values;
        var now = PostgreSqlArxivRankDatabase.Utc(Database.TimeProvider.GetUtcNow());
        await Database.WriteAsync(
            "record judged papers",
            async (c, t, ct) =>
            {
                using var command = ReaderCommand(
                    c,
                    """
                    INSERT INTO arxivrank.judged_papers
                        (reader_id, paper_id, day, paper_version, title, abstract, authors_json, categories_json, relevance, novelty, selected, scored_by, recorded_at)
                    SELECT @reader, r.*, @at FROM unnest(@ids, @days, @versions, @titles, @abstracts, @authors, @categories, @relevance, @novelty, @selected, @scoredBy)
                        AS r(paper_id, day, paper_version, title, abstract, authors_json, categories_json, relevance, novelty, selected, scored_by)
                    ON CONFLICT (reader_id, paper_id, day) DO UPDATE SET
                        paper_version = excluded.paper_version, title = excluded.title, abstract = excluded.abstract,
                        authors_json = excluded.authors_json, categories_json = excluded.categories_json, relevance = excluded.relevance,
                        novelty = excluded.novelty, selected = excluded.selected, scored_by = excluded.scored_by, recorded_at = excluded.recorded_at;
                    """,
                    t)
                    .Add("ids", NpgsqlDbType.Array | NpgsqlDbType.Text, values.Select(j => j.Paper.Id.Id).ToArray())
                    .Add("days", NpgsqlDbType.Array | NpgsqlDbType.Date, values.Select(j => j.Day).ToArray())
                    .Add("versions", NpgsqlDbType.Array | NpgsqlDbType.Integer, values.Select(j => j.Paper.Id.Version).ToArray())
                    .Add("titles", NpgsqlDbType.Array | NpgsqlDbType.Text, values.Select(j => j.Paper.Title ?? string.Empty).ToArray())
                    .Add("abstracts", NpgsqlDbType.Array | NpgsqlDbType.Text, values.Select(j => j.Paper.Abstract ?? string.Empty).ToArray())
                    .Add("authors", NpgsqlDbType.Array | NpgsqlDbType.Text, values.Select(j => Json(j.Paper.Authors)).ToArray())
                    .Add("categories", NpgsqlDbType.Array | NpgsqlDbType.Text, values.Select(j => Json(j.Paper.Categories)).ToArray())
                    .Add("relevance", NpgsqlDbType.Array | NpgsqlDbType.Integer, values.Select(j => j.Relevance).ToArray())
                    .Add("novelty", NpgsqlDbType.Array | NpgsqlDbType.Integer, values.Select(j => j.Novelty).ToArray())
                    .Add("selected", NpgsqlDbType.Array | NpgsqlDbType.Boolean, values.Select(j => j.Selected).ToArray())
                    .Add("scoredBy", NpgsqlDbType.Array | NpgsqlDbType.Text, values.Select(j => j.ScoredBy).ToArray())
                    .Add("at", NpgsqlDbType.TimestampTz, now);
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<JudgedPaper>> GetJudgmentsAsync(CancellationToken cancellationToken = default)
        => ReadJudgmentsAsync(string.Empty, null, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<JudgedPaper>> GetRecentJudgmentsAsync(int days, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        return ReadJudgmentsAsync(
            """
            AND (day >= (SELECT min(d.day) FROM (SELECT DISTINCT day FROM arxivrank.judged_papers WHERE reader_id = @reader ORDER BY day DESC LIMIT @days) d)
                 OR paper_id IN (SELECT paper_id FROM arxivrank.feedback WHERE reader_id = @reader))
            """,
            days,
            cancellationToken);
    }

    private async ValueTask<IReadOnlyList<JudgedPaper>> ReadJudgmentsAsync(string andWhere, int? days, CancellationToken cancellationToken)
        => await Database.ReadAsync(
            "read judged papers",
            async (c, ct) =>
            {
                using var command = ReaderCommand(
                    c,
                    $"""
                    SELECT paper_id, day, paper_version, title, abstract, authors_json, categories_json, relevance, novelty, selected, scored_by
                    FROM arxivrank.judged_papers WHERE reader_id = @reader {andWhere} ORDER BY day, paper_id COLLATE "C";
                    """);
                if (days is { } n)
                {
                    command.Add("days", NpgsqlDbType.Integer, n);
                }

                using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                var list = new List<JudgedPaper>();
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    if (!ArxivId.TryParse(reader.GetString(0), out var id))
                    {
                        continue; // A damaged id loses one label, never the rest.
                    }

                    if (!reader.IsDBNull(2) && reader.GetInt32(2) is > 0 and var version)
                    {
                        id = id.WithVersion(version);
                    }

                    var day = reader.GetFieldValue<DateOnly>(1);
                    list.Add(new JudgedPaper(
                        new Paper
                        {
                            Id = id,
                            Title = reader.GetString(3),
                            Abstract = reader.GetString(4),
                            Authors = Strings(reader.GetString(5)),
                            Categories = Strings(reader.GetString(6)),
                            AnnouncedOn = day,
                        },
                        day,
                        reader.IsDBNull(7) ? null : reader.GetInt32(7),
                        reader.IsDBNull(8) ? null : reader.GetInt32(8),
                        reader.GetBoolean(9),
                        reader.IsDBNull(10) ? null : reader.GetString(10)));
                }

                return (IReadOnlyList<JudgedPaper>)list;
            },
            cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask RecordFeedbackAsync(ArxivId paperId, Feedback feedback, CancellationToken cancellationToken = default)
    {
        if (!Enum.IsDefined(feedback))
        {
            throw new ArgumentOutOfRangeException(nameof(feedback), feedback, "Feedback must be Like or Dislike.");
        }

        var now = PostgreSqlArxivRankDatabase.Utc(Database.TimeProvider.GetUtcNow());
        await Database.WriteAsync(
            "record feedback",
            async (c, t, ct) =>
            {
                using var command = ReaderCommand(c, "INSERT INTO arxivrank.feedback (reader_id, paper_id, verdict, recorded_at) VALUES (@reader, @id, @verdict, @at);", t)
                    .Add("id", NpgsqlDbType.Text, paperId.Id)
                    .Add("verdict", NpgsqlDbType.Text, feedback == Feedback.Like ? "like" : "dislike")
                    .Add("at", NpgsqlDbType.TimestampTz, now);
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<FeedbackRecord>> GetFeedbackAsync(CancellationToken cancellationToken = default)
        => await Database.ReadAsync(
            "read feedback",
            async (c, ct) =>
            {
                using var command = ReaderCommand(c, "SELECT paper_id, verdict, recorded_at FROM arxivrank.feedback WHERE reader_id = @reader ORDER BY id;");
                using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                var list = new List<FeedbackRecord>();
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    if (ArxivId.TryParse(reader.GetString(0), out var id))
                    {
                        list.Add(new FeedbackRecord(id, reader.GetString(1) == "like" ? Feedback.Like : Feedback.Dislike, reader.GetFieldValue<DateTimeOffset>(2)));
                    }
                }

                return (IReadOnlyList<FeedbackRecord>)list;
            },
            cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask SaveModelAsync(LearnedRanker ranker, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ranker);
        using var buffer = new MemoryStream();
        await ranker.SaveAsync(buffer, cancellationToken).ConfigureAwait(false);
        string json = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        var now = PostgreSqlArxivRankDatabase.Utc(Database.TimeProvider.GetUtcNow());
        await Database.WriteAsync(
            "save the learned ranker",
            async (c, t, ct) =>
            {
                using var command = ReaderCommand(
                    c,
                    """
                    INSERT INTO arxivrank.learned_models (reader_id, format_version, model_json, created_at) VALUES (@reader, @format, @json, @at);
                    DELETE FROM arxivrank.learned_models WHERE reader_id = @reader
                        AND id NOT IN (SELECT id FROM arxivrank.learned_models WHERE reader_id = @reader ORDER BY id DESC LIMIT @keep);
                    """,
                    t)
                    .Add("format", NpgsqlDbType.Integer, LearnedRanker.CurrentFormatVersion)
                    .Add("json", NpgsqlDbType.Text, json)
                    .Add("at", NpgsqlDbType.TimestampTz, now)
                    .Add("keep", NpgsqlDbType.Integer, KeptModels);
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<LearnedRanker?> LoadModelAsync(CancellationToken cancellationToken = default)
    {
        var (found, json) = await Database.ReadAsync(
            "read the learned ranker",
            (c, ct) => FirstAsync<string>(c, "SELECT model_json FROM arxivrank.learned_models WHERE reader_id = @reader ORDER BY id DESC LIMIT 1;", ct),
            cancellationToken).ConfigureAwait(false);
        if (!found || json is null)
        {
            return null;
        }

        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json), writable: false);
        return await LearnedRanker.LoadAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    private static string Json(IReadOnlyList<string>? values)
        => JsonSerializer.Serialize(values is null ? [] : values as string[] ?? [.. values], PostgreSqlJsonContext.Default.StringArray);

    private static string[] Strings(string json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, PostgreSqlJsonContext.Default.StringArray) ?? [];
        }
        catch (JsonException)
        {
            return []; // Damaged author or category lists lose only those, never the label.
        }
    }
}
