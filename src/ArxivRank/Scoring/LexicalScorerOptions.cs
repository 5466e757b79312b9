namespace ArxivRank.Scoring;

/// <summary>How the offline lexical (BM25) scorer weighs the criteria. The defaults were set by hand, not fitted to data.</summary>
public sealed class LexicalScorerOptions
{
    /// <summary>Gets or sets how much a word in the title counts against one in the abstract.</summary>
    /// <value>1 or more. Defaults to 2.5.</value>
    public double TitleWeight { get; set; } = 2.5;

    /// <summary>Gets or sets BM25's term-frequency saturation.</summary>
    /// <value>0 or more. Defaults to 1.2.</value>
    public double K1 { get; set; } = 1.2;

    /// <summary>Gets or sets BM25's length normalization.</summary>
    /// <value>0 to 1. Defaults to 0.75.</value>
    public double B { get; set; } = 0.75;

    /// <summary>Gets or sets how much the irrelevant domains and application tasks pull a paper down, against 1 for a relevant keyword.</summary>
    /// <value>0 or more. Defaults to 1.</value>
    public double IrrelevantWeight { get; set; } = 1.0;

    /// <summary>
    /// Gets or sets a value indicating whether the scorer applies the criteria's rules (followed and blocked authors) before
    /// scoring, as <see cref="PaperScorers.WithRules"/> with <see cref="PaperRules.FromCriteria"/> does.
    /// </summary>
    /// <value><see langword="true"/> by default: a followed author's paper enters as an author match. Set <see langword="false"/> to score every paper.</value>
    public bool ApplyCriteriaRules { get; set; } = true;

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    internal void Validate()
    {
        if (!(TitleWeight >= 1))
        {
            throw new ArgumentException($"LexicalScorerOptions.TitleWeight must be 1 or more, but is {TitleWeight}.", nameof(TitleWeight));
        }

        if (!(K1 >= 0))
        {
            throw new ArgumentException($"LexicalScorerOptions.K1 must be 0 or more, but is {K1}.", nameof(K1));
        }

        if (!(B is >= 0 and <= 1))
        {
            throw new ArgumentException($"LexicalScorerOptions.B must be 0 to 1, but is {B}.", nameof(B));
        }

        if (!(IrrelevantWeight >= 0))
        {
            throw new ArgumentException($"LexicalScorerOptions.IrrelevantWeight must be 0 or more, but is {IrrelevantWeight}.", nameof(IrrelevantWeight));
        }
    }
}
