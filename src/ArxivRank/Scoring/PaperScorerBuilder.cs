namespace ArxivRank.Scoring;

/// <summary>
/// Stacks layers (rules, title screen, score cache, pre-screen, logging, or your own <see cref="DelegatingPaperScorer"/>)
/// on top of a scorer, in the manner of <c>ChatClientBuilder</c>: the first layer added is the outermost.
/// </summary>
/// <example>
/// <code>
/// IPaperScorer scorer = new PaperScorerBuilder(chatClient.AsPaperScorer(criteria))
///     .UseLogging()               // outermost: sees every call
///     .UseScoreCache(cache)       // then the cache: only misses go further
///     .Build(services);           // services: where UseLogging and UseScoreCache() find what they were not given
/// </code>
/// </example>
public sealed class PaperScorerBuilder
{
    private readonly Func<IServiceProvider, IPaperScorer> _innerScorerFactory;
    private readonly List<Func<IPaperScorer, IServiceProvider, IPaperScorer>> _layers = [];

    /// <summary>Initializes a new instance of the <see cref="PaperScorerBuilder"/> class over a scorer.</summary>
    /// <param name="innerScorer">The scorer at the bottom of the stack.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerScorer"/> is <see langword="null"/>.</exception>
    public PaperScorerBuilder(IPaperScorer innerScorer)
    {
        ArgumentNullException.ThrowIfNull(innerScorer);
        _innerScorerFactory = _ => innerScorer;
    }

    /// <summary>Initializes a new instance of the <see cref="PaperScorerBuilder"/> class over a scorer created when the stack is built.</summary>
    /// <param name="innerScorerFactory">Creates the scorer at the bottom of the stack from the services passed to <see cref="Build"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerScorerFactory"/> is <see langword="null"/>.</exception>
    public PaperScorerBuilder(Func<IServiceProvider, IPaperScorer> innerScorerFactory)
    {
        ArgumentNullException.ThrowIfNull(innerScorerFactory);
        _innerScorerFactory = innerScorerFactory;
    }

    /// <summary>Adds a layer; layers added earlier wrap layers added later.</summary>
    /// <param name="scorerFactory">Wraps the scorer below it (typically in a <see cref="DelegatingPaperScorer"/>).</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="scorerFactory"/> is <see langword="null"/>.</exception>
    public PaperScorerBuilder Use(Func<IPaperScorer, IPaperScorer> scorerFactory)
    {
        ArgumentNullException.ThrowIfNull(scorerFactory);
        return Use((inner, _) => scorerFactory(inner));
    }

    /// <summary>Adds a layer that needs services (a logger, a clock, a cache); layers added earlier wrap layers added later.</summary>
    /// <param name="scorerFactory">Wraps the scorer below it, given the services passed to <see cref="Build"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="scorerFactory"/> is <see langword="null"/>.</exception>
    public PaperScorerBuilder Use(Func<IPaperScorer, IServiceProvider, IPaperScorer> scorerFactory)
    {
        ArgumentNullException.ThrowIfNull(scorerFactory);
        _layers.Add(scorerFactory);
        return this;
    }

    /// <summary>Builds the stack: the inner scorer, wrapped by each layer from the last added to the first.</summary>
    /// <param name="services">Where layers find what they were not given (<c>ILoggerFactory</c>, <c>TimeProvider</c>, <c>IScoreCache</c>, <c>IChatClient</c>); <see langword="null"/> for none.</param>
    /// <returns>The outermost scorer.</returns>
    /// <exception cref="InvalidOperationException">A layer returned <see langword="null"/>, or needs a service that is not there (the message names it).</exception>
    public IPaperScorer Build(IServiceProvider? services = null)
    {
        services ??= EmptyServiceProvider.Instance;
        var scorer = _innerScorerFactory(services)
            ?? throw new InvalidOperationException("The inner scorer factory of the PaperScorerBuilder returned null.");
        for (int i = _layers.Count - 1; i >= 0; i--)
        {
            scorer = _layers[i](scorer, services)
                ?? throw new InvalidOperationException($"Layer {i + 1} of the PaperScorerBuilder returned null instead of a scorer.");
        }

        return scorer;
    }

    private sealed class EmptyServiceProvider : IServiceProvider
    {
        public static readonly EmptyServiceProvider Instance = new();

        public object? GetService(Type serviceType) => null;
    }
}
