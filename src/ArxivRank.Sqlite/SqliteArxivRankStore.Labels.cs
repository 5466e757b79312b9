using System.Globalization;
using System.Text;
using System.Text.Json;
using ArxivRank.Ranking;

namespace ArxivRank.Sqlite;

/// <summary>The learned ranker's history (schema v3): judged papers with their text, reader feedback, trained models.</summary>
public sealed partial class SqliteArxivRankStore : ILabelStore
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

        string now = _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        await WriteAsync(
            (c, t) =>
            {
                using var insert = Command(
                    c,
                    """
                    INSERT OR REPLACE INTO judged_papers
                        (paper_id, day, paper_version, title, abstract, authors_json, categories_json, relevance, novelty, selected, scored_by, recorded_at)
                    VALUES ($id, $day, $version, $title, $abstract, $authors, $categories, $relevance, $novelty, $selected, $scoredBy, $at);
                    """,
                    ("$id", null), ("$day", null), ("$version", null), ("$title", null), ("$abstract", null), ("$authors", null),
                    ("$categories", null), ("$relevance", null), ("$novelty", null), ("$selected", null), ("$scoredBy", null), ("$at", now));
                insert.Transaction = t;
                foreach (var judged in papers)
                {
                    ArgumentNullException.ThrowIfNull(judged, nameof(papers));
                    var paper = judged.Paper;
                    Set(insert, "$id", paper.Id.Id);
                    Set(insert, "$day", Day(judged.Day));
                    Set(insert, "$version", paper.Id.Version);
                    Set(insert, "$title", paper.Title ?? string.Empty);
                    Set(insert, "$abstract", paper.Abstract ?? string.Empty);
                    Set(insert, "$authors", JsonArray(paper.Authors ?? []));
                    Set(insert, "$categories", JsonArray(paper.Categories ?? []));
                    Set(insert, "$relevance", judged.Relevance);
                    Set(insert, "$novelty", judged.Novelty);
                    Set(insert, "$selected", judged.Selected ? 1 : 0);
                    Set(insert, "$scoredBy", judged.ScoredBy);
                    insert.ExecuteNonQuery();
                }
            },
            "record judged papers",
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<JudgedPaper>> GetJudgmentsAsync(CancellationToken cancellationToken = default)
        => ReadJudgmentsAsync(string.Empty, [], cancellationToken);

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<JudgedPaper>> GetRecentJudgmentsAsync(int days, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);

        // Days are stored as yyyy-MM-dd text, so their order is the calendar's.
        return ReadJudgmentsAsync(
            """
            WHERE day >= (SELECT MIN(day) FROM (SELECT DISTINCT day FROM judged_papers ORDER BY day DESC LIMIT $days))
               OR paper_id IN (SELECT paper_id FROM feedback)
            """,
            [("$days", days)],
            cancellationToken);
    }

    private async ValueTask<IReadOnlyList<JudgedPaper>> ReadJudgmentsAsync(string where, (string Name, object? Value)[] parameters, CancellationToken cancellationToken)
        => await ReadAsync(
            c =>
            {
                using var command = Command(
                    c,
                    $"""
                    SELECT paper_id, day, paper_version, title, abstract, authors_json, categories_json, relevance, novelty, selected, scored_by
                    FROM judged_papers {where} ORDER BY day, paper_id;
                    """,
                    parameters);
                using var reader = command.ExecuteReader();
                var list = new List<JudgedPaper>();
                while (reader.Read())
                {
                    if (!ArxivId.TryParse(reader.GetString(0), out var id))
                    {
                        continue; // A damaged id loses one label, never the rest.
                    }

                    if (!reader.IsDBNull(2) && reader.GetInt32(2) is > 0 and var version)
                    {
                        id = id.WithVersion(version);
                    }

                    var day = ParseDay(reader.GetString(1));
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
                        reader.GetInt32(9) != 0,
                        reader.IsDBNull(10) ? null : reader.GetString(10)));
                }

                return (IReadOnlyList<JudgedPaper>)list;
            },
            "read judged papers",
            cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask RecordFeedbackAsync(ArxivId paperId, Feedback feedback, CancellationToken cancellationToken = default)
    {
        if (!Enum.IsDefined(feedback))
        {
            throw new ArgumentOutOfRangeException(nameof(feedback), feedback, "Feedback must be Like or Dislike.");
        }

        string now = _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        await WriteAsync(
            (c, t) => Execute(
                c,
                t,
                "INSERT INTO feedback (paper_id, verdict, recorded_at) VALUES ($id, $verdict, $at);",
                ("$id", paperId.Id),
                ("$verdict", feedback == Feedback.Like ? "like" : "dislike"),
                ("$at", now)),
            "record feedback",
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<FeedbackRecord>> GetFeedbackAsync(CancellationToken cancellationToken = default)
        => await ReadAsync(
            c =>
            {
                using var command = Command(c, "SELECT paper_id, verdict, recorded_at FROM feedback ORDER BY id;");
                using var reader = command.ExecuteReader();
                var list = new List<FeedbackRecord>();
                while (reader.Read())
                {
                    if (ArxivId.TryParse(reader.GetString(0), out var id)
                        && DateTimeOffset.TryParse(reader.GetString(2), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at))
                    {
                        list.Add(new FeedbackRecord(id, reader.GetString(1) == "like" ? Feedback.Like : Feedback.Dislike, at));
                    }
                }

                return (IReadOnlyList<FeedbackRecord>)list;
            },
            "read feedback",
            cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask SaveModelAsync(LearnedRanker ranker, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ranker);
        using var buffer = new MemoryStream();
        await ranker.SaveAsync(buffer, cancellationToken).ConfigureAwait(false);
        string json = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        string now = _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        await WriteAsync(
            (c, t) =>
            {
                Execute(
                    c,
                    t,
                    "INSERT INTO learned_models (format_version, model_json, created_at) VALUES ($format, $json, $at);",
                    ("$format", LearnedRanker.CurrentFormatVersion),
                    ("$json", json),
                    ("$at", now));
                Execute(c, t, "DELETE FROM learned_models WHERE id NOT IN (SELECT id FROM learned_models ORDER BY id DESC LIMIT $keep);", ("$keep", KeptModels));
            },
            "save the learned ranker",
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<LearnedRanker?> LoadModelAsync(CancellationToken cancellationToken = default)
    {
        string? json = await ReadAsync(
            c => Scalar(c, "SELECT model_json FROM learned_models ORDER BY id DESC LIMIT 1;") as string,
            "read the learned ranker",
            cancellationToken).ConfigureAwait(false);
        if (json is null)
        {
            return null;
        }

        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json), writable: false);
        return await LearnedRanker.LoadAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    private static string[] Strings(string json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, SqliteJsonContext.Default.StringArray) ?? [];
        }
        catch (JsonException)
        {
            return []; // Damaged author or category lists lose only those, never the label.
        }
    }
}
