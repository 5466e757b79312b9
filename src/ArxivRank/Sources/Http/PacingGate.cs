using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace ArxivRank.Sources.Http;

/// <summary>
/// The one politeness gate in front of arXiv: the start of each request (retries included) waits until at least the
/// caller's minimum interval has passed since the previous start, whichever source or client sent it.
/// </summary>
/// <remarks>
/// <para>
/// <c>System.Threading.RateLimiting</c>'s limiters read the system clock and take no <see cref="TimeProvider"/>, so tests
/// could not drive them with a fake clock. This small pacer does take one. There is one gate per clock: with the system
/// clock, one per process (every source, every <c>HttpClient</c>, every DI container); a test's fake clock gets its own.
/// </para>
/// <para>
/// Slots are reserved first-come, first-served under a lock; a caller then waits for its slot outside the lock. A
/// canceled wait keeps its slot (it is simply not used), which errs on the polite side.
/// </para>
/// </remarks>
internal sealed class PacingGate
{
    private static readonly ConditionalWeakTable<TimeProvider, PacingGate> Gates = new();
    private static readonly ConditionalWeakTable<TimeProvider, ConcurrentDictionary<string, PacingGate>> KeyedGates = new();

    private readonly Lock _lock = new();
    private DateTimeOffset? _lastStart;

    private PacingGate(TimeProvider timeProvider) => TimeProvider = timeProvider;

    /// <summary>Gets the clock this gate waits on.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Gets the gate of a clock, creating it on first use.</summary>
    /// <param name="timeProvider">The clock.</param>
    /// <returns>The same gate for the same clock, for the life of the process.</returns>
    public static PacingGate For(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        return Gates.GetValue(timeProvider, static tp => new PacingGate(tp));
    }

    /// <summary>Gets the gate of a clock and a key (a Slack channel), apart from arXiv's gate, creating it on first use.</summary>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="key">What the gate paces (<c>slack:C0123</c>).</param>
    /// <returns>The same gate for the same clock and key, for the life of the process.</returns>
    public static PacingGate For(TimeProvider timeProvider, string key)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(key);
        return KeyedGates.GetValue(timeProvider, static _ => new(StringComparer.Ordinal)).GetOrAdd(key, static (_, tp) => new PacingGate(tp), timeProvider);
    }

    /// <summary>Waits for this caller's turn: at least <paramref name="minInterval"/> after the previous request's start.</summary>
    /// <param name="minInterval">The least time between two starts for this caller.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>How long the caller waited.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public async ValueTask<TimeSpan> WaitAsync(TimeSpan minInterval, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        DateTimeOffset now;
        DateTimeOffset slot;
        lock (_lock)
        {
            now = TimeProvider.GetUtcNow();
            slot = _lastStart is { } last && last + minInterval > now ? last + minInterval : now;
            _lastStart = slot;
        }

        var wait = slot - now;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, TimeProvider, cancellationToken).ConfigureAwait(false);
        }

        return wait;
    }
}
