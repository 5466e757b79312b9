namespace ArxivRank.Rendering;

/// <summary>How a digest is shown: Markdown, HTML, JSON, Slack, or anything else.</summary>
public interface IDigestRenderer
{
    /// <summary>Gets the format's short name (<c>markdown</c>, <c>html</c>, <c>json</c>, <c>slack</c>).</summary>
    string Format { get; }

    /// <summary>Renders the digest into one or more named outputs.</summary>
    /// <param name="digest">The digest to render.</param>
    /// <param name="output">Creates the named outputs to write (a file per name, a stream, a message).</param>
    /// <param name="cancellationToken">Cancels the rendering.</param>
    /// <returns>A task that completes when every output is written.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="digest"/> or <paramref name="output"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    Task RenderAsync(Digest digest, IDigestOutput output, CancellationToken cancellationToken = default);
}

/// <summary>Where a renderer writes: creates named outputs, such as files in a folder or messages to post.</summary>
public interface IDigestOutput
{
    /// <summary>Creates a named output and returns the stream to write it to. The renderer disposes the stream when done.</summary>
    /// <param name="name">A relative name with forward slashes (<c>2025-02-26.md</c>, <c>2025-02/index.html</c>, <c>slack/001.json</c>).</param>
    /// <param name="mediaType">The media type (<c>text/markdown</c>, <c>text/html</c>, <c>application/json</c>).</param>
    /// <param name="cancellationToken">Cancels the creation.</param>
    /// <returns>A writable stream.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty, rooted, or climbs out with <c>..</c>.</exception>
    ValueTask<Stream> CreateAsync(string name, string mediaType, CancellationToken cancellationToken = default);
}
