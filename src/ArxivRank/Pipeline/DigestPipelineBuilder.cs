using System.Diagnostics.Metrics;
using ArxivRank.Delivery;
using ArxivRank.Rendering;
using ArxivRank.Scoring;
using ArxivRank.Sources;
using Microsoft.Extensions.Logging;

namespace ArxivRank.Pipeline;

/// <summary>
/// Builds a <see cref="DigestPipeline"/> without dependency injection, for console apps and scripts:
/// <code>
/// var pipeline = DigestPipeline.CreateBuilder()
///     .UseSource(source)
///     .UseScorer(scorer)
///     .AddRenderer(markdown)
///     .UseStore(new SqliteArxivRankStore())
///     .Configure(o => o.Selection.TopK = 30)
///     .Build();
/// var result = await pipeline.RunAsync(new DirectoryDigestOutput("digests"));
/// </code>
/// </summary>
public sealed class DigestPipelineBuilder
{
    private readonly List<IDigestRenderer> _renderers = [];
    private readonly List<IDigestDeliverer> _deliverers = [];
    private readonly DigestPipelineOptions _options = new();
    private IArxivSource? _source;
    private IPaperScorer? _scorer;
    private IDigestStore? _store;
    private IScoreCache? _scoreCache;
    private bool _scoreCacheSet;
    private TimeProvider? _timeProvider;
    private ILoggerFactory? _loggerFactory;
    private IMeterFactory? _meterFactory;

    internal DigestPipelineBuilder()
    {
    }

    /// <summary>Sets where papers come from (required).</summary>
    /// <param name="source">The source.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is <see langword="null"/>.</exception>
    public DigestPipelineBuilder UseSource(IArxivSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
        return this;
    }

    /// <summary>Sets the scorer (required). It applies its own author rules and title screen; the pipeline puts the score cache in front of it.</summary>
    /// <param name="scorer">The scorer.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="scorer"/> is <see langword="null"/>.</exception>
    public DigestPipelineBuilder UseScorer(IPaperScorer scorer)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        _scorer = scorer;
        return this;
    }

    /// <summary>Adds a renderer; every renderer writes into the run's output.</summary>
    /// <param name="renderer">The renderer.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="renderer"/> is <see langword="null"/>.</exception>
    public DigestPipelineBuilder AddRenderer(IDigestRenderer renderer)
    {
        ArgumentNullException.ThrowIfNull(renderer);
        _renderers.Add(renderer);
        return this;
    }

    /// <summary>Adds a deliverer; after each written digest the pipeline delivers it to every target that does not have it yet.</summary>
    /// <param name="deliverer">The deliverer (<see cref="DigestDeliverers"/>, or the email one from <c>ArxivRank.Email</c>).</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="deliverer"/> is <see langword="null"/>.</exception>
    public DigestPipelineBuilder AddDeliverer(IDigestDeliverer deliverer)
    {
        ArgumentNullException.ThrowIfNull(deliverer);
        _deliverers.Add(deliverer);
        return this;
    }

    /// <summary>Sets the store (default: a new <see cref="InMemoryArxivRankStore"/>). A store that is also an <see cref="IScoreCache"/> caches scores too, unless <see cref="UseScoreCache"/> says otherwise.</summary>
    /// <param name="store">The store.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> is <see langword="null"/>.</exception>
    public DigestPipelineBuilder UseStore(IDigestStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        return this;
    }

    /// <summary>Sets the score cache, or turns caching off with <see langword="null"/>.</summary>
    /// <param name="cache">The cache, or <see langword="null"/> for none.</param>
    /// <returns>This builder.</returns>
    public DigestPipelineBuilder UseScoreCache(IScoreCache? cache)
    {
        _scoreCache = cache;
        _scoreCacheSet = true;
        return this;
    }

    /// <summary>Changes the options.</summary>
    /// <param name="configure">Changes the options in place.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="configure"/> is <see langword="null"/>.</exception>
    public DigestPipelineBuilder Configure(Action<DigestPipelineOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(_options);
        return this;
    }

    /// <summary>Sets the clock (default: <see cref="TimeProvider.System"/>).</summary>
    /// <param name="timeProvider">The clock.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="timeProvider"/> is <see langword="null"/>.</exception>
    public DigestPipelineBuilder UseTimeProvider(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        return this;
    }

    /// <summary>Sets where the pipeline logs (default: nowhere).</summary>
    /// <param name="loggerFactory">The logger factory.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="loggerFactory"/> is <see langword="null"/>.</exception>
    public DigestPipelineBuilder UseLoggerFactory(ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _loggerFactory = loggerFactory;
        return this;
    }

    /// <summary>Sets the factory of the <c>ArxivRank</c> meter (default: one shared meter).</summary>
    /// <param name="meterFactory">The meter factory.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="meterFactory"/> is <see langword="null"/>.</exception>
    public DigestPipelineBuilder UseMeterFactory(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meterFactory = meterFactory;
        return this;
    }

    /// <summary>Builds the pipeline.</summary>
    /// <returns>The pipeline.</returns>
    /// <exception cref="InvalidOperationException">No source or no scorer was set.</exception>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public DigestPipeline Build()
    {
        var source = _source ?? throw new InvalidOperationException("No source: call UseSource(…) with an IArxivSource (RSS, export API, OAI-PMH or a snapshot).");
        var scorer = _scorer ?? throw new InvalidOperationException("No scorer: call UseScorer(…) with an IPaperScorer (the LLM scorer, or an offline one).");
        var store = _store ?? new InMemoryArxivRankStore();
        var cache = _scoreCacheSet ? _scoreCache : store as IScoreCache;
        return new DigestPipeline(source, scorer, _renderers, store, cache, _options, _timeProvider, _loggerFactory, PipelineTelemetry.Create(_meterFactory), _deliverers);
    }
}
