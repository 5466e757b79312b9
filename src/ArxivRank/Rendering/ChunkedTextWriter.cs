using System.Text;

namespace ArxivRank.Rendering;

/// <summary>
/// Streams a document piece by piece: a renderer fills <see cref="Text"/> with one section (a paper, the table of
/// contents) and calls <see cref="FlushAsync"/>, which writes it asynchronously and reuses the buffer, so memory stays
/// bounded by the largest section, not the document.
/// </summary>
internal sealed class ChunkedTextWriter : IAsyncDisposable
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);
    private readonly StreamWriter _writer;

    public ChunkedTextWriter(Stream stream, int bufferSize = 16 * 1024)
    {
        _writer = new StreamWriter(stream, Utf8NoBom, bufferSize, leaveOpen: false);
    }

    /// <summary>Gets the section being built; renderers append to it.</summary>
    public StringBuilder Text { get; } = new(8 * 1024);

    /// <summary>Writes the section built so far and clears the buffer.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var chunk in Text.GetChunks())
        {
            await _writer.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
        }

        Text.Clear();
    }

    /// <summary>Writes what is left and flushes the stream.</summary>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _writer.DisposeAsync();
}
