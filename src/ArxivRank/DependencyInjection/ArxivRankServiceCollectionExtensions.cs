using ArxivRank.Delivery;
using System.Diagnostics.Metrics;
using ArxivRank.Pipeline;
using ArxivRank.Rendering;
using ArxivRank.Scoring;
using ArxivRank.Selection;
using ArxivRank.Sources;
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

        // EXTENSION POINT: the scorer. Apps register the LLM scorer over their IChatClient
        // (builder.UseScorer(sp => <LLM scorer over sp.GetRequiredService<IChatClient>()>)) or an offline scorer.
        var scorer = services.GetService<IPaperScorer>()
            ?? throw new InvalidOperationException(
                "ArxivRank needs an IPaperScorer: register one (the LLM scorer over your IChatClient, or an offline scorer) with services.AddSingleton<IPaperScorer>(…) or UseScorer(…) on the builder AddArxivRank returns.");

        return new DigestPipeline(
            source,
            scorer,
            services.GetServices<IDigestRenderer>(),
            services.GetRequiredService<IDigestStore>(),
            services.GetService<IScoreCache>(),
            services.GetRequiredService<IOptions<DigestPipelineOptions>>().Value,
            services.GetService<TimeProvider>(),
            services.GetService<ILoggerFactory>(),
            PipelineTelemetry.Create(services.GetService<IMeterFactory>()),
            services.GetServices<IDigestDeliverer>());
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

/// <summary>Registration helpers on <see cref="IArxivRankBuilder"/>.</summary>
public static class ArxivRankBuilderExtensions
{
    /// <summary>Registers the source the pipeline fetches from (replacing any registered before).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the source.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="factory"/> is <see langword="null"/>.</exception>
    public static IArxivRankBuilder UseSource(this IArxivRankBuilder builder, Func<IServiceProvider, IArxivSource> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.RemoveAll<IArxivSource>();
        builder.Services.AddSingleton(factory);
        return builder;
    }

    /// <summary>
    /// Registers the scorer (replacing any registered before). This is where the LLM scorer is built over the app's
    /// <c>IChatClient</c>: <c>builder.UseScorer(sp =&gt; /* LLM scorer over */ sp.GetRequiredService&lt;IChatClient&gt;())</c>.
    /// The pipeline puts the score cache in front of it.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the scorer.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="factory"/> is <see langword="null"/>.</exception>
    public static IArxivRankBuilder UseScorer(this IArxivRankBuilder builder, Func<IServiceProvider, IPaperScorer> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.RemoveAll<IPaperScorer>();
        builder.Services.AddSingleton(factory);
        return builder;
    }

    /// <summary>Adds a deliverer; the pipeline delivers each written digest through every registered deliverer.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the deliverer.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="factory"/> is <see langword="null"/>.</exception>
    public static IArxivRankBuilder AddDeliverer(this IArxivRankBuilder builder, Func<IServiceProvider, IDigestDeliverer> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.AddSingleton(factory);
        return builder;
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
}
