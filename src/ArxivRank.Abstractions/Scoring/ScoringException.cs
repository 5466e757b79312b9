namespace ArxivRank.Scoring;

/// <summary>Scoring failed as a whole: too many papers could not be scored for the result to mean anything.</summary>
public class ScoringException : ArxivRankException
{
    /// <summary>Initializes a new instance of the <see cref="ScoringException"/> class.</summary>
    public ScoringException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ScoringException"/> class.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    public ScoringException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ScoringException"/> class.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public ScoringException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the partial result gathered before scoring was given up, when there is one.</summary>
    public ScoringResult? PartialResult { get; init; }
}
