namespace ArxivRank.Rendering;

/// <summary>
/// A file written whole or not at all: the bytes go to a hidden temporary file beside the target, which is flushed to
/// disk and renamed over the target when the stream is disposed. A process killed mid-write leaves the old file (or no
/// file) and a stray <c>.name.*.tmp</c>, never a half-written target; a write that throws discards the temporary file.
/// The next successful write of the same target removes such strays once they are <see cref="StaleAfter"/> older than
/// its own temporary file (a younger one may belong to a writer still at work).
/// </summary>
internal sealed class AtomicFileStream : Stream
{
    /// <summary>How much older than this write's temporary file another temporary file of the target must be to count as a crashed writer's.</summary>
    internal static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(10);

    private readonly string _target;
    private readonly string _temporary;
    private readonly FileStream _inner;
    private bool _faulted;
    private bool _disposed;

    public AtomicFileStream(string target)
    {
        _target = target;
        string folder = Path.GetDirectoryName(target)!;
        _temporary = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        _inner = new FileStream(_temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true);
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !_disposed;

    public override long Length => _inner.Length;

    public override long Position
    {
        get => _inner.Position;
        set => throw new NotSupportedException();
    }

    /// <summary>Writes a whole file atomically.</summary>
    public static async Task WriteAllBytesAsync(string path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        var stream = new AtomicFileStream(path);
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
    }

    public override void Flush() => _inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        try
        {
            _inner.Write(buffer);
        }
        catch
        {
            _faulted = true;
            throw;
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            await _inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _faulted = true;
            throw;
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (!_faulted)
            {
                await _inner.FlushAsync().ConfigureAwait(false);
                _inner.Flush(flushToDisk: true);
            }
        }
        catch
        {
            _faulted = true;
            throw;
        }
        finally
        {
            await _inner.DisposeAsync().ConfigureAwait(false);
            Finish();
        }

        GC.SuppressFinalize(this);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            try
            {
                if (!_faulted)
                {
                    _inner.Flush(flushToDisk: true);
                }
            }
            catch
            {
                _faulted = true;
                throw;
            }
            finally
            {
                _inner.Dispose();
                Finish();
            }
        }

        base.Dispose(disposing);
    }

    private void Finish()
    {
        if (_faulted)
        {
            File.Delete(_temporary);
        }
        else
        {
            // File-system timestamps on both sides: no clock of this process decides what is stale.
            var started = File.GetCreationTimeUtc(_temporary);
            File.Move(_temporary, _target, overwrite: true);
            RemoveStrays(started);
        }
    }

    private void RemoveStrays(DateTime started)
    {
        try
        {
            var folder = new DirectoryInfo(Path.GetDirectoryName(_target)!);
            foreach (var stray in folder.EnumerateFiles($".{Path.GetFileName(_target)}.*.tmp"))
            {
                if (stray.LastWriteTimeUtc < started - StaleAfter)
                {
                    stray.Delete();
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Tidying is best effort: the target is written, a stray left for the next write is harmless.
        }
    }
}
