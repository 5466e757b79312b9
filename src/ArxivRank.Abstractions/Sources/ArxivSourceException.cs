using System.Net;

namespace ArxivRank.Sources;

/// <summary>A response from arXiv (or a mirror) was unusable as a whole, or arXiv answered with an error.</summary>
public class ArxivSourceException : ArxivRankException
{
    /// <summary>Initializes a new instance of the <see cref="ArxivSourceException"/> class.</summary>
    public ArxivSourceException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ArxivSourceException"/> class.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    public ArxivSourceException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ArxivSourceException"/> class.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public ArxivSourceException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ArxivSourceException"/> class.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="url">The URL requested.</param>
    /// <param name="statusCode">The HTTP status, when a response arrived.</param>
    /// <param name="position">Where in the response the problem is, when known.</param>
    /// <param name="innerException">The cause.</param>
    public ArxivSourceException(string message, Uri? url, HttpStatusCode? statusCode, string? position = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Url = url;
        StatusCode = statusCode;
        Position = position;
    }

    /// <summary>Gets the URL requested.</summary>
    public Uri? Url { get; }

    /// <summary>Gets the HTTP status of the response, when one arrived.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Gets where in the response the problem is (line and column, item index), when known.</summary>
    public string? Position { get; }
}
