namespace ArxivRank;

/// <summary>The base of every error ArxivRank raises on purpose. Cancellation is always <see cref="OperationCanceledException"/> instead.</summary>
public class ArxivRankException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ArxivRankException"/> class.</summary>
    public ArxivRankException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ArxivRankException"/> class.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    public ArxivRankException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ArxivRankException"/> class.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public ArxivRankException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
