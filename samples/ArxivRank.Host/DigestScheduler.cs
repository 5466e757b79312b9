using ArxivRank.Profiles;

namespace ArxivRank.Host;

/// <summary>Runs a job daily: a <see cref="PeriodicTimer"/> on the injected <see cref="TimeProvider"/> checks the clock.</summary>
public sealed partial class DigestScheduler(
    DailySchedule schedule, Func<CancellationToken, Task> job, TimeSpan checkInterval, TimeProvider time, ILogger<DigestScheduler> logger)
    : BackgroundService
{
    // Created with the service (not in ExecuteAsync, which .NET 10 starts on a thread-pool thread), so the clock is
    // watched from the moment the host starts.
    private readonly PeriodicTimer _timer = new(checkInterval, time);

    /// <summary>Gets the next time the job runs.</summary>
    public DateTimeOffset NextRun { get; private set; } = schedule.NextAfter(time.GetUtcNow());

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogNextRun(logger, NextRun);
        while (await _timer.WaitForNextTickAsync(stoppingToken))
        {
            var now = time.GetUtcNow();
            if (now < NextRun)
            {
                continue;
            }

            try
            {
                await job(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRunFailed(logger, ex); // one bad day must not stop tomorrow's run
            }

            NextRun = schedule.NextAfter(now);
            LogNextRun(logger, NextRun);
        }
    }

    /// <inheritdoc/>
    public override void Dispose()
    {
        _timer.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Next digest run at {NextRun:O}")]
    private static partial void LogNextRun(ILogger logger, DateTimeOffset nextRun);

    [LoggerMessage(Level = LogLevel.Error, Message = "The scheduled digest run failed")]
    private static partial void LogRunFailed(ILogger logger, Exception exception);
}
