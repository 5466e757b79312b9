using ArxivRank.Pipeline;
using ArxivRank.PostgreSql;
using ArxivRank.Rendering;
using ArxivRank.Scoring;
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

    /// <summary>Initializes a new instance of the <see cref="ServiceNode"/> class.</summary>
    /// <param name="database">The PostgreSQL database.</param>
    /// <param name="defaults">The configuration section <c>ArxivRank</c>: the default reader profile.</param>
    /// <param name="options">Run bookkeeping.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="loggerFactory">Logging.</param>
    public ServiceNode(PostgreSqlArxivRankDatabase database, ServiceProfile defaults, ServiceOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        Database = database;
        Defaults = defaults;
        Options = options;
        Time = timeProvider;
        LoggerFactory = loggerFactory;
        RunGate = new SemaphoreSlim(options.MaxConcurrentRuns, options.MaxConcurrentRuns);
        _source = new Lazy<IArxivSource>(() =>
        {
            var sourceOptions = new ArxivSourceOptions { BaseUrl = defaults.BaseUrl };
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
    public ServiceProfile Defaults { get; }

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

    /// <summary>Gets or sets the chat client factory (tests count calls through it); by default OpenAI-compatible.</summary>
    public Func<ServiceProfile, IChatClient> ChatClients { get; set; } = profile => ArxivRank.OpenAI.OpenAIChatClientFactory.Create(new ArxivRank.OpenAI.OpenAIChatClientOptions
    {
        Endpoint = profile.LlmBaseUrl ?? new Uri("https://api.openai.com/v1"),
        Model = profile.Model ?? "gpt-4o-mini",
        ApiKey = Environment.GetEnvironmentVariable(profile.ApiKeyEnv ?? "OPENAI_API_KEY"),
    });

    /// <summary>Gets today's date as the service counts days (UTC).</summary>
    public DateOnly Today => DateOnly.FromDateTime(Time.GetUtcNow().UtcDateTime);

    /// <summary>Loads a reader's profile merged over the node's defaults.</summary>
    /// <param name="readerId">The reader.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The profile, or <see langword="null"/> for an unknown reader.</returns>
    public async Task<ServiceProfile?> LoadProfileAsync(string readerId, CancellationToken cancellationToken = default)
    {
        string? json = await Database.GetReaderProfileAsync(readerId, cancellationToken);
        return json is null ? null : (ServiceProfile.Parse(json).Profile ?? new ServiceProfile()).Over(Defaults);
    }

    /// <summary>Makes one reader's digest for an announcement day from the announcement the cluster fetched.</summary>
    /// <param name="readerId">The reader.</param>
    /// <param name="profile">The reader's merged profile.</param>
    /// <param name="announcement">The announcement of the reader's category set.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The pipeline's result.</returns>
    public async Task<DigestRunResult> RunDigestAsync(string readerId, ServiceProfile profile, SourceResult announcement, CancellationToken cancellationToken)
    {
        var criteria = ScoringCriteria.Parse(profile.CriteriaText!);
        bool llm = profile.Scorer == "llm";
        IChatClient? chat = llm ? ChatClients(profile) : null;
        try
        {
            IPaperScorer scorer = llm ? chat!.AsPaperScorer(criteria, timeProvider: Time) : PaperScorers.CreateLexical(criteria);
            var builder = DigestPipeline.CreateBuilder()
                .UseSource(new StoredAnnouncementSource(announcement))
                .UseScorer(scorer)
                .UseStore(Database.ForReader(readerId))
                .UseScoreCache(llm ? Database : null)
                .UseTimeProvider(Time)
                .UseLoggerFactory(LoggerFactory)
                .Configure(o =>
                {
                    o.Categories = [.. profile.Categories!];
                    o.CriteriaText = profile.CriteriaText;
                    if (profile.TopK is { } k)
                    {
                        o.Selection.TopK = k;
                        o.Selection.OfflineTopK = k;
                    }
                });
            var pipeline = builder.Build();

            // Readers who share criteria score one after the other across the cluster: all but the first find every
            // score in the shared cache, so the model is paid once per distinct criteria, not once per reader.
            await using var shared = await Database.AcquireLockAsync($"criteria:{profile.Scorer}:{profile.Model}:{profile.CriteriaText}", cancellationToken);
            return await pipeline.RunAsync(new MemoryDigestOutput(), cancellationToken: cancellationToken);
        }
        finally
        {
            chat?.Dispose();
        }
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
