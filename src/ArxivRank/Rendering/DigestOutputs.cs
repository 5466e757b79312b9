using System.Collections.Concurrent;
using System.Text;

namespace ArxivRank.Rendering;

/// <summary>
/// Writes each named output as a file under a folder, creating subfolders as needed. Each file is written to a temporary
/// file and renamed into place when its stream is disposed, so a reader (or a crash) never sees a half-written file.
/// </summary>
public sealed class DirectoryDigestOutput : IDigestOutput
{
    private readonly string _root;
    private readonly ConcurrentQueue<string> _written = new();

    /// <summary>Initializes a new instance of the <see cref="DirectoryDigestOutput"/> class.</summary>
    /// <param name="directory">The folder to write into; created when missing.</param>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty.</exception>
    public DirectoryDigestOutput(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _root = Path.GetFullPath(directory);
    }

    /// <summary>Gets the full paths of the files created so far, in creation order.</summary>
    public IReadOnlyCollection<string> WrittenFiles => _written;

    /// <inheritdoc/>
    public ValueTask<Stream> CreateAsync(string name, string mediaType, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string path = OutputNames.Resolve(_root, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        _written.Enqueue(path);
        Stream stream = new AtomicFileStream(path);
        return ValueTask.FromResult(stream);
    }
}

/// <summary>Keeps each named output in memory; handy for tests, previews, and posting the result somewhere else.</summary>
public sealed class MemoryDigestOutput : IDigestOutput
{
    private readonly ConcurrentDictionary<string, (string MediaType, MemoryStream Stream)> _outputs = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    /// <summary>Gets the names created so far, in creation order.</summary>
    public IReadOnlyCollection<string> Names => _order;

    /// <inheritdoc/>
    public ValueTask<Stream> CreateAsync(string name, string mediaType, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        OutputNames.Validate(name);
        var stream = new MemoryStream();
        _outputs[name] = (mediaType, stream);
        _order.Enqueue(name);
        return ValueTask.FromResult<Stream>(stream);
    }

    /// <summary>Gets the bytes written to an output.</summary>
    /// <param name="name">The output's name.</param>
    /// <returns>The bytes.</returns>
    /// <exception cref="KeyNotFoundException">No output has that name.</exception>
    public byte[] GetBytes(string name) => _outputs[name].Stream.ToArray();

    /// <summary>Gets the text written to an output, decoded as UTF-8.</summary>
    /// <param name="name">The output's name.</param>
    /// <returns>The text.</returns>
    /// <exception cref="KeyNotFoundException">No output has that name.</exception>
    public string GetText(string name) => Encoding.UTF8.GetString(GetBytes(name));

    /// <summary>Gets the media type an output was created with.</summary>
    /// <param name="name">The output's name.</param>
    /// <returns>The media type.</returns>
    /// <exception cref="KeyNotFoundException">No output has that name.</exception>
    public string GetMediaType(string name) => _outputs[name].MediaType;
}

internal static class OutputNames
{
    public static void Validate(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.StartsWith('/') || name.Contains('\\', StringComparison.Ordinal) || Path.IsPathRooted(name)
            || name.Split('/').Any(segment => segment is "" or "." or ".."))
        {
            throw new InvalidOutputNameException($"The output name '{name}' must be relative, use forward slashes, and not contain empty, '.' or '..' segments.", nameof(name));
        }
    }

    public static string Resolve(string root, string name)
    {
        Validate(name);
        return Path.GetFullPath(Path.Combine(root, name.Replace('/', Path.DirectorySeparatorChar)));
    }
}

/// <summary>An output name a renderer may not use (the pipeline names the renderer when it meets one).</summary>
internal sealed class InvalidOutputNameException(string message, string paramName) : ArgumentException(message, paramName);
