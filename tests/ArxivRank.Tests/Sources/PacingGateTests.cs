using ArxivRank.Sources.Http;
using Microsoft.Extensions.Time.Testing;

namespace ArxivRank.Tests.Sources;

public class PacingGateTests
{
    [Fact]
    public async Task WaitAsync_FirstCall_DoesNotWait()
    {
        var gate = PacingGate.For(new FakeTimeProvider());

        var waited = await gate.WaitAsync(TimeSpan.FromSeconds(3));

        waited.Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public async Task WaitAsync_BackToBackCalls_EachWaitsForItsSlot()
    {
        var clock = new FakeTimeProvider();
        var gate = PacingGate.For(clock);
        await gate.WaitAsync(TimeSpan.FromSeconds(3));

        var second = gate.WaitAsync(TimeSpan.FromSeconds(3)).AsTask();
        var third = gate.WaitAsync(TimeSpan.FromSeconds(3)).AsTask();
        clock.Advance(TimeSpan.FromSeconds(2.9));
        second.IsCompleted.Should().BeFalse();
        clock.Advance(TimeSpan.FromSeconds(0.1));
        (await second).Should().Be(TimeSpan.FromSeconds(3));
        third.IsCompleted.Should().BeFalse();
        clock.Advance(TimeSpan.FromSeconds(3));

        (await third).Should().Be(TimeSpan.FromSeconds(6));
    }

    [Fact]
    public async Task WaitAsync_AfterTheIntervalPassed_DoesNotWait()
    {
        var clock = new FakeTimeProvider();
        var gate = PacingGate.For(clock);
        await gate.WaitAsync(TimeSpan.FromSeconds(3));
        clock.Advance(TimeSpan.FromSeconds(10));

        var waited = await gate.WaitAsync(TimeSpan.FromSeconds(3));

        waited.Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public void For_SameClock_SameGate_OtherClock_OtherGate()
    {
        var clock = new FakeTimeProvider();

        PacingGate.For(clock).Should().BeSameAs(PacingGate.For(clock));
        PacingGate.For(clock).Should().NotBeSameAs(PacingGate.For(new FakeTimeProvider()));
        PacingGate.For(TimeProvider.System).Should().BeSameAs(PacingGate.For(TimeProvider.System));
    }

    [Fact]
    public async Task WaitAsync_Canceled_ThrowsOperationCanceled()
    {
        var clock = new FakeTimeProvider();
        var gate = PacingGate.For(clock);
        await gate.WaitAsync(TimeSpan.FromSeconds(3));
        using var cts = new CancellationTokenSource();

        var waiting = gate.WaitAsync(TimeSpan.FromSeconds(3), cts.Token).AsTask();
        await cts.CancelAsync();

        await waiting.Invoking(w => w).Should().ThrowAsync<OperationCanceledException>();
    }
}

public class RetryAfterTests
{
    private static readonly TimeSpan Max = TimeSpan.FromMinutes(2);

    [Fact]
    public void RetryAfter_Seconds_ThatDelay()
    {
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(20));

        ArxivResilience.RetryAfter(response, new FakeTimeProvider(), Max).Should().Be(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void RetryAfter_HttpDate_DelayFromTheInjectedClock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 2, 26, 12, 0, 0, TimeSpan.Zero));
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(new DateTimeOffset(2025, 2, 26, 12, 0, 42, TimeSpan.Zero));

        ArxivResilience.RetryAfter(response, clock, Max).Should().Be(TimeSpan.FromSeconds(42));
    }

    [Fact]
    public void RetryAfter_LongerThanMax_Capped()
    {
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromHours(3));

        ArxivResilience.RetryAfter(response, new FakeTimeProvider(), Max).Should().Be(Max);
    }

    [Fact]
    public void RetryAfter_NoHeader_NullForTheUsualBackoff()
    {
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.ServiceUnavailable);

        ArxivResilience.RetryAfter(response, new FakeTimeProvider(), Max).Should().BeNull();
        ArxivResilience.RetryAfter(null, new FakeTimeProvider(), Max).Should().BeNull();
    }
}
