using ArxivRank.Host;
using ArxivRank.Profiles;

namespace ArxivRank.Tests.Samples;

public sealed class DailyScheduleTests
{
    private static readonly TimeZoneInfo Eastern = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    [Fact]
    public void NextAfter_BeforeRunTimeToday_ReturnsTodayInEasternTime()
    {
        var schedule = new DailySchedule(new TimeOnly(21, 0), Eastern);

        var next = schedule.NextAfter(DateTimeOffset.Parse("2026-11-23T15:00:00Z"));

        next.UtcDateTime.Should().Be(DateTime.Parse("2026-11-24T02:00:00Z").ToUniversalTime()); // 21:00 EST = 02:00 UTC
    }

    [Fact]
    public void NextAfter_ExactlyAtRunTime_ReturnsTomorrow()
    {
        var schedule = new DailySchedule(new TimeOnly(21, 0), Eastern);

        var next = schedule.NextAfter(DateTimeOffset.Parse("2026-11-24T02:00:00Z"));

        next.UtcDateTime.Should().Be(DateTime.Parse("2026-11-25T02:00:00Z").ToUniversalTime());
    }

    [Fact]
    public void NextAfter_AcrossSpringForward_KeepsLocalTimeAndShiftsUtc()
    {
        var schedule = new DailySchedule(new TimeOnly(21, 0), Eastern);

        var next = schedule.NextAfter(DateTimeOffset.Parse("2026-03-08T02:00:00Z")); // 21:00 EST on Mar 7, just run

        next.UtcDateTime.Should().Be(DateTime.Parse("2026-03-09T01:00:00Z").ToUniversalTime()); // 21:00 EDT on Mar 8
    }

    [Fact]
    public void NextAfter_RunTimeInSpringForwardGap_RunsAnHourLater()
    {
        var schedule = new DailySchedule(new TimeOnly(2, 30), Eastern);

        var next = schedule.NextAfter(DateTimeOffset.Parse("2026-03-08T05:00:00Z")); // 00:00 EST on Mar 8

        next.UtcDateTime.Should().Be(DateTime.Parse("2026-03-08T07:30:00Z").ToUniversalTime()); // 03:30 EDT
    }
}
