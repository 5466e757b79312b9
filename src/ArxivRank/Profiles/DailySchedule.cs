using System.Globalization;

namespace ArxivRank.Profiles;

/// <summary>"Every day at a local time in a time zone", daylight-saving aware: what hosts that run daily (the Host sample, the service's reader reminders) share.</summary>
/// <param name="at">The local time of day.</param>
/// <param name="zone">The time zone of <paramref name="at"/>.</param>
public sealed class DailySchedule(TimeOnly at, TimeZoneInfo zone)
{
    /// <summary>Creates the schedule a profile asks for (<c>schedule.runAt</c> in <c>schedule.timeZone</c>; 21:00 America/New_York by default).</summary>
    /// <param name="schedule">The profile's schedule section, or <see langword="null"/> for the defaults.</param>
    /// <returns>The schedule.</returns>
    /// <exception cref="FormatException"><c>runAt</c> is not a time of day (the profile validator rejects it first).</exception>
    /// <exception cref="TimeZoneNotFoundException"><c>timeZone</c> is unknown (the profile validator rejects it first).</exception>
    public static DailySchedule FromProfile(ReaderScheduleOptions? schedule)
        => new(
            TimeOnly.Parse(schedule?.RunAt ?? ReaderScheduleOptions.DefaultRunAt, CultureInfo.InvariantCulture),
            TimeZoneInfo.FindSystemTimeZoneById(schedule?.TimeZone ?? ReaderScheduleOptions.DefaultTimeZone));

    /// <summary>Returns the first run time strictly after <paramref name="now"/>.</summary>
    /// <param name="now">The current instant.</param>
    /// <returns>The next run; a local time skipped by a daylight-saving change runs an hour later that day.</returns>
    public DateTimeOffset NextAfter(DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var day = DateOnly.FromDateTime(local.DateTime);
        for (int i = 0; i < 3; i++, day = day.AddDays(1))
        {
            var wall = day.ToDateTime(at);
            if (zone.IsInvalidTime(wall))
            {
                wall = wall.AddHours(1); // the spring-forward gap: run an hour later that day
            }

            var candidate = new DateTimeOffset(wall, zone.GetUtcOffset(wall));
            if (candidate > now)
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("No run time within three days."); // unreachable for a daily schedule
    }
}
