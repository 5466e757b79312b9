using ArxivRank.Pipeline;
using ArxivRank.Profiles;

namespace ArxivRank.Sqlite;

/// <summary>The store a <see cref="ReaderProfile"/> names, for <see cref="ReaderPipelineServices.Store"/>.</summary>
public static class ReaderProfileStore
{
    /// <summary>
    /// Opens the SQLite store at the profile's <c>store</c> (default <see cref="SqliteArxivRankStore.DefaultPath"/>),
    /// creating its folder. A dry run never creates a store: with no file yet it gets an empty in-memory one.
    /// </summary>
    /// <param name="profile">The profile.</param>
    /// <param name="dryRun">Whether the run writes nothing.</param>
    /// <returns>The store; dispose it when it is an <see cref="IDisposable"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="profile"/> is <see langword="null"/>.</exception>
    /// <exception cref="DigestStoreException">The store cannot be opened; the message says why.</exception>
    public static IDigestStore Open(ReaderProfile profile, bool dryRun = false)
    {
        ArgumentNullException.ThrowIfNull(profile);
        try
        {
            string path = profile.Store ?? SqliteArxivRankStore.DefaultPath;
            if (dryRun && !File.Exists(path))
            {
                return new InMemoryArxivRankStore();
            }

            if (!dryRun)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            }

            return new SqliteArxivRankStore(new SqliteStoreOptions { Path = path });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new DigestStoreException(ex.Message, ex);
        }
    }
}
