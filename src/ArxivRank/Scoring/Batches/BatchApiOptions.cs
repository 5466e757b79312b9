namespace ArxivRank.Scoring;

/// <summary>What happens to the papers a batch did not answer (failed lines, papers missing from the answers).</summary>
public enum BatchFallback
{
    /// <summary>They are asked again synchronously, through the chat client, at the normal price.</summary>
    Sync,

    /// <summary>They are left unscored, each with the reason.</summary>
    None,
}

/// <summary>How the LLM scorer uses a provider's Batch API (half price, answers within hours). Validated when the scorer is created.</summary>
public sealed class BatchApiOptions
{
    /// <summary>Gets or sets the first wait between two polls of a running batch.</summary>
    /// <value>Defaults to 30 seconds. Each wait is 1.5 times the previous one, up to <see cref="MaxPollInterval"/>. Tests and local mirrors set it low.</value>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the longest wait between two polls.</summary>
    /// <value>Defaults to 5 minutes; never below <see cref="PollInterval"/>.</value>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets how long a run waits for its batches before giving up with <see cref="BatchPendingException"/>.</summary>
    /// <value>
    /// Defaults to 1 hour. <see cref="Timeout.InfiniteTimeSpan"/> waits until the batches finish (the provider's window is 24 hours).
    /// Without an <see cref="Pipeline.IBatchJobStore"/> the ids are not kept, so only wait forever then.
    /// </value>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets what happens to failed lines and papers missing from the answers.</summary>
    /// <value>Defaults to <see cref="BatchFallback.Sync"/>: nothing is dropped.</value>
    public BatchFallback Fallback { get; set; } = BatchFallback.Sync;

    /// <summary>Gets the metadata sent with each batch (for example <c>day</c> and <c>run</c>); the scorer adds <c>arxivrank_job</c>, its own job key.</summary>
    /// <value>At most 15 pairs; keys up to 64 characters, values up to 512.</value>
    public IDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    internal void Validate()
    {
        Check(PollInterval > TimeSpan.Zero, nameof(PollInterval), "must be positive");
        Check(MaxPollInterval >= PollInterval, nameof(MaxPollInterval), "must be at least PollInterval");
        Check(MaxWait == Timeout.InfiniteTimeSpan || MaxWait >= TimeSpan.Zero, nameof(MaxWait), "must not be negative (use Timeout.InfiniteTimeSpan to wait until done)");
        Check(Enum.IsDefined(Fallback), nameof(Fallback), $"is not a known fallback ({Fallback})");
        Check(Metadata is not null && Metadata.Count <= 15, nameof(Metadata), "may hold at most 15 pairs (the provider allows 16; the scorer adds one)");
        foreach (var (key, value) in Metadata!)
        {
            Check(!string.IsNullOrEmpty(key) && key.Length <= 64 && (value ?? string.Empty).Length <= 512, nameof(Metadata), $"pair '{key}' is too long or has an empty key (keys up to 64, values up to 512 characters)");
        }
    }

    internal BatchApiOptions Clone() => new()
    {
        PollInterval = PollInterval,
        MaxPollInterval = MaxPollInterval,
        MaxWait = MaxWait,
        Fallback = Fallback,
        Metadata = new Dictionary<string, string>(Metadata, StringComparer.Ordinal),
    };

    private static void Check(bool condition, string option, string message)
    {
        if (!condition)
        {
            throw new ArgumentException($"BatchApiOptions.{option} {message}.", option);
        }
    }
}
