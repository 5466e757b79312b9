namespace ArxivRank;

/// <summary>
/// Runs an asynchronous initialisation (a store's migration) exactly once, however many callers ask at once; a failed
/// or canceled attempt is retried by the next caller. A linked source file compiled into each store assembly (see
/// their .csproj), so no package depends on another's internals.
/// </summary>
internal sealed class AsyncOnce : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _done;

    /// <summary>Gets a value indicating whether the initialisation has completed.</summary>
    public bool IsDone => _done;

    /// <summary>Runs <paramref name="initialize"/> unless it already completed; concurrent callers wait for the one that runs it.</summary>
    public async Task RunAsync(Func<CancellationToken, Task> initialize, CancellationToken cancellationToken)
    {
        if (_done)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_done)
            {
                await initialize(cancellationToken).ConfigureAwait(false);
                _done = true;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _gate.Dispose();
}
