namespace ArxivRank.Host;

/// <summary>"Every day at a local time in a time zone", daylight-saving aware.</summary>
public sealed class DailySchedule(TimeOnly at, TimeZoneInfo zone)
{
    /// <summary>Returns the first run time strictly after <paramref name="now"/>.</summary>
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
