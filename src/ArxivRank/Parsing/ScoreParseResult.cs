using System.Diagnostics.CodeAnalysis;
using ArxivRank.Scoring;

namespace ArxivRank.Parsing;

/// <summary>What <see cref="ScoreResponseParser.Parse"/> found in a model's answer.</summary>
/// <param name="Scores">The usable scores, in the order of the answer; at most one per paper.</param>
/// <param name="Diagnostics">One entry for every line or object that could not be used, in the order of the answer.</param>
/// <param name="MissingIds">The batch ids (as given) that no usable score covers, in batch order; empty when no batch was given.</param>
public sealed record ScoreParseResult(IReadOnlyList<PaperScore> Scores, IReadOnlyList<ScoreParseDiagnostic> Diagnostics, IReadOnlyList<ArxivId> MissingIds);

/// <summary>A line or object of a model's answer that could not be used, and why.</summary>
/// <param name="LineNumber">The 1-based line of the original text where the object (or line) starts.</param>
/// <param name="Code">A stable, machine-readable code; one of <see cref="ScoreParseDiagnosticCodes"/>.</param>
/// <param name="Reason">A sentence for humans saying what is wrong.</param>
/// <param name="RawText">The text of the object or line as the model wrote it (cut after 2,000 characters).</param>
public sealed record ScoreParseDiagnostic(int LineNumber, string Code, string Reason, string RawText)
{
    /// <summary>Returns <c>line N: code: reason</c>.</summary>
    /// <returns>The diagnostic as one line of text.</returns>
    public override string ToString() => $"line {LineNumber}: {Code}: {Reason}";
}

/// <summary>The codes of <see cref="ScoreParseDiagnostic.Code"/>. Documented with examples in docs/parser.md.</summary>
public static class ScoreParseDiagnosticCodes
{
    /// <summary>An object (<c>{…}</c>) that is not valid JSON even with trailing commas and comments allowed, or longer than 16,777,216 characters.</summary>
    public const string InvalidJson = "invalid-json";

    /// <summary>An object that is not closed before the next object, a Markdown fence, or the end of a line inside a string.</summary>
    public const string UnclosedObject = "unclosed-object";

    /// <summary>The answer ends inside an object or a wrapper (the model was cut off).</summary>
    public const string Truncated = "truncated";

    /// <summary>A line that is a JSON value but not an object: <c>2</c>, <c>null</c>, <c>"text"</c>.</summary>
    public const string NotAnObject = "not-an-object";

    /// <summary>An object with no id key (<c>arxivId</c>, <c>arxiv_id</c>, <c>paper_id</c>, <c>id</c> …).</summary>
    public const string MissingId = "missing-id";

    /// <summary>An id value that is not an arXiv identifier.</summary>
    public const string InvalidId = "invalid-id";

    /// <summary>An id that was not in the batch (a hallucination or a prompt injection); the record is rejected.</summary>
    public const string UnknownId = "unknown-id";

    /// <summary>A second record for a paper already scored earlier in the answer; the first one wins.</summary>
    public const string DuplicateId = "duplicate-id";

    /// <summary>A record without relevance (or without novelty, when it is required), or with <c>null</c> for it.</summary>
    public const string MissingScore = "missing-score";

    /// <summary>A score that is not a number, a numeric string or a fraction such as <c>"8/10"</c>.</summary>
    public const string InvalidScore = "invalid-score";

    /// <summary>A score outside <see cref="ScoreParserOptions.MinScore"/>–<see cref="ScoreParserOptions.MaxScore"/> after rounding.</summary>
    public const string ScoreOutOfRange = "score-out-of-range";
}

/// <summary>What kind of item a <see cref="ScoreParseEvent"/> is.</summary>
public enum ScoreParseEventKind
{
    /// <summary>A usable score (<see cref="ScoreParseEvent.Score"/>).</summary>
    Score,

    /// <summary>A diagnostic (<see cref="ScoreParseEvent.Diagnostic"/>).</summary>
    Diagnostic,

    /// <summary>The end of the answer, always the last item (<see cref="ScoreParseEvent.MissingIds"/>).</summary>
    Completed,
}

/// <summary>One item of <see cref="ScoreResponseParser.ParseStreamingAsync(IAsyncEnumerable{string}, IReadOnlyCollection{ArxivId}?, CancellationToken)"/> and its <see cref="Stream"/> overload: a score, a diagnostic, or (last) the completion.</summary>
public sealed class ScoreParseEvent
{
    private ScoreParseEvent(ScoreParseEventKind kind, PaperScore? score, ScoreParseDiagnostic? diagnostic, IReadOnlyList<ArxivId>? missingIds)
    {
        Kind = kind;
        Score = score;
        Diagnostic = diagnostic;
        MissingIds = missingIds;
    }

    /// <summary>Gets what this item carries.</summary>
    public ScoreParseEventKind Kind { get; }

    /// <summary>Gets the score, when <see cref="Kind"/> is <see cref="ScoreParseEventKind.Score"/>.</summary>
    public PaperScore? Score { get; }

    /// <summary>Gets the diagnostic, when <see cref="Kind"/> is <see cref="ScoreParseEventKind.Diagnostic"/>.</summary>
    public ScoreParseDiagnostic? Diagnostic { get; }

    /// <summary>Gets the batch ids no usable score covered, when <see cref="Kind"/> is <see cref="ScoreParseEventKind.Completed"/>.</summary>
    public IReadOnlyList<ArxivId>? MissingIds { get; }

    /// <summary>Gets a value indicating whether this is the completion, the last item of the stream.</summary>
    [MemberNotNullWhen(true, nameof(MissingIds))]
    public bool IsCompleted => Kind == ScoreParseEventKind.Completed;

    /// <summary>Creates a score item.</summary>
    /// <param name="score">The score.</param>
    /// <returns>The item.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="score"/> is <see langword="null"/>.</exception>
    public static ScoreParseEvent ForScore(PaperScore score)
    {
        ArgumentNullException.ThrowIfNull(score);
        return new(ScoreParseEventKind.Score, score, null, null);
    }

    /// <summary>Creates a diagnostic item.</summary>
    /// <param name="diagnostic">The diagnostic.</param>
    /// <returns>The item.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="diagnostic"/> is <see langword="null"/>.</exception>
    public static ScoreParseEvent ForDiagnostic(ScoreParseDiagnostic diagnostic)
    {
        ArgumentNullException.ThrowIfNull(diagnostic);
        return new(ScoreParseEventKind.Diagnostic, null, diagnostic, null);
    }

    /// <summary>Creates the completion item.</summary>
    /// <param name="missingIds">The batch ids no usable score covered.</param>
    /// <returns>The item.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="missingIds"/> is <see langword="null"/>.</exception>
    public static ScoreParseEvent Completed(IReadOnlyList<ArxivId> missingIds)
    {
        ArgumentNullException.ThrowIfNull(missingIds);
        return new(ScoreParseEventKind.Completed, null, null, missingIds);
    }

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        ScoreParseEventKind.Score => $"score {Score!.PaperId}",
        ScoreParseEventKind.Diagnostic => $"diagnostic {Diagnostic}",
        _ => $"completed, {MissingIds!.Count} missing",
    };
}
