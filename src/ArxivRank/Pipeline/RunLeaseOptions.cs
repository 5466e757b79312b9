namespace ArxivRank.Pipeline;

/// <summary>How a digest run takes the store's run lease (when the store implements <see cref="IRunLeaseStore"/>), so runs sharing a store go one at a time.</summary>
public sealed class RunLeaseOptions
{
    /// <summary>Gets or sets a value indicating whether the pipeline takes the run lease.</summary>
    /// <value><see langword="true"/> by default. Turn it off only when something else already keeps runs apart.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets how long a run waits for another run to finish before it gives up with <see cref="RunLeaseHeldException"/>.</summary>
    /// <value>Zero by default: give up at once (the CLI's <c>--wait SECONDS</c>).</value>
    public TimeSpan Wait { get; set; } = TimeSpan.Zero;

    /// <summary>Gets or sets how long the lease lasts unless renewed; the run renews it every third of this.</summary>
    /// <value>Two minutes by default. A lease whose owner process is gone from this machine is taken over at once; one held from another machine ends after this time.</value>
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets or sets how often a waiting run asks again.</summary>
    /// <value>One second by default.</value>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Returns a copy of these options.</summary>
    /// <returns>A new instance with the same values.</returns>
    public RunLeaseOptions Clone() => (RunLeaseOptions)MemberwiseClone();

    internal IEnumerable<string> Validate(string prefix = nameof(RunLeaseOptions))
    {
        if (Wait < TimeSpan.Zero || Wait > TimeSpan.FromDays(1))
        {
            yield return $"{prefix}.{nameof(Wait)} must be 0 to 1 day (was {Wait}).";
        }

        if (TimeToLive < TimeSpan.FromSeconds(1) || TimeToLive > TimeSpan.FromDays(1))
        {
            yield return $"{prefix}.{nameof(TimeToLive)} must be 1 second to 1 day (was {TimeToLive}).";
        }

        if (RetryInterval < TimeSpan.FromMilliseconds(10) || RetryInterval > TimeSpan.FromHours(1))
        {
            yield return $"{prefix}.{nameof(RetryInterval)} must be 10 ms to 1 hour (was {RetryInterval}).";
        }
    }
}
