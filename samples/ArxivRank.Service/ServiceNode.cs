using System.Collections.Concurrent;
using ArxivRank.Pipeline;
using ArxivRank.OpenAI;
using ArxivRank.PostgreSql;
using ArxivRank.Profiles;
using ArxivRank.Rendering;
using ArxivRank.Sources;
using Microsoft.Extensions.AI;

namespace ArxivRank.Service;

/// <summary>Timing of the cluster's run bookkeeping (configuration section <c>Service</c>).</summary>
public sealed class ServiceOptions
{
    /// <summary>Gets or sets how long a node's claim on a reader's run lasts without renewal (a dead node's readers wait this long).</summary>
    public TimeSpan ReaderLease { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets how often a day's run looks for readers whose node died.</summary>
    public TimeSpan DriverInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets how many readers' digests one node makes at once (bounds its model calls).</summary>
    public int MaxConcurrentRuns { get; set; } = 4;
}

/// <summary>What every grain of a node shares: the database, the node's defaults, one arXiv client, the run gate.</summary>
public sealed class ServiceNode : IDisposable
{
    private readonly Lazy<IArxivSource> _source;
    private readonly ConcurrentDictionary<(string Categories, DateOnly Day), SourceResult> _announcements = new();

    /// <summary>Initializes a new instance of the <see cref="ServiceNode"/> class.</summary>
    /// <param name="database">The PostgreSQL database.</param>
    /// <param name="defaults">The configuration section <c>ArxivRank</c>: the default reader profile.</param>
    /// <param name="options">Run bookkeeping.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="loggerFactory">Logging.</param>
    public ServiceNode(PostgreSqlArxivRankDatabase database, ReaderProfile defaults, ServiceOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        Database = database;
        Defaults = defaults;
        Options = options;
        Time = timeProvider;
        LoggerFactory = loggerFactory;
        RunGate = new SemaphoreSlim(options.MaxConcurrentRuns, options.MaxConcurrentRuns);
        ChatClients = profile => ReaderProfileChatClient.Create(profile, loggerFactory: loggerFactory, timeProvider: timeProvider);
        _source = new Lazy<IArxivSource>(() =>
        {
            var sourceOptions = new ArxivSourceOptions { BaseUrl = defaults.BaseUrl is { } url ? new Uri(url) : null };
            if (defaults.Arxiv?.RequestIntervalMs is { } ms)
            {
                sourceOptions.MinRequestInterval = TimeSpan.FromMilliseconds(ms);
            }

            return ArxivSources.CreateRss(sourceOptions, timeProvider, loggerFactory: loggerFactory);
        });
    }

    /// <summary>Gets the database.</summary>
    public PostgreSqlArxivRankDatabase Database { get; }

    /// <summary>Gets the node's default profile.</summary>
    public ReaderProfile Defaults { get; }

    /// <summary>Gets the run bookkeeping options.</summary>
    public ServiceOptions Options { get; }

    /// <summary>Gets the clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>Gets the logger factory.</summary>
    public ILoggerFactory LoggerFactory { get; }

    /// <summary>Gets the gate that bounds how many digests this node makes at once.</summary>
    public SemaphoreSlim RunGate { get; }

    /// <summary>Gets the node's one arXiv client (used only by the cluster's single fetch grain).</summary>
    public IArxivSource Source => _source.Value;

    /// <summary>Gets or sets how a profile's chat client is made; by default the OpenAI-compatible client the profile names (key from <c>apiKeyEnv</c>).</summary>
    public Func<ReaderProfile, IChatClient?> ChatClients { get; set; }

    /// <summary>Gets today's date as the service counts days (UTC).</summary>
    public DateOnly Today => DateOnly.FromDateTime(Time.GetUtcNow().UtcDateTime);

    /// <summary>Loads a reader's profile merged over the node's defaults.</summary>
    /// <param name="readerId">The reader.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The profile, or <see langword="null"/> for an unknown reader.</returns>
    public async Task<ReaderProfile?> LoadProfileAsync(string readerId, CancellationToken cancellationToken = default)
    {
        string? json = await Database.GetReaderProfileAsync(readerId, cancellationToken);
        return json is null ? null : Defaults.With(ServiceProfiles.ParseForPut(json).Profile ?? new ReaderProfile());
    }

    /// <summary>
    /// Loads the announcement the cluster kept for a category set and day: from the store the first time, then from this
    /// node's memory (a kept announcement never changes), so a day's readers do not each read and parse the whole day.
    /// The node keeps the announcements of the two latest days it served.
    /// </summary>
    /// <param name="categories">The category set key (<see cref="ServiceProfiles.CategoriesKey"/>).</param>
    /// <param name="day">The announcement day.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The announcement, or <see langword="null"/> when none is kept.</returns>
    public async Task<SourceResult?> LoadAnnouncementAsync(string categories, DateOnly day, CancellationToken cancellationToken = default)
    {
        if (_announcements.TryGetValue((categories, day), out var kept))
        {
            return kept;
        }

        var loaded = await Database.LoadAnnouncementAsync(categories, day, cancellationToken);
        if (loaded is not null)
        {
            foreach (var old in _announcements.Keys.Where(k => k.Day < day.AddDays(-1)))
            {
                _announcements.TryRemove(old, out _);
            }

            _announcements[(categories, day)] = loaded;
        }

        return loaded;
    }

    /// <summary>Makes one reader's digest of an announcement day from the announcement the cluster fetched, through the library's <see cref="ReaderPipelineFactory"/>.</summary>
    /// <param name="readerId">The reader.</param>
    /// <param name="profile">The reader's merged profile.</param>
    /// <param name="announcement">The announcement of the reader's category set.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The pipeline's result.</returns>
    public async Task<DigestRunResult> RunDigestAsync(string readerId, ReaderProfile profile, SourceResult announcement, CancellationToken cancellationToken)
    {
        // The store is the database, the source the cluster's announcement: a reader's files stay off the server.
        // One rule decides who makes a reader's digest: the reader's run claim (reader_runs), which the caller holds. The
        // store's own run lease stays off, or a node that died on another machine would block the survivor until its
        // lease expired (no pid to check across machines) and fail the reader's run instead of finishing it.
        profile = profile.With(new ReaderProfile { Formats = ["json"] });
        using var chat = string.Equals(profile.Scorer, "llm", StringComparison.OrdinalIgnoreCase) ? ChatClients(profile) : null;
        using var reader = await ReaderPipelineFactory.CreateAsync(
            profile,
            new ReaderPipelineServices
            {
                Source = new StoredAnnouncementSource(announcement),
                ChatClient = chat,
                Store = Database.ForReader(readerId),
                LoggerFactory = LoggerFactory,
                TimeProvider = Time,
                TakeRunLease = false,
            },
            cancellationToken);

        // Readers who share criteria score one after the other across the cluster: all but the first find every
        // score in the shared cache, so the model is paid once per distinct criteria, not once per reader.
        await using var shared = await Database.AcquireLockAsync($"criteria:{reader.ScorerKind}:{reader.Model}:{profile.CriteriaText ?? profile.Criteria}", cancellationToken);
        return (await reader.RunAsync(new MemoryDigestOutput(), cancellationToken: cancellationToken)).Run;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        RunGate.Dispose();
        if (_source.IsValueCreated && _source.Value is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }

    /// <summary>A source that answers with the announcement the cluster already fetched.</summary>
    private sealed class StoredAnnouncementSource(SourceResult announcement) : IArxivSource
    {
        public Task<SourceResult> FetchAsync(ArxivQuery query, CancellationToken cancellationToken = default) => Task.FromResult(announcement);
    }
}
