using Polly;

namespace ArxivRank.Sources.Http;

/// <summary>
/// A Polly strategy that passes every attempt through the shared <see cref="PacingGate"/> (this process) and then, when
/// given, the <see cref="PacingLockFile"/> (every process of this user) before it is sent.
/// </summary>
/// <remarks>It sits inside the retry (so each retry is paced too) and outside the attempt time-out (so waiting for a turn does not eat the attempt's time).</remarks>
internal sealed class PacingStrategy(PacingGate gate, TimeSpan minInterval, Action<TimeSpan>? onPaced, PacingLockFile? shared = null, Action<Exception>? onSharedFailed = null) : ResilienceStrategy
{
    protected override async ValueTask<Outcome<TResult>> ExecuteCore<TResult, TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<TResult>>> callback,
        ResilienceContext context,
        TState state)
    {
        try
        {
            var waited = await gate.WaitAsync(minInterval, context.CancellationToken).ConfigureAwait(context.ContinueOnCapturedContext);
            if (shared is not null && minInterval > TimeSpan.Zero)
            {
                try
                {
                    waited += await shared.WaitAsync(minInterval, context.CancellationToken).ConfigureAwait(context.ContinueOnCapturedContext);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // The shared gate is a courtesy across processes; this process's own gate still paces.
                    onSharedFailed?.Invoke(ex);
                }
            }

            if (waited > TimeSpan.Zero)
            {
                onPaced?.Invoke(waited);
            }
        }
        catch (OperationCanceledException ex)
        {
            return Outcome.FromException<TResult>(ex);
        }

        return await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
    }
}
