using ArxivRank.Delivery;
using ArxivRank.Pipeline;

namespace ArxivRank.Tests.Pipeline;

/// <summary>What every <see cref="IDeliveryStore"/> must do; each store (in-memory, SQLite, PostgreSQL) runs these.</summary>
public abstract class DeliveryStoreContractTests
{
    protected static readonly DateOnly Day1 = new(2025, 6, 2);
    protected static readonly DateOnly Day2 = new(2025, 6, 3);
    protected static readonly DateTimeOffset At = new(2025, 6, 2, 14, 30, 15, 123, TimeSpan.Zero);

    protected abstract IDeliveryStore CreateStore();

    [Fact]
    public async Task NewStore_HasNoDeliveries()
        => (await CreateStore().GetDeliveriesAsync(Day1)).Should().BeEmpty();

    [Fact]
    public async Task RecordDeliveryAsync_SeveralTargets_ReadsThemBackPerDayInKindAndTargetOrder()
    {
        // Arrange
        var store = CreateStore();
        var slack = Record(Day1, "slack", "C0123") with { Reference = "1740600000.000001", PartsDelivered = 4 };
        var bob = Record(Day1, "email", "bob@example.org") with { Status = DeliveryStatus.Failed, Error = "550 mailbox unavailable", Attempts = 2 };
        var alice = Record(Day1, "email", "alice@example.org") with { Reference = "<2025-06-02.abc@example.org>" };

        // Act
        await store.RecordDeliveryAsync(slack);
        await store.RecordDeliveryAsync(bob);
        await store.RecordDeliveryAsync(alice);
        await store.RecordDeliveryAsync(Record(Day2, "slack", "C0123"));

        // Assert
        (await store.GetDeliveriesAsync(Day1)).Should().Equal(alice, bob, slack);
        (await store.GetDeliveriesAsync(Day2)).Should().ContainSingle().Which.Date.Should().Be(Day2);
    }

    [Fact]
    public async Task RecordDeliveryAsync_SameDayKindAndTarget_ReplacesTheRecord()
    {
        var store = CreateStore();
        await store.RecordDeliveryAsync(Record(Day1, "slack", "C0123") with { Status = DeliveryStatus.Failed, Error = "ratelimited", PartsDelivered = 2 });
        var done = Record(Day1, "slack", "C0123") with { PartsDelivered = 5, Attempts = 2, Reference = "1.2" };

        await store.RecordDeliveryAsync(done);

        (await store.GetDeliveriesAsync(Day1)).Should().Equal(done);
    }

    [Fact]
    public async Task RecordDeliveryAsync_NoTarget_Throws()
    {
        var act = async () => await CreateStore().RecordDeliveryAsync(Record(Day1, "slack", " "));

        await act.Should().ThrowAsync<ArgumentException>();
    }

    protected static DeliveryRecord Record(DateOnly day, string kind, string target) => new()
    {
        Date = day,
        Kind = kind,
        Target = target,
        Status = DeliveryStatus.Delivered,
        PartsDelivered = 1,
        RecordedAt = At,
    };
}

public sealed class InMemoryDeliveryStoreTests : DeliveryStoreContractTests
{
    protected override IDeliveryStore CreateStore() => new InMemoryArxivRankStore();
}
