namespace ArxivRank.TestUtilities.Arxiv;

/// <summary>Which arXiv endpoint a request went to.</summary>
public enum ArxivEndpoint
{
    /// <summary><c>/rss/{query}</c>.</summary>
    Rss,

    /// <summary><c>/atom/{query}</c>.</summary>
    Atom,

    /// <summary><c>/api/query</c>.</summary>
    Api,

    /// <summary><c>/oai</c>.</summary>
    Oai,
}

/// <summary>A scripted failure the <see cref="ArxivDouble"/> answers one request with, instead of the normal answer.</summary>
public abstract record ArxivFault
{
    private protected ArxivFault()
    {
    }

    /// <summary>Gets a short name for the request log.</summary>
    public abstract string Name { get; }

    /// <summary>HTTP 503, with <c>Retry-After</c> in seconds when given (arXiv's OAI-PMH flow control).</summary>
    public static ArxivFault ServiceUnavailable(TimeSpan? retryAfter = null) => new StatusFault(503, retryAfter, "Service Unavailable", "text/plain");

    /// <summary>HTTP 429, with <c>Retry-After</c> in seconds when given.</summary>
    public static ArxivFault TooManyRequests(TimeSpan? retryAfter = null) => new StatusFault(429, retryAfter, "Rate exceeded.", "text/plain");

    /// <summary>Any status with any body.</summary>
    public static ArxivFault Status(int statusCode, string body = "", string contentType = "text/plain") => new StatusFault(statusCode, null, body, contentType);

    /// <summary>Never answers: the request hangs until the client gives up (or the double stops).</summary>
    public static ArxivFault Hang() => new HangFault();

    /// <summary>
    /// Sends only the first part of the normal answer. With <paramref name="abortConnection"/> the response announces the
    /// full Content-Length and the connection is cut (a network failure); without it the answer simply ends early (cut XML).
    /// </summary>
    public static ArxivFault TruncatedBody(double keepFraction = 0.5, bool abortConnection = true) => new TruncatedFault(keepFraction, abortConnection);

    /// <summary>Sends the headers and the first part of the normal answer, then stalls until the client gives up (or the double stops).</summary>
    public static ArxivFault StalledBody(double keepFraction = 0.5) => new StalledFault(keepFraction);

    /// <summary>An HTML maintenance page (text/html) with the given status instead of XML.</summary>
    public static ArxivFault HtmlErrorPage(int statusCode = 200) => new StatusFault(statusCode, null, ArxivFeedWriter.HtmlErrorPage, "text/html; charset=utf-8");

    /// <summary>The same HTML page labelled as XML (a misconfigured proxy), so only the body tells.</summary>
    public static ArxivFault HtmlAsXml() => new StatusFault(200, null, ArxivFeedWriter.HtmlErrorPage, "application/rss+xml");

    /// <summary>HTTP 200 with an empty body.</summary>
    public static ArxivFault EmptyOk() => new StatusFault(200, null, string.Empty, "application/xml");

    internal sealed record StatusFault(int StatusCode, TimeSpan? RetryAfter, string Body, string ContentType) : ArxivFault
    {
        public override string Name => RetryAfter is { } r ? $"status {StatusCode} retry-after {r.TotalSeconds}s" : $"status {StatusCode}";
    }

    internal sealed record HangFault : ArxivFault
    {
        public override string Name => "hang";
    }

    internal sealed record StalledFault(double KeepFraction) : ArxivFault
    {
        public override string Name => "stalled body";
    }

    internal sealed record TruncatedFault(double KeepFraction, bool AbortConnection) : ArxivFault
    {
        public override string Name => AbortConnection ? "truncated (connection cut)" : "truncated (body ends early)";
    }
}

/// <summary>One request the <see cref="ArxivDouble"/> received.</summary>
/// <param name="Number">1 for the first request the double received, then 2, …</param>
/// <param name="Endpoint">The endpoint.</param>
/// <param name="Path">The path, such as <c>/rss/cs.LG</c>.</param>
/// <param name="Query">The query string with its <c>?</c>, or empty.</param>
/// <param name="Time">When it arrived, on the double's clock (the test's fake clock when it has one).</param>
/// <param name="UserAgent">The User-Agent header.</param>
/// <param name="Fault">The scripted fault it got, or <see langword="null"/> for a normal answer.</param>
public sealed record ArxivRequest(int Number, ArxivEndpoint Endpoint, string Path, string Query, DateTimeOffset Time, string? UserAgent, string? Fault)
{
    /// <summary>Gets the value of a query-string parameter, decoded, or <see langword="null"/>.</summary>
    public string? QueryValue(string name)
        => Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(Query).TryGetValue(name, out var v) ? v.ToString() : null;
}
