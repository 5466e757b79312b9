namespace ArxivRank.Scoring;

/// <summary>What an <see cref="IPaperScorer"/> returned: a score or a reason for every paper, and what it cost.</summary>
public sealed record ScoringResult
{
    /// <summary>Gets the scores, one per paper scored.</summary>
    public IReadOnlyList<PaperScore> Scores { get; init; } = [];

    /// <summary>Gets the papers that could not be scored, each with the reason.</summary>
    public IReadOnlyList<UnscoredPaper> Unscored { get; init; } = [];

    /// <summary>Gets the tokens and cost spent, one entry per model.</summary>
    public IReadOnlyList<ModelUsage> Usage { get; init; } = [];

    /// <summary>Finds the score of a paper, whatever the version either side carries.</summary>
    /// <remarks>To pair every paper with its score and order them the way a digest does, use <c>ScoringResult.Rank(papers)</c> from the <c>ArxivRank</c> package.</remarks>
    /// <param name="paperId">The paper.</param>
    /// <returns>Its score, or <see langword="null"/> when it has none (see <see cref="Unscored"/> for why).</returns>
    public PaperScore? FindScore(ArxivId paperId)
    {
        foreach (var score in Scores)
        {
            if (score is not null && score.PaperId.SamePaperAs(paperId))
            {
                return score;
            }
        }

        return null;
    }
}

/// <summary>A paper that could not be scored, and why.</summary>
/// <param name="Paper">The paper.</param>
/// <param name="Reason">Why, for a person (<c>the model did not return this id after 3 attempts</c>).</param>
public sealed record UnscoredPaper(Paper Paper, string Reason);

/// <summary>Tokens spent with one model, and their price.</summary>
public sealed record ModelUsage
{
    /// <summary>Gets the model id (<c>gpt-4o</c>).</summary>
    public required string ModelId { get; init; }

    /// <summary>Gets the number of requests made.</summary>
    public int Requests { get; init; }

    /// <summary>Gets the input (prompt) tokens, including cached ones.</summary>
    public long InputTokens { get; init; }

    /// <summary>Gets the input tokens served from the provider's prompt cache (a part of <see cref="InputTokens"/>).</summary>
    public long CachedInputTokens { get; init; }

    /// <summary>Gets the output (completion) tokens, including reasoning tokens.</summary>
    public long OutputTokens { get; init; }

    /// <summary>Gets the total tokens.</summary>
    public long TotalTokens => InputTokens + OutputTokens;

    /// <summary>Gets the cost of the input tokens in US dollars; <see langword="null"/> when the model's price is unknown (never a silent 0).</summary>
    public decimal? InputCost { get; init; }

    /// <summary>Gets the cost of the output tokens in US dollars; <see langword="null"/> when unknown.</summary>
    public decimal? OutputCost { get; init; }

    /// <summary>Gets the total cost in US dollars; <see langword="null"/> when unknown.</summary>
    public decimal? TotalCost => InputCost is { } i && OutputCost is { } o ? i + o : null;
}
