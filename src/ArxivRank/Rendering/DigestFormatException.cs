namespace ArxivRank.Rendering;

/// <summary>A digest file (our JSON, or a day file of the Python tool) could not be read; the message says where and why.</summary>
public sealed class DigestFormatException : ArxivRankException
{
    /// <summary>Initializes a new instance of the <see cref="DigestFormatException"/> class.</summary>
    public DigestFormatException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DigestFormatException"/> class.</summary>
    /// <param name="message">What is wrong and where.</param>
    public DigestFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DigestFormatException"/> class.</summary>
    /// <param name="message">What is wrong and where.</param>
    /// <param name="innerException">The cause.</param>
    public DigestFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
