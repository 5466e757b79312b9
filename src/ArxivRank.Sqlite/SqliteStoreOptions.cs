namespace ArxivRank.Sqlite;

/// <summary>Where and how the SQLite store keeps its file.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>Gets or sets the path of the database file; its folder is created when missing.</summary>
    /// <value><see langword="null"/> by default: <see cref="SqliteArxivRankStore.DefaultPath"/> (the user's local data folder, <c>arxivrank/arxivrank.db</c>).</value>
    public string? Path { get; set; }

    /// <summary>Gets or sets how long a write waits for another process that holds the file's write lock before failing.</summary>
    /// <value>30 seconds by default.</value>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Returns a copy of these options.</summary>
    /// <returns>A new instance with the same values.</returns>
    public SqliteStoreOptions Clone() => (SqliteStoreOptions)MemberwiseClone();

    internal IEnumerable<string> Validate()
    {
        if (Path is not null && string.IsNullOrWhiteSpace(Path))
        {
            yield return $"{nameof(SqliteStoreOptions)}.{nameof(Path)} must not be blank (leave it null for the default location).";
        }

        if (Path is not null && Path.IndexOfAny(System.IO.Path.GetInvalidPathChars()) >= 0)
        {
            yield return $"{nameof(SqliteStoreOptions)}.{nameof(Path)} contains characters that are not allowed in a path.";
        }

        if (BusyTimeout <= TimeSpan.Zero || BusyTimeout > TimeSpan.FromHours(1))
        {
            yield return $"{nameof(SqliteStoreOptions)}.{nameof(BusyTimeout)} must be more than 0 and at most 1 hour (was {BusyTimeout}).";
        }
    }
}
