namespace ArxivRank.Rendering;

/// <summary>
/// The shared shape of the renderers that write one text document per day (Markdown, HTML): check the digest, create
/// the daily output, stream the document through a <see cref="ChunkedTextWriter"/>, flush it.
/// </summary>
internal abstract class TextDigestRenderer : IDigestRenderer
{
    public abstract string Format { get; }

    /// <summary>Gets the file extension of the daily output (<c>md</c>, <c>html</c>).</summary>
    protected abstract string Extension { get; }

    /// <summary>Gets the media type of the daily output.</summary>
    protected abstract string MediaType { get; }

    public async Task RenderAsync(Digest digest, IDigestOutput output, CancellationToken cancellationToken = default)
    {
        DigestGuard.Check(digest);
        ArgumentNullException.ThrowIfNull(output);
        cancellationToken.ThrowIfCancellationRequested();

        var stream = await output.CreateAsync(DigestOutputNames.Daily(digest.Date, Extension), MediaType, cancellationToken).ConfigureAwait(false);
        var writer = new ChunkedTextWriter(stream);
        await using var writerScope = writer.ConfigureAwait(false);
        await WriteAsync(digest, writer, cancellationToken).ConfigureAwait(false);
        await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the whole document, section by section.</summary>
    protected abstract Task WriteAsync(Digest digest, ChunkedTextWriter writer, CancellationToken cancellationToken);
}
