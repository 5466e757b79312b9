using Microsoft.Extensions.Logging;

namespace ArxivRank.Pipeline;

/// <summary>
/// A held run lease for the length of one run: taken (waiting up to <see cref="RunLeaseOptions.Wait"/>), renewed in the
/// background every third of its time to live, released on dispose. Losing it cancels <see cref="Token"/>.
/// </summary>
internal sealed class RunLeaseScope : IAsyncDisposable
{
    private readonly IRunLeaseStore _store;
    private readonly RunLeaseOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _lost;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewal;
    private RunLease _lease;

    private RunLeaseScope(IRunLeaseStore store, RunLease lease, RunLeaseOptions options, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        _store = store;
        _lease = lease;
        _options = options;
        _time = time;
        _logger = logger;
        _lost = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _renewal = RenewAsync();
    }

    /// <summary>Gets a token canceled when the run is canceled or the lease is lost.</summary>
    public CancellationToken Token => _lost.Token;

    /// <summary>Gets the lease that was lost to another run, when it was.</summary>
    public RunLease? LostTo { get; private set; }

    /// <summary>Gets a value indicating whether the lease was lost during the run.</summary>
    public bool IsLost { get; private set; }

    /// <summary>Takes the lease, waiting for another run up to the configured time.</summary>
    /// <exception cref="RunLeaseHeldException">Another run still holds the store after the wait.</exception>
    public static async Task<RunLeaseScope> AcquireAsync(IRunLeaseStore store, RunLeaseOptions options, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        long started = time.GetTimestamp();
        bool waitingLogged = false;
        while (true)
        {
            var result = await store.TryAcquireRunLeaseAsync(RunLeaseOwner.Current, options.TimeToLive, cancellationToken).ConfigureAwait(false);
            if (result.Acquired)
            {
                if (result.TookOverFrom is { } stale)
                {
                    Log.RunLeaseTakenOver(logger, stale.ToString());
                }

                return new RunLeaseScope(store, result.Lease!, options, time, logger, cancellationToken);
            }

            var waited = time.GetElapsedTime(started);
            if (waited >= options.Wait)
            {
                string holder = result.Lease?.ToString() ?? "another run";
                throw new RunLeaseHeldException(
                    options.Wait > TimeSpan.Zero
                        ? FormattableString.Invariant($"Another digest run holds the store ({holder}); waited {options.Wait.TotalSeconds:0.#} s. Try again later, or wait longer (--wait SECONDS).")
                        : $"Another digest run holds the store ({holder}). Try again when it has finished, or wait for it (--wait SECONDS).")
                {
                    Holder = result.Lease,
                };
            }

            if (!waitingLogged)
            {
                Log.RunLeaseWaiting(logger, result.Lease?.ToString() ?? "another run");
                waitingLogged = true;
            }

            var pause = options.RetryInterval < options.Wait - waited ? options.RetryInterval : options.Wait - waited;
            await Task.Delay(pause, time, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _renewal.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopped
        }

        if (!IsLost)
        {
            try
            {
                await _store.ReleaseRunLeaseAsync(_lease, CancellationToken.None).ConfigureAwait(false);
            }
            catch (DigestStoreException ex)
            {
                // Not fatal: the lease ends with its time to live, or at once for a re-run on this machine once we exit.
                Log.RunLeaseReleaseFailed(_logger, ex);
            }
        }

        _lost.Dispose();
        _stop.Dispose();
    }

    private async Task RenewAsync()
    {
        var every = _options.TimeToLive / 3;
        using var both = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, _lost.Token);
        while (true)
        {
            await Task.Delay(every, _time, both.Token).ConfigureAwait(false);
            RunLeaseResult result;
            try
            {
                result = await _store.RenewRunLeaseAsync(_lease, _options.TimeToLive, both.Token).ConfigureAwait(false);
            }
            catch (DigestStoreException ex)
            {
                // A busy or failing store: try again at the next turn; the lease has two more thirds of its life.
                Log.RunLeaseRenewalFailed(_logger, ex);
                continue;
            }

            if (!result.Acquired)
            {
                LostTo = result.Lease;
                IsLost = true;
                Log.RunLeaseLost(_logger, result.Lease?.ToString() ?? "no one");
                await _lost.CancelAsync().ConfigureAwait(false);
                return;
            }

            _lease = result.Lease!;
        }
    }
}
