using System.Text.Json;
using ArxivRank.Scoring;
using Npgsql;
using NpgsqlTypes;

namespace ArxivRank.PostgreSql;

/// <summary>The shared score cache: keyed by paper × criteria hash × model, so readers who share criteria share scores.</summary>
public sealed partial class PostgreSqlArxivRankDatabase : IScoreCache
{
    /// <inheritdoc/>
    public async ValueTask<IReadOnlyDictionary<ScoreCacheKey, PaperScore>> GetManyAsync(IReadOnlyCollection<ScoreCacheKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            return new Dictionary<ScoreCacheKey, PaperScore>();
        }

        var byKey = new Dictionary<(string Paper, string Hash, string Model), ScoreCacheKey>();
        foreach (var key in keys)
        {
            byKey.TryAdd((key.PaperId.ToString(), key.CriteriaHash ?? string.Empty, key.ModelId ?? string.Empty), key);
        }

        return await ReadAsync(
            "read the score cache",
            async (c, ct) =>
            {
                using var command = Command(
                    c,
                    """
                    SELECT s.paper_id, s.criteria_hash, s.model_id, s.score_paper_id, s.relevance, s.novelty, s.score, s.comment, s.origin, s.scored_by, s.extra_json
                    FROM unnest(@papers, @hashes, @models) AS k(paper_id, criteria_hash, model_id)
                    JOIN arxivrank.score_cache s ON s.criteria_hash = k.criteria_hash AND s.model_id = k.model_id AND s.paper_id = k.paper_id;
                    """)
                    .Add("papers", NpgsqlDbType.Array | NpgsqlDbType.Text, byKey.Keys.Select(k => k.Paper).ToArray())
                    .Add("hashes", NpgsqlDbType.Array | NpgsqlDbType.Text, byKey.Keys.Select(k => k.Hash).ToArray())
                    .Add("models", NpgsqlDbType.Array | NpgsqlDbType.Text, byKey.Keys.Select(k => k.Model).ToArray());
                using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                var found = new Dictionary<ScoreCacheKey, PaperScore>();
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    if (byKey.TryGetValue((reader.GetString(0), reader.GetString(1), reader.GetString(2)), out var key))
                    {
                        found[key] = ReadScore(reader, key);
                    }
                }

                return (IReadOnlyDictionary<ScoreCacheKey, PaperScore>)found;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask SetManyAsync(IReadOnlyCollection<KeyValuePair<ScoreCacheKey, PaperScore>> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }

        // One row per key (the last wins, as for repeated single writes), in key order so that concurrent writers lock
        // rows in the same order and never deadlock.
        var rows = new SortedDictionary<(string Hash, string Model, string Paper), PaperScore>();
        foreach (var (key, score) in entries)
        {
            ArgumentNullException.ThrowIfNull(score, nameof(entries));
            rows[(key.CriteriaHash ?? string.Empty, key.ModelId ?? string.Empty, key.PaperId.ToString())] = score;
        }

        var now = Utc(TimeProvider.GetUtcNow());
        await WriteAsync(
            "write the score cache",
            async (c, t, ct) =>
            {
                using var command = Command(
                    c,
                    """
                    INSERT INTO arxivrank.score_cache
                        (paper_id, criteria_hash, model_id, score_paper_id, relevance, novelty, score, comment, origin, scored_by, extra_json, created_at)
                    SELECT r.*, @at FROM unnest(@papers, @hashes, @models, @scoreIds, @relevance, @novelty, @score, @comment, @origin, @scoredBy, @extra)
                        AS r(paper_id, criteria_hash, model_id, score_paper_id, relevance, novelty, score, comment, origin, scored_by, extra_json)
                    ON CONFLICT (criteria_hash, model_id, paper_id) DO UPDATE SET
                        score_paper_id = excluded.score_paper_id, relevance = excluded.relevance, novelty = excluded.novelty,
                        score = excluded.score, comment = excluded.comment, origin = excluded.origin, scored_by = excluded.scored_by,
                        extra_json = excluded.extra_json, created_at = excluded.created_at;
                    """,
                    t)
                    .Add("papers", NpgsqlDbType.Array | NpgsqlDbType.Text, rows.Keys.Select(k => k.Paper).ToArray())
                    .Add("hashes", NpgsqlDbType.Array | NpgsqlDbType.Text, rows.Keys.Select(k => k.Hash).ToArray())
                    .Add("models", NpgsqlDbType.Array | NpgsqlDbType.Text, rows.Keys.Select(k => k.Model).ToArray())
                    .Add("scoreIds", NpgsqlDbType.Array | NpgsqlDbType.Text, rows.Values.Select(s => s.PaperId.ToString()).ToArray())
                    .Add("relevance", NpgsqlDbType.Array | NpgsqlDbType.Integer, rows.Values.Select(s => s.Relevance).ToArray())
                    .Add("novelty", NpgsqlDbType.Array | NpgsqlDbType.Integer, rows.Values.Select(s => s.Novelty).ToArray())
                    .Add("score", NpgsqlDbType.Array | NpgsqlDbType.Double, rows.Values.Select(s => s.Score is { } v && double.IsFinite(v) ? v : (double?)null).ToArray())
                    .Add("comment", NpgsqlDbType.Array | NpgsqlDbType.Text, rows.Values.Select(s => s.Comment).ToArray())
                    .Add("origin", NpgsqlDbType.Array | NpgsqlDbType.Text, rows.Values.Select(s => s.Origin.ToName()).ToArray())
                    .Add("scoredBy", NpgsqlDbType.Array | NpgsqlDbType.Text, rows.Values.Select(s => s.ScoredBy).ToArray())
                    .Add("extra", NpgsqlDbType.Array | NpgsqlDbType.Text, rows.Values.Select(ExtraJson).ToArray())
                    .Add("at", NpgsqlDbType.TimestampTz, now);
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    private static string? ExtraJson(PaperScore score) => score.ExtraProperties is { Count: > 0 } extra
        ? JsonSerializer.Serialize(new Dictionary<string, JsonElement>(extra), PostgreSqlJsonContext.Default.DictionaryStringJsonElement)
        : null;

    private static PaperScore ReadScore(NpgsqlDataReader reader, ScoreCacheKey key)
    {
        IReadOnlyDictionary<string, JsonElement>? extra = null;
        if (!reader.IsDBNull(10))
        {
            try
            {
                extra = JsonSerializer.Deserialize(reader.GetString(10), PostgreSqlJsonContext.Default.DictionaryStringJsonElement);
            }
            catch (JsonException)
            {
                extra = null; // A damaged extra column loses only the extras, never the score.
            }
        }

        return new PaperScore
        {
            PaperId = ArxivId.TryParse(reader.GetString(3), out var scoreId) ? scoreId : key.PaperId,
            Relevance = reader.IsDBNull(4) ? null : reader.GetInt32(4),
            Novelty = reader.IsDBNull(5) ? null : reader.GetInt32(5),
            Score = reader.IsDBNull(6) ? null : reader.GetDouble(6),
            Comment = reader.IsDBNull(7) ? null : reader.GetString(7),
            Origin = ScoreOriginNames.Parse(reader.GetString(8)),
            ScoredBy = reader.IsDBNull(9) ? null : reader.GetString(9),
            ExtraProperties = extra,
        };
    }
}
