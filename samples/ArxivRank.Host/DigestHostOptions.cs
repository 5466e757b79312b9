namespace ArxivRank.Host;

/// <summary>The host's own settings (configuration section <c>Host</c>); the reader's are the profile in section <c>ArxivRank</c>.</summary>
public sealed class DigestHostOptions
{
    /// <summary>Gets or sets how often the scheduler looks at the clock.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets a value indicating whether a digest runs once at start-up as well.</summary>
    public bool RunOnStart { get; set; }
}
