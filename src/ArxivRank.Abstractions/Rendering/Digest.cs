using ArxivRank.Scoring;

namespace ArxivRank.Rendering;

/// <summary>One day's personal digest: the selected papers in order, and everything a reader or a machine wants to know about how they were chosen.</summary>
public sealed record Digest
{
    /// <summary>Gets the announcement day the digest is for.</summary>
    public required DateOnly Date { get; init; }

    /// <summary>Gets the selected papers, in display order (best first).</summary>
    public IReadOnlyList<DigestEntry> Papers { get; init; } = [];

    /// <summary>Gets the day's totals.</summary>
    public DigestTotals Totals { get; init; } = new();

    /// <summary>Gets the tokens and cost spent, one entry per model.</summary>
    public IReadOnlyList<ModelUsage> Usage { get; init; } = [];

    /// <summary>Gets the reader's criteria text (the selection prompt), shown at the end of the digest; <see langword="null"/> when not recorded.</summary>
    public string? CriteriaText { get; init; }

    /// <summary>Gets the categories the digest covers (<c>cs.LG</c>, <c>cs.AI</c>).</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>Gets the papers that could not be scored, each with the reason.</summary>
    public IReadOnlyList<UnscoredPaper> Unscored { get; init; } = [];

    /// <summary>Gets per-stage statistics of the run that produced the digest.</summary>
    public IReadOnlyList<StageStatistics> Stages { get; init; } = [];

    /// <summary>Gets the links to neighbouring digests.</summary>
    public DigestNavigation Navigation { get; init; } = new();

    /// <summary>Gets a human-readable name of the scorer that ranked the papers (<c>gpt-4o</c>, <c>lexical</c>), when known.</summary>
    public string? ScorerName { get; init; }
}

/// <summary>A selected paper with its score.</summary>
/// <param name="Paper">The paper.</param>
/// <param name="Score">Its score and how it got in.</param>
public sealed record DigestEntry(Paper Paper, PaperScore Score);

/// <summary>The counts a digest shows at its top.</summary>
public sealed record DigestTotals
{
    /// <summary>Gets the number of papers arXiv announced in the digest's categories (every item of the feeds).</summary>
    public int TotalPapers { get; init; }

    /// <summary>Gets the number of papers scanned (kept after filters, deduplicated, not seen before).</summary>
    public int ScannedPapers { get; init; }

    /// <summary>Gets the number of papers scored by a scorer.</summary>
    public int ScoredPapers { get; init; }

    /// <summary>Gets the number of papers selected into the digest.</summary>
    public int RelevantPapers { get; init; }
}

/// <summary>What one stage of the pipeline did.</summary>
/// <param name="Stage">The stage's name (<c>fetch</c>, <c>dedupe</c>, <c>seen</c>, <c>rules</c>, <c>screen</c>, <c>score</c>, <c>select</c>, <c>render</c>).</param>
/// <param name="Input">Papers that entered the stage.</param>
/// <param name="Output">Papers that left it.</param>
/// <param name="Duration">How long it took.</param>
public sealed record StageStatistics(string Stage, int Input, int Output, TimeSpan Duration);

/// <summary>Links from a daily digest to its neighbours.</summary>
public sealed record DigestNavigation
{
    /// <summary>Gets the previous day with a digest, when there is one.</summary>
    public DateOnly? Previous { get; init; }

    /// <summary>Gets the next day with a digest, when there is one.</summary>
    public DateOnly? Next { get; init; }
}
