namespace ArxivRank.Host;

/// <summary>The host's settings (configuration section <c>Digest</c>).</summary>
public sealed class DigestHostOptions
{
    /// <summary>Gets or sets where papers come from: <c>snapshot</c> (offline, the default), <c>rss</c> or <c>api</c>.</summary>
    public string Source { get; set; } = "snapshot";

    /// <summary>Gets or sets the arXiv categories of the digest.</summary>
    public string[] Categories { get; set; } = ["cs.LG"];

    /// <summary>Gets or sets the local time of day the digest runs (arXiv announces at 20:00 US-Eastern).</summary>
    public TimeOnly RunAt { get; set; } = new(21, 0);

    /// <summary>Gets or sets the IANA time zone of <see cref="RunAt"/>.</summary>
    public string TimeZone { get; set; } = "America/New_York";

    /// <summary>Gets or sets how often the scheduler looks at the clock.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets the folder the digests and the archive are written to and served from.</summary>
    public string ArchiveDirectory { get; set; } = "digests";

    /// <summary>Gets or sets the SQLite store's file.</summary>
    public string StorePath { get; set; } = "data/arxivrank.db";

    /// <summary>Gets or sets a value indicating whether a digest runs once at start-up as well.</summary>
    public bool RunOnStart { get; set; }
}
