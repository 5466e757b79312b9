using System.IO.Compression;

namespace ArxivRank.TestUtilities;

/// <summary>Finds the shared fixture files under <c>tests/TestData</c>, copied next to every test assembly.</summary>
public static class TestData
{
    /// <summary>Gets the folder holding the fixtures.</summary>
    public static string Root { get; } = Path.Combine(AppContext.BaseDirectory, "TestData");

    /// <summary>Gets the full path of a fixture file.</summary>
    public static string PathOf(string relativePath)
    {
        string path = Path.Combine(Root, relativePath.Replace('/', Path.DirectorySeparatorChar));
        return File.Exists(path) ? path : throw new FileNotFoundException($"Fixture '{relativePath}' not found under {Root}.", path);
    }

    /// <summary>Reads a fixture file as text; <c>.gz</c> files are decompressed.</summary>
    public static string ReadText(string relativePath)
    {
        string path = PathOf(relativePath);
        if (!path.EndsWith(".gz", StringComparison.Ordinal))
        {
            return File.ReadAllText(path);
        }

        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        return reader.ReadToEnd();
    }

    /// <summary>The three reference digests produced by the Python tool our users run today (gpt-4o).</summary>
    public static IReadOnlyList<string> ReferenceDigestFiles { get; } =
    [
        "reference/digests/000_de669ead052db387.txt",
        "reference/digests/001_e42f9775c2e7bb7b.txt",
        "reference/digests/002_e685e109bc7554c2.txt",
    ];
}
