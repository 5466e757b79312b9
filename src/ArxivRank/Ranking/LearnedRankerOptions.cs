using System.Globalization;

namespace ArxivRank.Ranking;

/// <summary>How a <see cref="LearnedRanker"/> is trained: which text features it reads and how strongly it is regularized.</summary>
/// <remarks>The defaults were chosen on the first labeled days only (see docs/learned-ranker.md); they suit a few hundred to a few thousand papers per training.</remarks>
public sealed class LearnedRankerOptions
{
    /// <summary>Gets or sets how many times a word of the title counts against one of the abstract.</summary>
    /// <value>3 by default; between 1 and 10.</value>
    public double TitleWeight { get; set; } = 3;

    /// <summary>Gets or sets a value indicating whether adjacent word pairs (<c>graph neural</c>, <c>neural networks</c>) are features besides single words.</summary>
    /// <value><see langword="true"/> by default.</value>
    public bool UseWordPairs { get; set; } = true;

    /// <summary>Gets or sets in how many training papers a term must occur to enter the vocabulary.</summary>
    /// <value>2 by default; at least 1. Higher values give a smaller model file.</value>
    public int MinDocumentFrequency { get; set; } = 2;

    /// <summary>Gets or sets the largest vocabulary kept: the terms found in the most training papers win.</summary>
    /// <value>10,000 by default; between 1 and 1,000,000. The model file grows by about 30 bytes per term.</value>
    public int MaxVocabularySize { get; set; } = 10_000;

    /// <summary>
    /// Gets or sets the strength of the L2 penalty on the weights (the inverse of scikit-learn's <c>C</c>):
    /// higher values give smoother, less confident models.
    /// </summary>
    /// <value>1 by default; greater than 0 and at most 1,000,000.</value>
    public double L2Regularization { get; set; } = 1;

    /// <summary>
    /// Gets or sets a value indicating whether positive and negative examples are weighted so both classes count equally in
    /// total (positives are about a tenth of a day, so each counts about nine times a negative).
    /// </summary>
    /// <value><see langword="true"/> by default.</value>
    public bool BalanceClasses { get; set; } = true;

    /// <summary>Gets or sets the most optimizer (L-BFGS) iterations; training stops earlier once it has converged.</summary>
    /// <value>500 by default; between 1 and 100,000.</value>
    public int MaxIterations { get; set; } = 500;

    /// <summary>Checks every option and names the first one out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it.</exception>
    internal void Validate()
    {
        Check(double.IsFinite(TitleWeight) && TitleWeight is >= 1 and <= 10, nameof(TitleWeight), TitleWeight, "between 1 and 10");
        Check(MinDocumentFrequency >= 1, nameof(MinDocumentFrequency), MinDocumentFrequency, "at least 1");
        Check(MaxVocabularySize is >= 1 and <= 1_000_000, nameof(MaxVocabularySize), MaxVocabularySize, "between 1 and 1,000,000");
        Check(double.IsFinite(L2Regularization) && L2Regularization is > 0 and <= 1_000_000, nameof(L2Regularization), L2Regularization, "greater than 0 and at most 1,000,000");
        Check(MaxIterations is >= 1 and <= 100_000, nameof(MaxIterations), MaxIterations, "between 1 and 100,000");
    }

    private static void Check(bool ok, string name, object value, string range)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(
                $"options.{name}",
                value,
                string.Create(CultureInfo.InvariantCulture, $"{nameof(LearnedRankerOptions)}.{name} must be {range} (was {value})."));
        }
    }
}
