using System.Globalization;
using ArxivRank.PostgreSql;
using ArxivRank.Profiles;
using ArxivRank.Sources;

namespace ArxivRank.Service.Grains;

/// <summary>The cluster's one client to arXiv.</summary>
internal sealed class ArxivFetchGrain(ServiceNode node) : Grain, IArxivFetchGrain
{
    public async Task<AnnouncementInfo> FetchAsync(string categoriesKey)
    {
        var result = await node.Source.FetchAsync(new ArxivQuery { Categories = categoriesKey.Split('+') });
        if (result.Status == FetchStatus.NoNewAnnouncement || result.AnnouncementDate is not { } day)
        {
            return new AnnouncementInfo();
        }

        var kept = await node.Database.SaveAnnouncementAsync(categoriesKey, day, result);
        return new AnnouncementInfo { Date = Day(day), Papers = kept.Papers.Count };
    }

    internal static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>One category set on one requested day: asks the fetch grain once.</summary>
internal sealed class AnnouncementGrain : Grain, IAnnouncementGrain
{
    private AnnouncementInfo? _info;

    public async Task<AnnouncementInfo> EnsureAsync()
    {
        if (_info is null)
        {
            string categories = this.GetPrimaryKeyString().Split('/')[0];
            _info = await GrainFactory.GetGrain<IArxivFetchGrain>(0).FetchAsync(categories);
        }

        return _info;
    }
}

/// <summary>Starts requested days' runs, one at a time.</summary>
internal sealed class RunsGrain(ServiceNode node) : Grain, IRunsGrain
{
    public async Task<RunStarted> StartAsync(string requestDay)
    {
        var day = DateOnly.ParseExact(requestDay, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var (exists, recorded) = await node.Database.GetRunAsync(day);
        if (exists)
        {
            return await KickAsync(recorded, started: false);
        }

        var readers = new List<(string Id, string Categories)>();
        foreach (string id in await node.Database.ListReadersAsync())
        {
            if (await node.LoadProfileAsync(id) is { } profile && ServiceProfiles.Problems(profile).Count == 0)
            {
                readers.Add((id, ServiceProfiles.CategoriesKey(profile)));
            }
        }

        var sets = readers.Count > 0 ? readers.Select(r => r.Categories).Distinct(StringComparer.Ordinal).ToList() : [ServiceProfiles.CategoriesKey(node.Defaults)];
        var found = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (string set in sets.Where(s => s.Length > 0))
        {
            found[set] = (await GrainFactory.GetGrain<IAnnouncementGrain>($"{set}/{requestDay}").EnsureAsync()).Date;
        }

        string? latest = found.Values.Where(d => d is not null).Max(StringComparer.Ordinal);
        DateOnly? announcement = latest is null ? null : DateOnly.ParseExact(latest, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var inRun = readers.Where(r => found.GetValueOrDefault(r.Categories) == latest).Select(r => r.Id).ToList();
        var (started, kept) = await node.Database.StartRunAsync(day, announcement, inRun);
        return await KickAsync(kept, started);
    }

    private async Task<RunStarted> KickAsync(DateOnly? announcement, bool started)
    {
        if (announcement is not { } day)
        {
            return new RunStarted(null, "no-announcement");
        }

        string date = ArxivFetchGrain.Day(day);
        await GrainFactory.GetGrain<IRunGrain>(date).KickAsync();
        return new RunStarted(date, started ? "started" : "running");
    }
}

/// <summary>Drives one announcement day's run: asks every pending reader, again while any is pending (a dead node's readers are taken over once their lease expires).</summary>
internal sealed class RunGrain(ServiceNode node) : Grain, IRunGrain, IRemindable
{
    private const string DriveReminder = "drive";
    private readonly Dictionary<string, DateTimeOffset> _asked = new(StringComparer.Ordinal);
    private IGrainTimer? _timer;

    private DateOnly Day => DateOnly.ParseExact(this.GetPrimaryKeyString(), "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public async Task KickAsync()
    {
        var runs = await node.Database.GetReaderRunsAsync(Day);
        var pending = runs.Where(r => r.Status == ReaderRunStatus.Pending).ToList();
        if (pending.Count == 0)
        {
            await StopDrivingAsync();
            return;
        }

        // Durable: if this node dies, the reminder wakes the run on another node. The timer re-asks sooner.
        await this.RegisterOrUpdateReminder(DriveReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        _timer ??= this.RegisterGrainTimer(_ => KickAsync(), new GrainTimerCreationOptions(node.Options.DriverInterval, node.Options.DriverInterval) { Interleave = true });
        // A reader asked less than a lease ago is running, waiting for its node's run gate, or held by a node whose lease
        // has not expired: asking it again every interval only queued messages that each found the run taken, about
        // readers × run length ÷ interval ÷ 2 of them (quadratic in the readers of a node). A dead node's readers are
        // asked again once their lease can have expired.
        var now = node.Time.GetUtcNow();
        foreach (var run in pending)
        {
            if (_asked.TryGetValue(run.ReaderId, out var asked) && now - asked < node.Options.ReaderLease)
            {
                continue;
            }

            _asked[run.ReaderId] = now;
            await GrainFactory.GetGrain<IReaderGrain>(run.ReaderId).RunAsync(this.GetPrimaryKeyString());
        }
    }

    public async Task<RunProgress> GetProgressAsync()
    {
        var counts = await node.Database.GetRunCountsAsync(Day);
        if (counts.Done + counts.Failed < counts.Readers && _timer is null)
        {
            await KickAsync();
        }

        return new RunProgress(counts.Readers, counts.Done, counts.Failed);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => KickAsync();

    private async Task StopDrivingAsync()
    {
        _timer?.Dispose();
        _timer = null;
        if (await this.GetReminder(DriveReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }
}

/// <summary>One reader: makes its digests under a lease, and keeps its daily reminder.</summary>
internal sealed partial class ReaderGrain(ServiceNode node, ILogger<ReaderGrain> logger) : Grain, IReaderGrain, IRemindable
{
    private const string DailyReminder = "daily";

    private string ReaderId => this.GetPrimaryKeyString();

    public async Task RunAsync(string day)
    {
        var date = DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var lease = node.Options.ReaderLease;

        // The node's gate first, the claim second: a reader waiting for a free slot holds no lease, renews nothing and
        // uses no connection, so a day of N readers kicked at once opens MaxConcurrentRuns connections, not the whole
        // pool (claim first, 1,000 readers opened 100 connections at once and met PostgreSQL's max_connections).
        await node.RunGate.WaitAsync();
        try
        {
            if (!await node.Database.TryClaimReaderRunAsync(ReaderId, date, lease))
            {
                return; // Done, failed, or another node holds it.
            }

            using var renewing = new CancellationTokenSource();
            var renewer = Task.Run(() => RenewAsync(date, lease, renewing.Token), CancellationToken.None);
            try
            {
                var (status, error) = await MakeDigestAsync(date);
                await node.Database.CompleteReaderRunAsync(ReaderId, date, status, error);
            }
            finally
            {
                await renewing.CancelAsync();
                await renewer;
            }
        }
        finally
        {
            node.RunGate.Release();
        }
    }

    private async Task<(ReaderRunStatus Status, string? Error)> MakeDigestAsync(DateOnly date)
    {
        string day = ArxivFetchGrain.Day(date);
        try
        {
            var profile = await node.LoadProfileAsync(ReaderId);
            var announcement = profile is null ? null : await node.LoadAnnouncementAsync(ServiceProfiles.CategoriesKey(profile), date);
            if (profile is not null && announcement is not null)
            {
                var result = await node.RunDigestAsync(ReaderId, profile, announcement, CancellationToken.None);
                LogRun(logger, ReaderId, day, result.Status.ToString(), result.Statistics.Selected);
            }

            return (ReaderRunStatus.Done, null);
        }
        catch (Exception ex) when (ex is ArxivRankException or ArgumentException or InvalidOperationException or HttpRequestException or IOException)
        {
            LogFailed(logger, ReaderId, day, ex);
            return (ReaderRunStatus.Failed, ex.Message);
        }
    }

    public async Task ScheduleAsync()
    {
        var profile = await node.LoadProfileAsync(ReaderId);
        var now = node.Time.GetUtcNow();
        if (profile is not null && ServiceProfiles.Problems(profile).Count == 0)
        {
            var next = DailySchedule.FromProfile(profile.Schedule).NextAfter(now);
            // Reminders repeat at a fixed period; re-arming after every run keeps the local time across daylight-saving changes.
            await this.RegisterOrUpdateReminder(DailyReminder, next - now, TimeSpan.FromDays(1));
        }
        else if (await this.GetReminder(DailyReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        var profile = await node.LoadProfileAsync(ReaderId);
        if (profile is not null && ServiceProfiles.Problems(profile).Count == 0)
        {
            string today = ArxivFetchGrain.Day(node.Today);
            var info = await GrainFactory.GetGrain<IAnnouncementGrain>($"{ServiceProfiles.CategoriesKey(profile)}/{today}").EnsureAsync();
            if (info.Date is { } date)
            {
                await node.Database.EnsureReaderRunAsync(ReaderId, DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture));
                await GrainFactory.GetGrain<IRunGrain>(date).KickAsync();
            }
        }

        await ScheduleAsync();
    }

    [LoggerMessage(7000, LogLevel.Information, "Reader {Reader}, day {Day}: {Status}, {Selected} papers selected.")]
    private static partial void LogRun(ILogger logger, string reader, string day, string status, int selected);

    [LoggerMessage(7001, LogLevel.Warning, "Reader {Reader}, day {Day}: the digest failed.")]
    private static partial void LogFailed(ILogger logger, string reader, string day, Exception exception);

    private async Task RenewAsync(DateOnly day, TimeSpan lease, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(lease / 3, node.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await node.Database.RenewReaderRunAsync(ReaderId, day, lease, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended.
        }
    }
}
