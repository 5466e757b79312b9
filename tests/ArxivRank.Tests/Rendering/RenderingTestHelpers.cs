using ArxivRank.Rendering;

namespace ArxivRank.Tests.Rendering;

internal static class RenderingTestHelpers
{
    public static async Task<MemoryDigestOutput> RenderAsync(this IDigestRenderer renderer, Digest digest)
    {
        var output = new MemoryDigestOutput();
        await renderer.RenderAsync(digest, output);
        return output;
    }

    public static async Task<string> RenderTextAsync(this IDigestRenderer renderer, Digest digest)
    {
        var output = await renderer.RenderAsync(digest);
        output.Names.Should().ContainSingle();
        return output.GetText(output.Names.Single());
    }

    /// <summary>Finds a file of the repository (docs/schema/…) by walking up from the test assembly.</summary>
    public static string RepositoryFile(string relativePath)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, relativePath.Replace('/', Path.DirectorySeparatorChar));
            if (File.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "ArxivRank.sln")))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"'{relativePath}' not found above {AppContext.BaseDirectory}.");
    }

    public static string RenderingData(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "rendering", name);
}

/// <summary>A write-only stream that records the size of every write, to prove a renderer streams.</summary>
internal sealed class RecordingStream : Stream
{
    public List<int> Writes { get; } = [];

    public long Total { get; private set; }

    public bool AsyncWritesOnly { get; private set; } = true;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => Total;

    public override long Position { get => Total; set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count)
    {
        AsyncWritesOnly = false;
        Record(count);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Record(buffer.Length);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Record(count);
        return Task.CompletedTask;
    }

    private void Record(int count)
    {
        if (count > 0)
        {
            Writes.Add(count);
            Total += count;
        }
    }
}

/// <summary>An output whose streams are <see cref="RecordingStream"/>s.</summary>
internal sealed class RecordingOutput : IDigestOutput
{
    public Dictionary<string, RecordingStream> Streams { get; } = [];

    public ValueTask<Stream> CreateAsync(string name, string mediaType, CancellationToken cancellationToken = default)
    {
        var stream = new RecordingStream();
        Streams[name] = stream;
        return ValueTask.FromResult<Stream>(stream);
    }
}
