namespace ArxivRank.Pipeline;

/// <summary>The run lease: one digest run at a time per store (here: per process, since the store lives in it).</summary>
public sealed partial class InMemoryArxivRankStore : IRunLeaseStore
{
    private RunLease? _lease;

    /// <inheritdoc/>
    public ValueTask<RunLeaseResult> TryAcquireRunLeaseAsync(RunLeaseOwner owner, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeToLive, TimeSpan.Zero);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (_lease is { } held && !held.IsStale(now))
            {
                return ValueTask.FromResult(RunLeaseResult.Refused(held));
            }

            var previous = _lease;
            _lease = RunLease.Create(owner, now, timeToLive);
            return ValueTask.FromResult(RunLeaseResult.Granted(_lease, previous));
        }
    }

    /// <inheritdoc/>
    public ValueTask<RunLeaseResult> RenewRunLeaseAsync(RunLease lease, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeToLive, TimeSpan.Zero);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_lease?.Token != lease.Token)
            {
                return ValueTask.FromResult(RunLeaseResult.Refused(_lease));
            }

            _lease = _lease with { ExpiresAt = _time.GetUtcNow() + timeToLive };
            return ValueTask.FromResult(RunLeaseResult.Granted(_lease));
        }
    }

    /// <inheritdoc/>
    public ValueTask ReleaseRunLeaseAsync(RunLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_lease?.Token == lease.Token)
            {
                _lease = null;
            }
        }

        return ValueTask.CompletedTask;
    }
}
