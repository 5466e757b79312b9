namespace ArxivRank.Ranking;

/// <summary>
/// A learned ranker could not be trained (no positive or no negative example, nothing to learn from) or a model file
/// could not be read (not JSON, not a ranker model, an unknown format version, inconsistent contents).
/// </summary>
public class LearnedRankerException : ArxivRankException
{
    /// <summary>Initializes a new instance of the <see cref="LearnedRankerException"/> class.</summary>
    public LearnedRankerException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="LearnedRankerException"/> class.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    public LearnedRankerException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="LearnedRankerException"/> class.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public LearnedRankerException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the format version found in the model file when it is one this library cannot read; otherwise <see langword="null"/>.</summary>
    public int? UnsupportedFormatVersion { get; init; }
}
