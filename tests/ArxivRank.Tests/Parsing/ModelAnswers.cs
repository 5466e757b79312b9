using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ArxivRank.Parsing;
using ArxivRank.Scoring;
using ArxivRank.TestUtilities;

namespace ArxivRank.Tests.Parsing;

/// <summary>One real verdict of the reference digests (gpt-4o), the record a model answer should yield.</summary>
internal sealed record ScoreRecord(ArxivId Id, int Relevance, int Novelty, string Comment)
{
    public (ArxivId Id, int? Relevance, int? Novelty, string? Comment) Expected => (Id, Relevance, Novelty, Comment);
}

/// <summary>How to spell the keys of a rendered record.</summary>
internal enum KeyStyle
{
    /// <summary><c>ARXIVID</c>, <c>COMMENT</c>, <c>RELEVANCE</c>, <c>NOVELTY</c>: the prompt of the Python tool.</summary>
    Upper,

    /// <summary><c>arxivId</c>, <c>comment</c>, <c>relevance</c>, <c>novelty</c>.</summary>
    Camel,

    /// <summary><c>arxiv_id</c>, <c>reason</c>, <c>Relevance</c>, <c>Novelty</c>.</summary>
    Snake,

    /// <summary><c>id</c>, <c>comments</c>, <c>relevance</c>, <c>novelty</c>.</summary>
    Short,
}

/// <summary>Real records from the reference digests, and a builder that renders them the ways models write answers.</summary>
internal static class ModelAnswers
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly Lazy<IReadOnlyList<ScoreRecord>> AllRecords = new(() =>
        [.. ReferenceDigest.AllEntries()
            .Where(e => !e.IsAuthorMatch && e.Relevance is not null && e.Novelty is not null && e.Comment.Length > 0)
            .Select(e => new ScoreRecord(e.Paper.Id, e.Relevance!.Value, e.Novelty!.Value, e.Comment))]);

    /// <summary>Gets the scored records of reference digest 001 (2025-02-26).</summary>
    public static IReadOnlyList<ScoreRecord> Digest1 { get; } =
        [.. ReferenceDigest.Load(1).Entries
            .Where(e => !e.IsAuthorMatch && e.Relevance is not null && e.Novelty is not null && e.Comment.Length > 0)
            .Select(e => new ScoreRecord(e.Paper.Id, e.Relevance!.Value, e.Novelty!.Value, e.Comment))];

    /// <summary>Gets the scored records of all three reference digests.</summary>
    public static IReadOnlyList<ScoreRecord> All => AllRecords.Value;

    public static IReadOnlyList<ScoreRecord> Take(int count) => [.. Digest1.Take(count)];

    public static string Json(string value) => JsonSerializer.Serialize(value, Relaxed);

    /// <summary>Renders one record on one line.</summary>
    public static string Line(ScoreRecord r, KeyStyle keys = KeyStyle.Upper, bool trailingComma = false)
    {
        var (id, comment, relevance, novelty) = Keys(keys);
        return $"{{\"{id}\": {Json(r.Id.ToString())}, \"{comment}\": {Json(r.Comment)}, \"{relevance}\": {r.Relevance}, \"{novelty}\": {r.Novelty}{(trailingComma ? "," : string.Empty)}}}";
    }

    /// <summary>Renders one record pretty-printed over six lines, indented by <paramref name="indent"/>.</summary>
    public static string Pretty(ScoreRecord r, string indent = "", KeyStyle keys = KeyStyle.Camel, string newLine = "\n")
    {
        var (id, comment, relevance, novelty) = Keys(keys);
        return string.Join(newLine,
            indent + "{",
            $"{indent}  \"{id}\": {Json(r.Id.ToString())},",
            $"{indent}  \"{comment}\": {Json(r.Comment)},",
            $"{indent}  \"{relevance}\": {r.Relevance},",
            $"{indent}  \"{novelty}\": {r.Novelty}",
            indent + "}");
    }

    public static string JsonLines(IEnumerable<ScoreRecord> records, KeyStyle keys = KeyStyle.Upper, string newLine = "\n")
        => string.Join(newLine, records.Select(r => Line(r, keys))) + newLine;

    public static string Fenced(string body, string language = "jsonl") => $"```{language}\n{body.TrimEnd('\n')}\n```\n";

    public static IEnumerable<(ArxivId Id, int? Relevance, int? Novelty, string? Comment)> Expected(IEnumerable<ScoreRecord> records)
        => records.Select(r => r.Expected);

    public static IEnumerable<(ArxivId Id, int? Relevance, int? Novelty, string? Comment)> Found(this ScoreParseResult result)
        => result.Scores.Select(s => (s.PaperId, s.Relevance, s.Novelty, s.Comment));

    public static IEnumerable<(ArxivId Id, int? Relevance, int? Novelty, string? Comment)> Found(this IEnumerable<PaperScore> scores)
        => scores.Select(s => (s.PaperId, s.Relevance, s.Novelty, s.Comment));

    /// <summary>A compact, comparable picture of a parse (scores with extras, diagnostics, missing ids).</summary>
    public static IReadOnlyList<string> Describe(IEnumerable<PaperScore> scores, IEnumerable<ScoreParseDiagnostic> diagnostics, IEnumerable<ArxivId> missing)
        => [.. scores.Select(s => $"S {s.PaperId} {s.Relevance} {s.Novelty} {s.Comment} {(s.ExtraProperties is null ? "-" : string.Join(",", s.ExtraProperties.Select(p => p.Key + "=" + p.Value.GetRawText())))}"),
            .. diagnostics.Select(d => $"D {d.LineNumber} {d.Code} {d.Reason} | {d.RawText}"),
            .. missing.Select(m => $"M {m}")];

    private static (string Id, string Comment, string Relevance, string Novelty) Keys(KeyStyle keys) => keys switch
    {
        KeyStyle.Upper => ("ARXIVID", "COMMENT", "RELEVANCE", "NOVELTY"),
        KeyStyle.Camel => ("arxivId", "comment", "relevance", "novelty"),
        KeyStyle.Snake => ("arxiv_id", "reason", "Relevance", "Novelty"),
        _ => ("id", "comments", "relevance", "novelty"),
    };
}

/// <summary>Builds an answer and remembers where each record's text lies (for the fuzz test).</summary>
internal sealed class AnswerBuilder
{
    private readonly StringBuilder _text = new();
    private readonly List<(ScoreRecord Record, int Start, int End)> _spans = [];

    public IReadOnlyList<(ScoreRecord Record, int Start, int End)> Spans => _spans;

    public int Length => _text.Length;

    public AnswerBuilder Text(string text)
    {
        _text.Append(text);
        return this;
    }

    public AnswerBuilder Record(ScoreRecord record, string rendered)
    {
        int start = _text.Length;
        _text.Append(rendered);
        _spans.Add((record, start, _text.Length));
        return this;
    }

    public override string ToString() => _text.ToString();
}
