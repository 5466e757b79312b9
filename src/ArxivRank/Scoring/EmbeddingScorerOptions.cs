namespace ArxivRank.Scoring;

/// <summary>How the embedding scorer compares papers with the reader's interests.</summary>
public sealed class EmbeddingScorerOptions
{
    /// <summary>Gets or sets the embedding model to ask for.</summary>
    /// <value><see langword="null"/> (the default) uses the generator's own model.</value>
    public string? ModelId { get; set; }

    /// <summary>Gets or sets papers the reader liked; each becomes one more interest to be close to.</summary>
    public IReadOnlyList<Paper> LikedPapers { get; set; } = [];

    /// <summary>
    /// Gets or sets a value indicating whether the scorer applies the criteria's rules (followed and blocked authors) before
    /// scoring, as <see cref="PaperScorers.WithRules"/> with <see cref="PaperRules.FromCriteria"/> does.
    /// </summary>
    /// <value><see langword="true"/> by default: a followed author's paper enters as an author match. Set <see langword="false"/> to score every paper.</value>
    public bool ApplyCriteriaRules { get; set; } = true;

    /// <summary>Gets or sets the number of texts per embedding request.</summary>
    /// <value>1 to 2,048. Defaults to 64.</value>
    public int BatchSize { get; set; } = 64;

    /// <summary>Gets or sets how much closeness to the irrelevant domains pulls a paper down.</summary>
    /// <value>0 to 1. Defaults to 0.5: the score is the best cosine to an interest minus half the best cosine to an irrelevant domain.</value>
    public double IrrelevantWeight { get; set; } = 0.5;

    /// <summary>Gets or sets the longest abstract embedded, in characters.</summary>
    /// <value>100 or more. Defaults to 2,000.</value>
    public int AbstractMaxLength { get; set; } = 2000;

    /// <summary>Gets or sets the share of papers that may end unscored before the run fails with a <see cref="ScoringException"/>.</summary>
    /// <value>0 to 1. Defaults to 0.2.</value>
    public double MaxFailureShare { get; set; } = 0.2;

    /// <summary>Gets or sets the prices used to turn tokens into dollars.</summary>
    /// <value>Defaults to <see cref="PricingTable.Default"/>.</value>
    public PricingTable Pricing { get; set; } = PricingTable.Default;

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    internal void Validate()
    {
        Check(BatchSize is >= 1 and <= 2048, nameof(BatchSize), $"must be 1 to 2048, but is {BatchSize}");
        Check(IrrelevantWeight is >= 0 and <= 1, nameof(IrrelevantWeight), $"must be 0 to 1, but is {IrrelevantWeight}");
        Check(AbstractMaxLength >= 100, nameof(AbstractMaxLength), $"must be 100 or more, but is {AbstractMaxLength}");
        Check(MaxFailureShare is >= 0 and <= 1, nameof(MaxFailureShare), $"must be 0 to 1, but is {MaxFailureShare}");
        Check(LikedPapers is not null, nameof(LikedPapers), "must not be null");
        Check(Pricing is not null, nameof(Pricing), "must not be null");
    }

    private static void Check(bool condition, string option, string message)
    {
        if (!condition)
        {
            throw new ArgumentException($"EmbeddingScorerOptions.{option} {message}.", option);
        }
    }
}
