using ArxivRank.Host;
using ArxivRank.Profiles;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ArxivRank.Tests.Samples;

public sealed class DigestSchedulerTests
{
    private static readonly TimeZoneInfo Eastern = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    [Fact]
    public async Task ExecuteAsync_ClockReachesRunTime_RunsJobOnceAndSchedulesTomorrow()
    {
        // Arrange: 20:58 EST, the digest runs at 21:00.
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-24T01:58:00Z"));
        var runs = new SemaphoreSlim(0);
        int count = 0;
        using var scheduler = new DigestScheduler(
            new DailySchedule(new TimeOnly(21, 0), Eastern),
            _ => { Interlocked.Increment(ref count); runs.Release(); return Task.CompletedTask; },
            TimeSpan.FromMinutes(1),
            time,
            NullLogger<DigestScheduler>.Instance);
        await scheduler.StartAsync(CancellationToken.None);

        // Act: one minute early (the timer ticks, the job must not run), then the run time.
        time.Advance(TimeSpan.FromMinutes(1));
        bool ranEarly = await runs.WaitAsync(TimeSpan.FromMilliseconds(200));
        time.Advance(TimeSpan.FromMinutes(1));
        bool ranOnTime = await runs.WaitAsync(TimeSpan.FromSeconds(10));
        await scheduler.StopAsync(CancellationToken.None);

        // Assert
        ranEarly.Should().BeFalse();
        ranOnTime.Should().BeTrue();
        count.Should().Be(1);
        scheduler.NextRun.Should().Be(DateTimeOffset.Parse("2026-11-25T02:00:00Z"));
    }

    [Fact]
    public async Task ExecuteAsync_JobThrows_KeepsSchedulingNextDay()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-24T01:59:00Z"));
        var runs = new SemaphoreSlim(0);
        using var scheduler = new DigestScheduler(
            new DailySchedule(new TimeOnly(21, 0), Eastern),
            _ => { runs.Release(); throw new InvalidOperationException("arXiv is down"); },
            TimeSpan.FromMinutes(1),
            time,
            NullLogger<DigestScheduler>.Instance);
        await scheduler.StartAsync(CancellationToken.None);

        time.Advance(TimeSpan.FromMinutes(1));
        (await runs.WaitAsync(TimeSpan.FromSeconds(10))).Should().BeTrue();
        time.Advance(TimeSpan.FromDays(1));
        bool ranNextDay = await runs.WaitAsync(TimeSpan.FromSeconds(10));
        await scheduler.StopAsync(CancellationToken.None);

        ranNextDay.Should().BeTrue();
        scheduler.ExecuteTask!.IsFaulted.Should().BeFalse();
    }
}
