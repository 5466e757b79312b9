using Orleans.Concurrency;

namespace ArxivRank.Service.Grains;

/// <summary>What an announcement fetch found.</summary>
[GenerateSerializer]
[Immutable]
public sealed record AnnouncementInfo
{
    /// <summary>Gets the announcement day (<c>yyyy-MM-dd</c>), or <see langword="null"/> when arXiv announced nothing new.</summary>
    [Id(0)]
    public string? Date { get; init; }

    /// <summary>Gets how many papers the announcement holds.</summary>
    [Id(1)]
    public int Papers { get; init; }
}

/// <summary>The cluster's one client to arXiv (a single activation, key 0): fetches run one after another, paced.</summary>
public interface IArxivFetchGrain : IGrainWithIntegerKey
{
    /// <summary>Fetches the current announcement of a category set and keeps it in the store for every node.</summary>
    /// <param name="categoriesKey">The category set, e.g. <c>cs.CL+cs.LG</c>.</param>
    /// <returns>What was found.</returns>
    Task<AnnouncementInfo> FetchAsync(string categoriesKey);
}

/// <summary>One announcement: a category set on a requested day (key <c>cs.CL+cs.LG/2025-02-26</c>); fetched once for the cluster.</summary>
public interface IAnnouncementGrain : IGrainWithStringKey
{
    /// <summary>Fetches the announcement unless this grain already did.</summary>
    /// <returns>What was found.</returns>
    Task<AnnouncementInfo> EnsureAsync();
}

/// <summary>Starts the runs of requested days (a single activation, key 0): one run per day.</summary>
public interface IRunsGrain : IGrainWithIntegerKey
{
    /// <summary>Starts the run of a requested day for every reader, once; a second call returns the same date.</summary>
    /// <param name="requestDay">The day asked for (<c>yyyy-MM-dd</c>).</param>
    /// <returns>The announcement day (or none) and whether this call started it.</returns>
    Task<RunStarted> StartAsync(string requestDay);
}

/// <summary>Drives one announcement day's run (key <c>yyyy-MM-dd</c>) until every reader is done, surviving node loss through a reminder.</summary>
public interface IRunGrain : IGrainWithStringKey
{
    /// <summary>Makes sure every pending reader of the day is being run.</summary>
    /// <returns>A task that completes when the pending readers were asked.</returns>
    Task KickAsync();

    /// <summary>Gets the run's progress (and drives it if readers are pending).</summary>
    /// <returns>Readers, done, failed.</returns>
    Task<RunProgress> GetProgressAsync();
}

/// <summary>One reader (key: the reader id): runs its digest, and keeps its daily reminder.</summary>
public interface IReaderGrain : IGrainWithStringKey
{
    /// <summary>Makes the reader's digest of an announcement day, if it is pending and no node holds it.</summary>
    /// <param name="day">The announcement day (<c>yyyy-MM-dd</c>).</param>
    /// <returns>A task that completes when the call is delivered (one-way).</returns>
    [OneWay]
    Task RunAsync(string day);

    /// <summary>Arms (or re-arms) the reader's daily reminder at its profile's schedule, or removes it.</summary>
    /// <returns>A task that completes when the reminder is registered.</returns>
    Task ScheduleAsync();
}
