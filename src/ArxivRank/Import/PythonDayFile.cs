using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ArxivRank.Rendering;
using ArxivRank.Scoring;

namespace ArxivRank.Import;

/// <summary>
/// Imports the day files of the Python tool (gpt_paper_assistant and its forks) our users migrate from, so their history
/// renders with ours. A day file is named <c>YYYY-MM-DD-output.json</c> and holds one object per selected paper, keyed by
/// arXiv id, in display order: <c>{"2502.18435": {"ARXIVID", "COMMENT", "RELEVANCE", "NOVELTY", "SCORE", "title", "authors", "abstract", "arxiv_id", …}}</c>.
/// Author matches carry <c>"COMMENT": "Author match"</c> and no scores.
/// </summary>
/// <remarks>
/// Nothing is dropped silently: every entry that cannot become a paper, and every value that cannot be used as is,
/// gives an <see cref="ImportDiagnostic"/>. Unknown keys (<c>TLDR</c>, <c>paperId</c>, …) are kept in
/// <see cref="PaperScore.ExtraProperties"/>.
/// </remarks>
public static partial class PythonDayFile
{
    private static readonly HashSet<string> PaperKeys = new(StringComparer.Ordinal) { "ARXIVID", "COMMENT", "RELEVANCE", "NOVELTY", "SCORE", "title", "authors", "abstract", "arxiv_id" };

    /// <summary>Reads the day from a day file's name (<c>2025-02-26-output.json</c>, or any name starting with a <c>YYYY-MM-DD</c> date).</summary>
    /// <param name="path">The file's path or name.</param>
    /// <param name="date">The day, when the name carries one.</param>
    /// <returns><see langword="true"/> when the name starts with a valid date.</returns>
    public static bool TryGetDate(string? path, out DateOnly date)
    {
        date = default;
        if (string.IsNullOrEmpty(path))
        {
            return false;
        }

        var match = FileNameRegex().Match(Path.GetFileName(path));
        return match.Success && DateOnly.TryParseExact(match.Groups[1].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }

    /// <summary>
    /// Determines whether a JSON document looks like a day file: an object (not one of our digests) with at least one entry
    /// carrying a key of the Python tool (<c>ARXIVID</c>, <c>title</c>, <c>arxiv_id</c>, …); an empty object counts as a day without papers.
    /// </summary>
    /// <param name="root">The document's root.</param>
    /// <returns><see langword="true"/> for a day file.</returns>
    public static bool IsDayFile(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || DigestJson.IsDigest(root))
        {
            return false;
        }

        bool empty = true;
        foreach (var property in root.EnumerateObject())
        {
            empty = false;
            if (property.Value.ValueKind == JsonValueKind.Object && property.Value.EnumerateObject().Any(p => PaperKeys.Contains(p.Name)))
            {
                return true;
            }
        }

        return empty;
    }

    /// <summary>Reads a day file.</summary>
    /// <param name="stream">The file's content.</param>
    /// <param name="date">The day (see <see cref="TryGetDate"/>).</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    /// <returns>The digest and what could not be used as is.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="DigestFormatException">The content is not JSON or not an object.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static async Task<PythonDayFileImport> ReadAsync(Stream stream, DateOnly date, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(stream, default, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw new DigestFormatException($"The day file is not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            return Read(document.RootElement, date);
        }
    }

    /// <summary>Reads a parsed day file.</summary>
    /// <param name="root">The document's root.</param>
    /// <param name="date">The day.</param>
    /// <returns>The digest and what could not be used as is.</returns>
    /// <exception cref="DigestFormatException"><paramref name="root"/> is not a JSON object.</exception>
    public static PythonDayFileImport Read(JsonElement root, DateOnly date)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new DigestFormatException($"A day file of the Python tool must be a JSON object keyed by arXiv id, not {root.ValueKind}.");
        }

        var diagnostics = new List<ImportDiagnostic>();
        var entries = new List<DigestEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            string key = property.Name;
            var value = property.Value;
            if (value.ValueKind != JsonValueKind.Object)
            {
                diagnostics.Add(new ImportDiagnostic(key, $"skipped: the entry is a JSON {value.ValueKind.ToString().ToLowerInvariant()}, not an object."));
                continue;
            }

            if (!TryGetId(key, value, diagnostics, out var id))
            {
                continue;
            }

            if (!seen.Add(id.Id))
            {
                diagnostics.Add(new ImportDiagnostic(key, $"skipped: paper {id.Id} appears twice; the first entry is kept."));
                continue;
            }

            entries.Add(ReadEntry(key, id, value, date, diagnostics));
        }

        var digest = new Digest
        {
            Date = date,
            Papers = entries,
            Totals = new DigestTotals
            {
                RelevantPapers = entries.Count,
                ScoredPapers = entries.Count(e => e.Score.Origin == ScoreOrigin.Scored),
            },
        };
        return new PythonDayFileImport(digest, diagnostics);
    }

    private static bool TryGetId(string key, JsonElement value, List<ImportDiagnostic> diagnostics, out ArxivId id)
    {
        if (ArxivId.TryParse(key, out id))
        {
            foreach (string name in (string[])["ARXIVID", "arxiv_id"])
            {
                if (value.TryGetProperty(name, out var other) && other.ValueKind == JsonValueKind.String
                    && ArxivId.TryParse(other.GetString(), out var otherId) && !otherId.SamePaperAs(id))
                {
                    diagnostics.Add(new ImportDiagnostic(key, $"{name} '{other.GetString()}' differs from the key; the key is used."));
                }
            }

            return true;
        }

        foreach (string name in (string[])["arxiv_id", "ARXIVID"])
        {
            if (value.TryGetProperty(name, out var field) && field.ValueKind == JsonValueKind.String && ArxivId.TryParse(field.GetString(), out id))
            {
                diagnostics.Add(new ImportDiagnostic(key, $"the key is not an arXiv id; {name} '{field.GetString()}' is used."));
                return true;
            }
        }

        diagnostics.Add(new ImportDiagnostic(key, "skipped: neither the key nor ARXIVID nor arxiv_id is an arXiv id."));
        return false;
    }

    private static DigestEntry ReadEntry(string key, ArxivId id, JsonElement value, DateOnly date, List<ImportDiagnostic> diagnostics)
    {
        string? title = String(value, "title");
        if (string.IsNullOrWhiteSpace(title))
        {
            diagnostics.Add(new ImportDiagnostic(key, "has no title; shown as '(untitled)'."));
            title = "(untitled)";
        }

        var paper = new Paper
        {
            Id = id,
            Title = RenderText.CollapseWhitespace(title),
            Authors = Authors(key, value, diagnostics),
            Abstract = String(value, "abstract") ?? string.Empty,
            AnnouncedOn = date,
        };

        var extra = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            if (!PaperKeys.Contains(property.Name))
            {
                extra[property.Name] = property.Value.Clone();
            }
        }

        string? comment = String(value, "COMMENT");
        int? relevance = Scale(key, value, "RELEVANCE", diagnostics, extra);
        int? novelty = Scale(key, value, "NOVELTY", diagnostics, extra);
        double? score = null;
        if (value.TryGetProperty("SCORE", out var s))
        {
            if (s.ValueKind == JsonValueKind.Number)
            {
                score = s.GetDouble();
            }
            else if (s.ValueKind == JsonValueKind.String && double.TryParse(s.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed))
            {
                score = parsed;
            }
            else if (s.ValueKind != JsonValueKind.Null)
            {
                diagnostics.Add(new ImportDiagnostic(key, $"SCORE {s.GetRawText()} is not a number; kept as an extra property."));
                extra["SCORE"] = s.Clone();
            }
        }

        bool authorMatch = relevance is null && novelty is null && string.Equals(comment?.Trim(), "Author match", StringComparison.OrdinalIgnoreCase);
        var paperScore = new PaperScore
        {
            PaperId = id,
            Relevance = relevance,
            Novelty = novelty,
            Score = score,
            Comment = comment,
            Origin = authorMatch ? ScoreOrigin.AuthorMatch : ScoreOrigin.Scored,
            ExtraProperties = extra.Count > 0 ? extra : null,
        };
        return new DigestEntry(paper, paperScore);
    }

    private static IReadOnlyList<string> Authors(string key, JsonElement value, List<ImportDiagnostic> diagnostics)
    {
        if (!value.TryGetProperty("authors", out var authors) || authors.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (authors.ValueKind == JsonValueKind.String)
        {
            return [.. authors.GetString()!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }

        if (authors.ValueKind != JsonValueKind.Array)
        {
            diagnostics.Add(new ImportDiagnostic(key, $"authors is a JSON {authors.ValueKind.ToString().ToLowerInvariant()}, not a list; no authors shown."));
            return [];
        }

        var names = new List<string>();
        foreach (var author in authors.EnumerateArray())
        {
            string? name = author.ValueKind switch
            {
                JsonValueKind.String => author.GetString(),
                JsonValueKind.Object when author.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String => n.GetString(),
                _ => null,
            };
            if (string.IsNullOrWhiteSpace(name))
            {
                diagnostics.Add(new ImportDiagnostic(key, $"an author entry (a JSON {author.ValueKind.ToString().ToLowerInvariant()}) has no name; left out."));
                continue;
            }

            names.Add(name.Trim());
        }

        return names;
    }

    private static int? Scale(string key, JsonElement value, string name, List<ImportDiagnostic> diagnostics, Dictionary<string, JsonElement> extra)
    {
        if (!value.TryGetProperty(name, out var field) || field.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        double? number = field.ValueKind switch
        {
            JsonValueKind.Number => field.GetDouble(),
            JsonValueKind.String when double.TryParse(field.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double d) => d,
            _ => null,
        };
        if (number is { } n && n >= 1 && n <= 10)
        {
            int rounded = (int)Math.Round(n, MidpointRounding.AwayFromZero);
            if (rounded != n)
            {
                diagnostics.Add(new ImportDiagnostic(key, $"{name} {field.GetRawText()} rounded to {rounded}."));
            }

            return rounded;
        }

        diagnostics.Add(new ImportDiagnostic(key, $"{name} {field.GetRawText()} is not a score from 1 to 10; kept as an extra property."));
        extra[name] = field.Clone();
        return null;
    }

    private static string? String(JsonElement value, string name)
        => value.TryGetProperty(name, out var field) && field.ValueKind == JsonValueKind.String ? field.GetString() : null;

    [GeneratedRegex(@"^(\d{4}-\d{2}-\d{2})(?:[-_.]|$)")]
    private static partial Regex FileNameRegex();
}

/// <summary>A day file turned into a digest, and what could not be used as is.</summary>
/// <param name="Digest">The digest: the papers in the file's order, their scores and comments; totals other than the relevant count are unknown (0).</param>
/// <param name="Diagnostics">One line per skipped entry or adjusted value.</param>
public sealed record PythonDayFileImport(Digest Digest, IReadOnlyList<ImportDiagnostic> Diagnostics);

/// <summary>Something in a day file that could not be used as is.</summary>
/// <param name="Key">The entry's key (its arXiv id as written).</param>
/// <param name="Message">What happened, for a person.</param>
public sealed record ImportDiagnostic(string Key, string Message);
