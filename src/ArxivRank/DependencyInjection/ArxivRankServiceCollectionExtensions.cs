using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using ArxivRank.Pipeline;
using ArxivRank.Rendering;
using ArxivRank.Scoring;
using ArxivRank.Selection;
using ArxivRank.Sources;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers ArxivRank's digest pipeline with dependency injection.</summary>
public static class ArxivRankServiceCollectionExtensions
{
    /// <summary>
    /// Registers the digest pipeline (<see cref="DigestPipeline"/>), selection (<see cref="PaperSelector"/>), the options
    /// (validated at start, messages naming the bad option) and an in-memory store and score cache
    /// (<see cref="InMemoryArxivRankStore"/>; <c>AddArxivRankSqlite</c> replaces it with a persistent one).
    /// </summary>
    /// <remarks>
    /// The app provides the parts that differ between apps: an <see cref="IArxivSource"/>, an <see cref="IPaperScorer"/>
    /// (for the LLM scorer, built over the app's registered <c>IChatClient</c>) and any number of
    /// <see cref="IDigestRenderer"/>s — registered directly, or through <see cref="IArxivRankBuilder"/>'s
    /// <c>UseSource</c>, <c>UseScorer</c> and <c>AddRenderer</c>.
    /// </remarks>
    /// <param name="services">The services.</param>
    /// <param name="configure">Changes the options; may be <see langword="null"/>.</param>
    /// <returns>A builder to register the source, scorer and renderers.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IArxivRankBuilder AddArxivRank(this IServiceCollection services, Action<DigestPipelineOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<DigestPipelineOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DigestPipelineOptions>, DigestPipelineOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        // The default store and score cache: one in-memory instance serving both. AddArxivRankSqlite replaces them.
        services.TryAddSingleton<InMemoryArxivRankStore>();
        services.TryAddSingleton<IDigestStore>(sp => sp.GetRequiredService<InMemoryArxivRankStore>());
        services.TryAddSingleton<IScoreCache>(sp => sp.GetRequiredService<InMemoryArxivRankStore>());

        services.TryAddSingleton(sp => new PaperSelector(sp.GetRequiredService<IOptions<DigestPipelineOptions>>().Value.Selection));
        services.TryAddSingleton(CreatePipeline);
        return new ArxivRankBuilder(services);
    }

    private static DigestPipeline CreatePipeline(IServiceProvider services)
    {
        var source = services.GetService<IArxivSource>()
            ?? throw new InvalidOperationException(
                "ArxivRank needs an IArxivSource: register one (services.AddSingleton<IArxivSource>(…)) or call UseSource(…) on the builder AddArxivRank returns.");

        // The scorer: UseLlmScorer(criteria) over the app's IChatClient, UseLexicalScorer(criteria), or UseScorer(…).
        var scorer = services.GetService<IPaperScorer>()
            ?? throw new InvalidOperationException(
                "ArxivRank needs an IPaperScorer: call UseLlmScorer(criteria) (over your registered IChatClient), UseLexicalScorer(criteria) or UseScorer(…) on the builder AddArxivRank returns, or register one with services.AddSingleton<IPaperScorer>(…).");

        return new DigestPipeline(
            source,
            scorer,
            services.GetServices<IDigestRenderer>(),
            services.GetRequiredService<IDigestStore>(),
            services.GetService<IScoreCache>(),
            services.GetRequiredService<IOptions<DigestPipelineOptions>>().Value,
            services.GetService<TimeProvider>(),
            services.GetService<ILoggerFactory>(),
            PipelineTelemetry.Create(services.GetService<IMeterFactory>()));
    }

    private sealed class ArxivRankBuilder(IServiceCollection services) : IArxivRankBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}

/// <summary>Registers the parts of ArxivRank an app chooses: the source, the scorer, the renderers. Returned by <c>AddArxivRank</c>.</summary>
public interface IArxivRankBuilder
{
    /// <summary>Gets the services being configured.</summary>
    IServiceCollection Services { get; }
}

/// <summary>
/// Registration helpers on <see cref="IArxivRankBuilder"/>. The source, the scorer and the renderers can each be given as
/// an instance, a factory or a type, as with <c>DigestPipeline.CreateBuilder()</c>.
/// </summary>
public static class ArxivRankBuilderExtensions
{
    /// <summary>Registers the source the pipeline fetches from (replacing any registered before).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the source.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="factory"/> is <see langword="null"/>.</exception>
    public static IArxivRankBuilder UseSource(this IArxivRankBuilder builder, Func<IServiceProvider, IArxivSource> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return Replace<IArxivSource>(builder, ServiceDescriptor.Singleton(factory));
    }

    /// <summary>Registers the source the pipeline fetches from (replacing any registered before).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="source">The source.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="source"/> is <see langword="null"/>.</exception>
    public static IArxivRankBuilder UseSource(this IArxivRankBuilder builder, IArxivSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return builder.UseSource(_ => source);
    }

    /// <summary>Registers a <typeparamref name="TSource"/> as the source (replacing any registered before), created by the container.</summary>
    /// <typeparam name="TSource">The source type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IArxivRankBuilder UseSource<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TSource>(this IArxivRankBuilder builder)
        where TSource : class, IArxivSource
        => Replace<IArxivSource>(builder, ServiceDescriptor.Singleton<IArxivSource, TSource>());

    /// <summary>Registers the scorer (replacing any registered before). The pipeline puts the score cache in front of it.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the scorer.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="factory"/> is <see langword="null"/>.</exception>
    public static IArxivRankBuilder UseScorer(this IArxivRankBuilder builder, Func<IServiceProvider, IPaperScorer> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return Replace<IPaperScorer>(builder, ServiceDescriptor.Singleton(factory));
    }

    /// <summary>Registers the scorer (replacing any registered before). The pipeline puts the score cache in front of it.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="scorer">The scorer.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="scorer"/> is <see langword="null"/>.</exception>
    public static IArxivRankBuilder UseScorer(this IArxivRankBuilder builder, IPaperScorer scorer)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        return builder.UseScorer(_ => scorer);
    }

    /// <summary>Registers the scorer stack a <see cref="PaperScorerBuilder"/> builds over the container (replacing any registered before).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="scorerBuilder">The scorer stack; its layers find loggers, the clock and the cache in the container.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="scorerBuilder"/> is <see langword="null"/>.</exception>
    public static IArxivRankBuilder UseScorer(this IArxivRankBuilder builder, PaperScorerBuilder scorerBuilder)
    {
        ArgumentNullException.ThrowIfNull(scorerBuilder);
        return builder.UseScorer(sp => scorerBuilder.Build(sp));
    }

    /// <summary>Registers a <typeparamref name="TScorer"/> as the scorer (replacing any registered before), created by the container.</summary>
    /// <typeparam name="TScorer">The scorer type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IArxivRankBuilder UseScorer<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TScorer>(this IArxivRankBuilder builder)
        where TScorer : class, IPaperScorer
        => Replace<IPaperScorer>(builder, ServiceDescriptor.Singleton<IPaperScorer, TScorer>());

    /// <summary>
    /// Registers the LLM scorer over the container's <see cref="IChatClient"/> (as <c>services.AddChatClient(…)</c> registers
    /// it), with the container's <see cref="ILoggerFactory"/> and <see cref="TimeProvider"/>; the pipeline adds the
    /// container's score cache in front. The scorer applies the criteria's followed and blocked authors, and the digest
    /// shows the criteria.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="criteria">The reader's criteria.</param>
    /// <param name="options">Batching, concurrency, title screen; <see langword="null"/> for the defaults.</param>
    /// <param name="configure">Adds layers over the scorer (<c>b =&gt; b.UseLogging()</c>); may be <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="criteria"/> is <see langword="null"/>.</exception>
    /// <remarks>Resolving the pipeline throws <see cref="InvalidOperationException"/> when no <see cref="IChatClient"/> is registered.</remarks>
    public static IArxivRankBuilder UseLlmScorer(this IArxivRankBuilder builder, ScoringCriteria criteria, LlmScorerOptions? options = null, Action<PaperScorerBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        var scorers = new PaperScorerBuilder(sp => PaperScorerBuilderExtensions.CreateLlmScorer(
            sp,
            sp.GetService<IChatClient>() ?? throw new InvalidOperationException("UseLlmScorer needs an IChatClient in the container: register one with services.AddChatClient(…) (Microsoft.Extensions.AI) or services.AddSingleton<IChatClient>(…)."),
            criteria,
            options));
        configure?.Invoke(scorers);
        return builder.UseScorer(scorers);
    }

    /// <summary>Registers the offline lexical scorer (no model, no key), which applies the criteria's followed and blocked authors.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="criteria">The reader's criteria.</param>
    /// <param name="options">Weights; <see langword="null"/> for the defaults.</param>
    /// <param name="configure">Adds layers over the scorer; may be <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="criteria"/> is <see langword="null"/>.</exception>
    public static IArxivRankBuilder UseLexicalScorer(this IArxivRankBuilder builder, ScoringCriteria criteria, LexicalScorerOptions? options = null, Action<PaperScorerBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        var scorers = new PaperScorerBuilder(PaperScorers.CreateLexical(criteria, options));
        configure?.Invoke(scorers);
        return builder.UseScorer(scorers);
    }

    /// <summary>Adds a renderer; every registered renderer writes each digest.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the renderer.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="factory"/> is <see langword="null"/>.</exception>
    public static IArxivRankBuilder AddRenderer(this IArxivRankBuilder builder, Func<IServiceProvider, IDigestRenderer> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.AddSingleton(factory);
        return builder;
    }

    /// <summary>Adds a renderer; every registered renderer writes each digest.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="renderer">The renderer.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="renderer"/> is <see langword="null"/>.</exception>
    public static IArxivRankBuilder AddRenderer(this IArxivRankBuilder builder, IDigestRenderer renderer)
    {
        ArgumentNullException.ThrowIfNull(renderer);
        return builder.AddRenderer(_ => renderer);
    }

    /// <summary>Adds a <typeparamref name="TRenderer"/>, created by the container; every registered renderer writes each digest.</summary>
    /// <typeparam name="TRenderer">The renderer type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IArxivRankBuilder AddRenderer<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TRenderer>(this IArxivRankBuilder builder)
        where TRenderer : class, IDigestRenderer
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IDigestRenderer, TRenderer>();
        return builder;
    }

    /// <summary>Replaces every registration of <typeparamref name="TService"/> with <paramref name="descriptor"/>.</summary>
    private static IArxivRankBuilder Replace<TService>(IArxivRankBuilder builder, ServiceDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.RemoveAll<TService>();
        builder.Services.Add(descriptor);
        return builder;
    }
}
