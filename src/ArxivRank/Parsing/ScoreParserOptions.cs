namespace ArxivRank.Parsing;

/// <summary>How <see cref="ScoreResponseParser"/> reads scores. The defaults fit the 1–10 prompts ArxivRank sends.</summary>
/// <remarks>The options are validated when the parser is created; see docs/parser.md for the accepted shapes.</remarks>
public sealed class ScoreParserOptions
{
    /// <summary>Gets or sets the lowest valid score.</summary>
    /// <value>The lowest relevance or novelty accepted after rounding. Defaults to 1.</value>
    public int MinScore { get; set; } = 1;

    /// <summary>Gets or sets the highest valid score; also the scale a fraction such as <c>"4/5"</c> is converted to.</summary>
    /// <value>The highest relevance or novelty accepted after rounding. Defaults to 10.</value>
    public int MaxScore { get; set; } = 10;

    /// <summary>Gets or sets how a fractional score (<c>8.5</c>, <c>"7.5"</c>, <c>"17/20"</c>) becomes an integer.</summary>
    /// <value>
    /// The midpoint rule of <see cref="Math.Round(double, MidpointRounding)"/>; non-midpoint values always go to the nearest
    /// integer. Defaults to <see cref="MidpointRounding.AwayFromZero"/> (<c>8.5</c> → 9, <c>7.5</c> → 8), the rule people use by hand.
    /// </value>
    public MidpointRounding Rounding { get; set; } = MidpointRounding.AwayFromZero;

    /// <summary>Gets or sets a value indicating whether a record without a novelty score is rejected.</summary>
    /// <value>
    /// <see langword="true"/> (the default) rejects such a record with a <c>missing-score</c> diagnostic, so the caller can
    /// re-ask for the paper; <see langword="false"/> accepts it with <see cref="Scoring.PaperScore.Novelty"/> left <see langword="null"/>
    /// (for prompts that only ask for relevance). Relevance is always required.
    /// </value>
    public bool RequireNovelty { get; set; } = true;

    /// <summary>Checks the options and throws when one is out of range.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    internal void Validate()
    {
        if (MinScore < 0)
        {
            throw new ArgumentException($"ScoreParserOptions.MinScore must be 0 or more, but is {MinScore}.", nameof(MinScore));
        }

        if (MaxScore <= MinScore)
        {
            throw new ArgumentException($"ScoreParserOptions.MaxScore ({MaxScore}) must be greater than ScoreParserOptions.MinScore ({MinScore}).", nameof(MaxScore));
        }

        if (!Enum.IsDefined(Rounding))
        {
            throw new ArgumentException($"ScoreParserOptions.Rounding has the undefined value {(int)Rounding}.", nameof(Rounding));
        }
    }
}
