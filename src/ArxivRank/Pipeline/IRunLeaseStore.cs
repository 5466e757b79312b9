using System.ComponentModel;
using System.Diagnostics;

namespace ArxivRank.Pipeline;

/// <summary>
/// A store that lets one digest run at a time hold it: a lease with an owner (machine and process), an expiry and
/// renewal. Every process that shares the store (a cron job, the Host, a second terminal) sees the same lease.
/// </summary>
/// <remarks>
/// <para>The lease is per store, not per day: the announcement day is known only after the fetch, and it is scoring that
/// costs. <see cref="DigestPipeline"/> takes it (when its store implements this interface) before it looks at the
/// history, renews it while the run lasts and releases it at the end.</para>
/// <para>A lease is taken over at once when <see cref="RunLease.IsStale"/> says so: it expired, or its owner process is
/// gone on this machine (a crash, a SIGKILL), so a re-run right after a crash proceeds.</para>
/// <para>Implementations: <see cref="InMemoryArxivRankStore"/>, <c>SqliteArxivRankStore</c> and, per reader,
/// <c>PostgreSqlArxivRankStore</c>; the contract is the same for every store.</para>
/// </remarks>
public interface IRunLeaseStore
{
    /// <summary>Takes the lease when no one holds it (or its holder is stale), in one atomic step.</summary>
    /// <param name="owner">Who asks: usually <see cref="RunLeaseOwner.Current"/>.</param>
    /// <param name="timeToLive">How long the lease lasts unless renewed.</param>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    /// <returns>The new lease, or the current holder when someone else holds it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="owner"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeToLive"/> is not positive.</exception>
    /// <exception cref="DigestStoreException">The store cannot be read or written.</exception>
    ValueTask<RunLeaseResult> TryAcquireRunLeaseAsync(RunLeaseOwner owner, TimeSpan timeToLive, CancellationToken cancellationToken = default);

    /// <summary>Extends a lease this caller holds.</summary>
    /// <param name="lease">The lease returned by <see cref="TryAcquireRunLeaseAsync"/>.</param>
    /// <param name="timeToLive">The new time to live, from now.</param>
    /// <param name="cancellationToken">Cancels the renewal.</param>
    /// <returns>The renewed lease; or, when the lease was lost (it expired and someone took it), not acquired with the new holder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="lease"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeToLive"/> is not positive.</exception>
    /// <exception cref="DigestStoreException">The store cannot be read or written.</exception>
    ValueTask<RunLeaseResult> RenewRunLeaseAsync(RunLease lease, TimeSpan timeToLive, CancellationToken cancellationToken = default);

    /// <summary>Gives a lease back; nothing happens when it is no longer held by this caller.</summary>
    /// <param name="lease">The lease returned by <see cref="TryAcquireRunLeaseAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the release.</param>
    /// <returns>A task that completes when the lease is released.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="lease"/> is <see langword="null"/>.</exception>
    /// <exception cref="DigestStoreException">The store cannot be written.</exception>
    ValueTask ReleaseRunLeaseAsync(RunLease lease, CancellationToken cancellationToken = default);
}

/// <summary>Who holds (or asks for) a run lease: a machine and a process on it.</summary>
/// <param name="Machine">The machine's name (<see cref="Environment.MachineName"/>).</param>
/// <param name="ProcessId">The process id on that machine.</param>
/// <param name="ProcessStartedAt">When that process started, so a reused process id is not mistaken for the owner; <see langword="null"/> when unknown.</param>
public sealed record RunLeaseOwner(string Machine, int ProcessId, DateTimeOffset? ProcessStartedAt = null)
{
    /// <summary>Gets the current process on this machine.</summary>
    public static RunLeaseOwner Current { get; } = ForCurrentProcess();

    /// <summary>Gets a value indicating whether this owner was on this machine and its process has ended (or its id now belongs to another process).</summary>
    /// <returns><see langword="true"/> only when that is certain; an owner on another machine, or one that cannot be checked, is never gone.</returns>
    public bool IsGoneFromThisMachine()
    {
        if (!string.Equals(Machine, Environment.MachineName, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(ProcessId);
            if (process.HasExited)
            {
                return true;
            }

            return ProcessStartedAt is { } started && StartOf(process) is { } actual && (actual - started).Duration() > TimeSpan.FromSeconds(2);
        }
        catch (ArgumentException)
        {
            return true; // no process with that id
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            return false; // cannot tell: treat as alive, the time to live still applies
        }
    }

    /// <inheritdoc/>
    public override string ToString() => ProcessStartedAt is { } started
        ? FormattableString.Invariant($"process {ProcessId} on {Machine} (started {started:yyyy-MM-dd HH:mm:ss}Z)")
        : FormattableString.Invariant($"process {ProcessId} on {Machine}");

    private static RunLeaseOwner ForCurrentProcess()
    {
        using var process = Process.GetCurrentProcess();
        return new RunLeaseOwner(Environment.MachineName, Environment.ProcessId, StartOf(process));
    }

    private static DateTimeOffset? StartOf(Process process)
    {
        try
        {
            var local = process.StartTime;
            var utc = new DateTimeOffset(local.ToUniversalTime(), TimeSpan.Zero);
            return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            return null;
        }
    }
}

/// <summary>A run lease: who holds it, since when, until when.</summary>
public sealed record RunLease
{
    /// <summary>Gets the lease's identity: only the holder of this token can renew or release it.</summary>
    public required string Token { get; init; }

    /// <summary>Gets the owner.</summary>
    public required RunLeaseOwner Owner { get; init; }

    /// <summary>Gets when the lease was taken.</summary>
    public required DateTimeOffset AcquiredAt { get; init; }

    /// <summary>Gets when the lease ends unless renewed.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Determines whether another run may take this lease over now: it expired, or its owner process is gone from this machine.</summary>
    /// <param name="now">The current time, from the store's clock.</param>
    /// <returns><see langword="true"/> when the lease may be taken over.</returns>
    public bool IsStale(DateTimeOffset now) => ExpiresAt <= now || Owner.IsGoneFromThisMachine();

    /// <summary>Creates a new lease for an owner (stores use this when they grant one).</summary>
    /// <param name="owner">The owner.</param>
    /// <param name="now">The current time.</param>
    /// <param name="timeToLive">How long the lease lasts unless renewed.</param>
    /// <returns>The lease, with a fresh token.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="owner"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeToLive"/> is not positive.</exception>
    public static RunLease Create(RunLeaseOwner owner, DateTimeOffset now, TimeSpan timeToLive)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeToLive, TimeSpan.Zero);
        return new RunLease { Token = Guid.NewGuid().ToString("N"), Owner = owner, AcquiredAt = now, ExpiresAt = now + timeToLive };
    }

    /// <summary>Describes the holder for people: who, since when, until when.</summary>
    /// <returns>A one-line description.</returns>
    public override string ToString()
        => FormattableString.Invariant($"{Owner}, since {AcquiredAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z, expires {ExpiresAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z unless renewed");
}

/// <summary>The answer of <see cref="IRunLeaseStore.TryAcquireRunLeaseAsync"/> or <see cref="IRunLeaseStore.RenewRunLeaseAsync"/>.</summary>
public sealed record RunLeaseResult
{
    /// <summary>Gets a value indicating whether the caller holds the lease now.</summary>
    public required bool Acquired { get; init; }

    /// <summary>Gets the caller's lease when <see cref="Acquired"/>; otherwise the lease of whoever holds the store (<see langword="null"/> when no one does).</summary>
    public RunLease? Lease { get; init; }

    /// <summary>Gets the stale lease this acquisition took over (its owner crashed or let it expire), if any.</summary>
    public RunLease? TookOverFrom { get; init; }

    /// <summary>Creates the answer "acquired".</summary>
    /// <param name="lease">The caller's lease.</param>
    /// <param name="tookOverFrom">The stale lease replaced, if any.</param>
    /// <returns>The result.</returns>
    public static RunLeaseResult Granted(RunLease lease, RunLease? tookOverFrom = null) => new() { Acquired = true, Lease = lease, TookOverFrom = tookOverFrom };

    /// <summary>Creates the answer "held by someone else".</summary>
    /// <param name="holder">The current holder, or <see langword="null"/> when no one holds it (a renewal of a lost lease).</param>
    /// <returns>The result.</returns>
    public static RunLeaseResult Refused(RunLease? holder) => new() { Acquired = false, Lease = holder };
}

/// <summary>Another run holds the store: the run did not start (CLI exit code 6).</summary>
public class RunLeaseHeldException : DigestStoreException
{
    /// <summary>Initializes a new instance of the <see cref="RunLeaseHeldException"/> class.</summary>
    public RunLeaseHeldException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="RunLeaseHeldException"/> class.</summary>
    /// <param name="message">Who holds the store and what to do.</param>
    public RunLeaseHeldException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="RunLeaseHeldException"/> class.</summary>
    /// <param name="message">Who holds the store and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public RunLeaseHeldException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the lease of the run that holds the store, when known.</summary>
    public RunLease? Holder { get; init; }
}
