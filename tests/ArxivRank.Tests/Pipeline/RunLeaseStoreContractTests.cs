using System.Diagnostics;
using ArxivRank.Pipeline;
using Microsoft.Extensions.Time.Testing;

namespace ArxivRank.Tests.Pipeline;

/// <summary>What every <see cref="IRunLeaseStore"/> must do; each store (in memory, SQLite, PostgreSQL) runs these.</summary>
public abstract class RunLeaseStoreContractTests
{
    protected static readonly TimeSpan Ttl = TimeSpan.FromMinutes(2);

    /// <summary>Gets the clock the stores of this test read.</summary>
    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2025, 6, 2, 12, 0, 0, TimeSpan.Zero));

    /// <summary>A live owner on another machine: only its time to live can end its lease.</summary>
    protected static RunLeaseOwner Remote(int pid = 4242) => new("some-other-machine", pid, new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>Creates a store on <see cref="Clock"/>. Two calls with the same name must share state (two processes, one store).</summary>
    protected abstract IRunLeaseStore CreateStore(string name = "store");

    [Fact]
    public async Task TryAcquireRunLeaseAsync_FreeStore_GrantsALeaseNamingTheOwner()
    {
        var store = CreateStore();

        var result = await store.TryAcquireRunLeaseAsync(RunLeaseOwner.Current, Ttl);

        result.Acquired.Should().BeTrue();
        result.TookOverFrom.Should().BeNull();
        result.Lease!.Owner.Should().Be(RunLeaseOwner.Current);
        result.Lease.AcquiredAt.Should().Be(Clock.GetUtcNow());
        result.Lease.ExpiresAt.Should().Be(Clock.GetUtcNow() + Ttl);
    }

    [Fact]
    public async Task TryAcquireRunLeaseAsync_HeldByALiveOwner_RefusesAndNamesTheHolder()
    {
        var first = CreateStore();
        var second = CreateStore();
        var held = await first.TryAcquireRunLeaseAsync(Remote(), Ttl);

        var refused = await second.TryAcquireRunLeaseAsync(RunLeaseOwner.Current, Ttl);
        var again = await second.TryAcquireRunLeaseAsync(RunLeaseOwner.Current, Ttl);

        refused.Acquired.Should().BeFalse();
        refused.Lease.Should().Be(held.Lease);
        refused.Lease!.Owner.Machine.Should().Be("some-other-machine");
        again.Acquired.Should().BeFalse("the same process asking twice is still a second run");
    }

    [Fact]
    public async Task TryAcquireRunLeaseAsync_AfterTimeToLive_TakesTheLeaseOver()
    {
        var store = CreateStore();
        var old = (await store.TryAcquireRunLeaseAsync(Remote(), Ttl)).Lease!;

        Clock.Advance(Ttl - TimeSpan.FromSeconds(1));
        var early = await store.TryAcquireRunLeaseAsync(RunLeaseOwner.Current, Ttl);
        Clock.Advance(TimeSpan.FromSeconds(1));
        var late = await store.TryAcquireRunLeaseAsync(RunLeaseOwner.Current, Ttl);

        early.Acquired.Should().BeFalse();
        late.Acquired.Should().BeTrue();
        late.TookOverFrom.Should().Be(old);
        (await store.RenewRunLeaseAsync(old, Ttl)).Acquired.Should().BeFalse("a lease taken over is lost to its old owner");
    }

    [Fact]
    public async Task TryAcquireRunLeaseAsync_OwnerProcessGoneFromThisMachine_TakesOverAtOnce()
    {
        // Arrange: a real process that has ended, as after a SIGKILL.
        var store = CreateStore();
        int deadPid = await DeadProcessIdAsync();
        var crashed = new RunLeaseOwner(Environment.MachineName, deadPid);
        await store.TryAcquireRunLeaseAsync(crashed, TimeSpan.FromHours(1));

        // Act: no time passes.
        var result = await store.TryAcquireRunLeaseAsync(RunLeaseOwner.Current, Ttl);

        // Assert
        result.Acquired.Should().BeTrue();
        result.TookOverFrom!.Owner.Should().Be(crashed);
    }

    [Fact]
    public async Task TryAcquireRunLeaseAsync_ProcessIdReusedByAnotherProcess_CountsTheOwnerAsGone()
    {
        var store = CreateStore();
        var reused = RunLeaseOwner.Current with { ProcessStartedAt = RunLeaseOwner.Current.ProcessStartedAt!.Value.AddHours(-3) };
        await store.TryAcquireRunLeaseAsync(reused, TimeSpan.FromHours(1));

        (await store.TryAcquireRunLeaseAsync(RunLeaseOwner.Current, Ttl)).Acquired.Should().BeTrue();
    }

    [Fact]
    public async Task RenewRunLeaseAsync_BeforeExpiry_ExtendsItFromNow()
    {
        var store = CreateStore();
        var lease = (await store.TryAcquireRunLeaseAsync(Remote(), Ttl)).Lease!;

        Clock.Advance(TimeSpan.FromMinutes(1));
        var renewed = await store.RenewRunLeaseAsync(lease, Ttl);
        Clock.Advance(TimeSpan.FromMinutes(1.5));

        renewed.Acquired.Should().BeTrue();
        renewed.Lease!.ExpiresAt.Should().Be(lease.AcquiredAt + TimeSpan.FromMinutes(1) + Ttl);
        (await CreateStore().TryAcquireRunLeaseAsync(RunLeaseOwner.Current, Ttl)).Acquired.Should().BeFalse("the renewal keeps it past its first expiry");
    }

    [Fact]
    public async Task ReleaseRunLeaseAsync_ByHolder_FreesTheStore_ByAnOldTokenChangesNothing()
    {
        var store = CreateStore();
        var old = (await store.TryAcquireRunLeaseAsync(Remote(1), Ttl)).Lease!;
        Clock.Advance(Ttl);
        var current = (await store.TryAcquireRunLeaseAsync(Remote(2), Ttl)).Lease!;

        await store.ReleaseRunLeaseAsync(old);
        var whileHeld = await store.TryAcquireRunLeaseAsync(RunLeaseOwner.Current, Ttl);
        await store.ReleaseRunLeaseAsync(current);
        var afterRelease = await store.TryAcquireRunLeaseAsync(RunLeaseOwner.Current, Ttl);

        whileHeld.Acquired.Should().BeFalse();
        whileHeld.Lease!.Token.Should().Be(current.Token);
        afterRelease.Acquired.Should().BeTrue();
        afterRelease.TookOverFrom.Should().BeNull();
    }

    [Fact]
    public async Task TryAcquireRunLeaseAsync_ManyAtOnce_GrantsExactlyOne()
    {
        var stores = Enumerable.Range(0, 8).Select(_ => CreateStore()).ToList();

        var results = await Task.WhenAll(stores.Select((s, i) => Task.Run(async () => await s.TryAcquireRunLeaseAsync(Remote(100 + i), Ttl))));

        results.Count(r => r.Acquired).Should().Be(1);
        var winner = results.Single(r => r.Acquired).Lease!.Token;
        results.Where(r => !r.Acquired).Should().OnlyContain(r => r.Lease!.Token == winner);
    }

    [Fact]
    public async Task LeaseMethods_BadArguments_Throw()
    {
        var store = CreateStore();

        await FluentActions.Awaiting(async () => await store.TryAcquireRunLeaseAsync(null!, Ttl)).Should().ThrowAsync<ArgumentNullException>();
        await FluentActions.Awaiting(async () => await store.TryAcquireRunLeaseAsync(RunLeaseOwner.Current, TimeSpan.Zero)).Should().ThrowAsync<ArgumentOutOfRangeException>();
        await FluentActions.Awaiting(async () => await store.RenewRunLeaseAsync(null!, Ttl)).Should().ThrowAsync<ArgumentNullException>();
        await FluentActions.Awaiting(async () => await store.ReleaseRunLeaseAsync(null!)).Should().ThrowAsync<ArgumentNullException>();
    }

    /// <summary>Starts a short real process and waits for it to end: its id is then free (or soon reused by another process).</summary>
    internal static async Task<int> DeadProcessIdAsync()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        int pid = process.Id;
        await process.WaitForExitAsync();
        return pid;
    }
}

public sealed class InMemoryRunLeaseStoreContractTests : RunLeaseStoreContractTests
{
    private readonly Dictionary<string, InMemoryArxivRankStore> _stores = [];

    protected override IRunLeaseStore CreateStore(string name = "store")
    {
        if (!_stores.TryGetValue(name, out var store))
        {
            store = new InMemoryArxivRankStore { TimeProvider = Clock };
            _stores[name] = store;
        }

        return store;
    }
}
