using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using ArxivRank.Rendering;
using ArxivRank.Scoring;
using ArxivRank.Sources;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

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
/// <para>The source, the scorer and the renderers can each be given as an instance, a factory or a type, as with
/// <c>services.AddArxivRank(…)</c>. Factories and types are resolved when <see cref="Build"/> runs, from the builder's own
/// services (<see cref="TimeProvider"/>, <see cref="ILoggerFactory"/>, <see cref="IScoreCache"/>, <see cref="IDigestStore"/>,
/// <see cref="IMeterFactory"/>) and then from <see cref="UseServices"/>.</para>
/// </summary>
public sealed class DigestPipelineBuilder
{
    private readonly List<Func<IServiceProvider, IDigestRenderer>> _renderers = [];
    private readonly DigestPipelineOptions _options = new();
    private Func<IServiceProvider, IArxivSource>? _source;
    private Func<IServiceProvider, IPaperScorer>? _scorer;
    private IServiceProvider? _services;
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
        _source = _ => source;
        return this;
    }

    /// <summary>Sets where papers come from, created when the pipeline is built.</summary>
    /// <param name="factory">Creates the source from the builder's services.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is <see langword="null"/>.</exception>
    public DigestPipelineBuilder UseSource(Func<IServiceProvider, IArxivSource> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _source = factory;
        return this;
    }

    /// <summary>Sets where papers come from: a <typeparamref name="TSource"/> created when the pipeline is built, its constructor's parameters taken from the builder's services.</summary>
    /// <typeparam name="TSource">The source type.</typeparam>
    /// <returns>This builder.</returns>
    public DigestPipelineBuilder UseSource<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TSource>()
        where TSource : class, IArxivSource
        => UseSource(sp => ActivatorUtilities.CreateInstance<TSource>(sp));

    /// <summary>Sets the scorer (required). It applies its own author rules and title screen; the pipeline puts the score cache in front of it.</summary>
    /// <param name="scorer">The scorer.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="scorer"/> is <see langword="null"/>.</exception>
    public DigestPipelineBuilder UseScorer(IPaperScorer scorer)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        _scorer = _ => scorer;
        return this;
    }

    /// <summary>Sets the scorer, created when the pipeline is built (the builder's services give it a logger, a clock and a cache).</summary>
    /// <param name="factory">Creates the scorer from the builder's services.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is <see langword="null"/>.</exception>
    public DigestPipelineBuilder UseScorer(Func<IServiceProvider, IPaperScorer> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _scorer = factory;
        return this;
    }

    /// <summary>Sets the scorer to the stack a <see cref="PaperScorerBuilder"/> builds, over the builder's services.</summary>
    /// <param name="scorerBuilder">The scorer stack.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="scorerBuilder"/> is <see langword="null"/>.</exception>
    public DigestPipelineBuilder UseScorer(PaperScorerBuilder scorerBuilder)
    {
        ArgumentNullException.ThrowIfNull(scorerBuilder);
        return UseScorer(sp => scorerBuilder.Build(sp));
    }

    /// <summary>Sets the scorer: a <typeparamref name="TScorer"/> created when the pipeline is built, its constructor's parameters taken from the builder's services.</summary>
    /// <typeparam name="TScorer">The scorer type.</typeparam>
    /// <returns>This builder.</returns>
    public DigestPipelineBuilder UseScorer<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TScorer>()
        where TScorer : class, IPaperScorer
        => UseScorer(sp => ActivatorUtilities.CreateInstance<TScorer>(sp));

    /// <summary>
    /// Sets the scorer to the LLM scorer over <paramref name="chatClient"/>, with the builder's logger and clock. It applies
    /// the criteria's followed and blocked authors, and the digest shows the criteria.
    /// </summary>
    /// <param name="chatClient">Any chat client.</param>
    /// <param name="criteria">The reader's criteria.</param>
    /// <param name="options">Batching, concurrency, title screen; <see langword="null"/> for the defaults.</param>
    /// <param name="configure">Adds layers over the scorer (<c>b =&gt; b.UseLogging()</c>); may be <see langword="null"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="chatClient"/> or <paramref name="criteria"/> is <see langword="null"/>.</exception>
    public DigestPipelineBuilder UseLlmScorer(IChatClient chatClient, ScoringCriteria criteria, LlmScorerOptions? options = null, Action<PaperScorerBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(chatClient);
        ArgumentNullException.ThrowIfNull(criteria);
        var builder = new PaperScorerBuilder(sp => PaperScorerBuilderExtensions.CreateLlmScorer(sp, chatClient, criteria, options));
        configure?.Invoke(builder);
        return UseScorer(builder);
    }

    /// <summary>Adds a renderer; every renderer writes into the run's output.</summary>
    /// <param name="renderer">The renderer.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="renderer"/> is <see langword="null"/>.</exception>
    public DigestPipelineBuilder AddRenderer(IDigestRenderer renderer)
    {
        ArgumentNullException.ThrowIfNull(renderer);
        _renderers.Add(_ => renderer);
        return this;
    }

    /// <summary>Adds a renderer created when the pipeline is built.</summary>
    /// <param name="factory">Creates the renderer from the builder's services.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is <see langword="null"/>.</exception>
    public DigestPipelineBuilder AddRenderer(Func<IServiceProvider, IDigestRenderer> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _renderers.Add(factory);
        return this;
    }

    /// <summary>Adds a <typeparamref name="TRenderer"/> created when the pipeline is built, its constructor's parameters taken from the builder's services.</summary>
    /// <typeparam name="TRenderer">The renderer type.</typeparam>
    /// <returns>This builder.</returns>
    public DigestPipelineBuilder AddRenderer<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TRenderer>()
        where TRenderer : class, IDigestRenderer
        => AddRenderer(sp => ActivatorUtilities.CreateInstance<TRenderer>(sp));

    /// <summary>Sets where factories and types find what the builder itself does not hold (an <see cref="IChatClient"/>, options…).</summary>
    /// <param name="services">The services to fall back to.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public DigestPipelineBuilder UseServices(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        _services = services;
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
    /// <exception cref="InvalidOperationException">No source or no scorer was set, or a factory or type could not be resolved.</exception>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public DigestPipeline Build()
    {
        var sourceFactory = _source ?? throw new InvalidOperationException("No source: call UseSource(…) with an IArxivSource (RSS, export API, OAI-PMH or a snapshot).");
        var scorerFactory = _scorer ?? throw new InvalidOperationException("No scorer: call UseScorer(…) with an IPaperScorer (the LLM scorer, or an offline one).");
        var store = _store ?? new InMemoryArxivRankStore();
        var cache = _scoreCacheSet ? _scoreCache : store as IScoreCache;
        var services = new BuilderServices(this, store, cache);
        var source = sourceFactory(services) ?? throw new InvalidOperationException("The source factory passed to UseSource returned null.");
        var scorer = scorerFactory(services) ?? throw new InvalidOperationException("The scorer factory passed to UseScorer returned null.");
        var renderers = _renderers.Select(f => f(services) ?? throw new InvalidOperationException("A renderer factory passed to AddRenderer returned null.")).ToList();
        return new DigestPipeline(source, scorer, renderers, store, cache, _options, _timeProvider, _loggerFactory, PipelineTelemetry.Create(_meterFactory));
    }

    /// <summary>What factories and types see: the builder's parts, then the services given to <see cref="UseServices"/>.</summary>
    private sealed class BuilderServices(DigestPipelineBuilder builder, IDigestStore store, IScoreCache? cache) : IServiceProvider
    {
        public object? GetService(Type serviceType)
        {
            ArgumentNullException.ThrowIfNull(serviceType);
            object? own = serviceType == typeof(TimeProvider) ? builder._timeProvider ?? TimeProvider.System
                : serviceType == typeof(ILoggerFactory) ? builder._loggerFactory ?? NullLoggerFactory.Instance
                : serviceType == typeof(IMeterFactory) ? builder._meterFactory
                : serviceType == typeof(IDigestStore) ? store
                : serviceType == typeof(IScoreCache) ? cache
                : serviceType == typeof(IServiceProvider) ? this
                : null;
            return own ?? builder._services?.GetService(serviceType);
        }
    }
}
