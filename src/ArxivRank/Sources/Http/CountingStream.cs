namespace ArxivRank.Sources.Http;

/// <summary>
/// A read-only pass-through stream that counts the bytes read (to tell an empty body from a broken one) and applies a
/// cancellation token to every read: <see cref="System.Xml.XmlReader"/>'s async methods take none, so without it a
/// stalled body would never time out or cancel.
/// </summary>
internal sealed class CountingStream(Stream inner, CancellationToken readToken = default) : Stream
{
    public long BytesRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!cancellationToken.CanBeCanceled || cancellationToken == readToken)
        {
            return Count(await inner.ReadAsync(buffer, readToken).ConfigureAwait(false));
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, readToken);
        return Count(await inner.ReadAsync(buffer, linked.Token).ConfigureAwait(false));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Count(int read)
    {
        BytesRead += read;
        return read;
    }
}
