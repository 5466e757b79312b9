using ArxivRank.Pipeline;
using ArxivRank.Ranking;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArxivRank.Scoring;

/// <summary>The existing scorer layers as <see cref="PaperScorerBuilder"/> steps. The first step added is the outermost.</summary>
public static class PaperScorerBuilderExtensions
{
    /// <summary>Starts a <see cref="PaperScorerBuilder"/> over this scorer.</summary>
    /// <param name="innerScorer">The scorer at the bottom of the stack.</param>
    /// <returns>A new builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="innerScorer"/> is <see langword="null"/>.</exception>
    public static PaperScorerBuilder AsBuilder(this IPaperScorer innerScorer) => new(innerScorer);

    /// <summary>Adds rules (followed and blocked authors, include and exclude keywords) that decide papers before the layers below see them.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="rules">The rules.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="rules"/> is <see langword="null"/>.</exception>
    public static PaperScorerBuilder UseRules(this PaperScorerBuilder builder, PaperRules rules)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(rules);
        return builder.Use(inner => inner.WithRules(rules));
    }

    /// <summary>Adds the criteria's rules (followed and blocked authors); a no-op when the scorer below already applies them.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="criteria">The criteria.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="criteria"/> is <see langword="null"/>.</exception>
    public static PaperScorerBuilder UseRules(this PaperScorerBuilder builder, ScoringCriteria criteria)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        return builder.UseRules(PaperRules.FromCriteria(criteria));
    }

    /// <summary>
    /// Adds a cheap title-only pass with a chat model: papers clearly outside the reader's topics end with relevance 1 and
    /// never reach the layers below. For the LLM scorer, prefer its own <see cref="LlmScorerOptions.TitleScreen"/>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="chatClient">The model for the screen; <see langword="null"/> to take the <see cref="IChatClient"/> from the services.</param>
    /// <param name="criteria">The reader's criteria; <see langword="null"/> to take them from the scorer below (<c>GetService(typeof(ScoringCriteria))</c>).</param>
    /// <param name="options">Model id, batch size and the like (the passes are set for a screen only); <see langword="null"/> for the defaults.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <remarks>When built, throws <see cref="InvalidOperationException"/> if no chat client or no criteria can be found.</remarks>
    public static PaperScorerBuilder UseTitleScreen(this PaperScorerBuilder builder, IChatClient? chatClient = null, ScoringCriteria? criteria = null, LlmScorerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            var client = chatClient ?? services.GetService<IChatClient>()
                ?? throw new InvalidOperationException("UseTitleScreen needs a chat client: pass one, or register an IChatClient in the services passed to Build.");
            var screenCriteria = criteria ?? inner.GetService<ScoringCriteria>()
                ?? throw new InvalidOperationException("UseTitleScreen needs the reader's criteria: pass them, or put it over a scorer created from criteria.");
            var screenOptions = (options ?? new LlmScorerOptions()).Clone();
            screenOptions.TitleScreen = true;
            screenOptions.AbstractScoring = false;
            var screen = new LlmPaperScorer(client, screenCriteria, screenOptions, cache: null, LoggerOf(services, "ArxivRank.Scoring.TitleScreen"), services.GetService<TimeProvider>());
            return new TitleScreenPaperScorer(inner, screen);
        });
    }

    /// <summary>Adds a score cache: the layers below see only the papers the cache cannot answer.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="cache">The cache; <see langword="null"/> to take the <see cref="IScoreCache"/> from the services.</param>
    /// <param name="options">The model id, criteria hash and chunk size; the scorer's <see cref="ScorerMetadata"/> fills what is not set.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <remarks>When built, throws <see cref="InvalidOperationException"/> if no cache can be found, and <see cref="ArgumentException"/> if the scorer below names no identity.</remarks>
    public static PaperScorerBuilder UseScoreCache(this PaperScorerBuilder builder, IScoreCache? cache = null, ScoreCacheOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            var found = cache ?? services.GetService<IScoreCache>()
                ?? throw new InvalidOperationException("UseScoreCache needs a cache: pass one, or register an IScoreCache in the services passed to Build.");
            return inner.WithScoreCache(found, options, LoggerOf(services, "ArxivRank.Pipeline.CachingPaperScorer"));
        });
    }

    /// <summary>Adds the learned pre-screen: the layers below see only the papers the learned model ranks high (see <see cref="PrescreenExtensions.WithPrescreen"/>).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="ranker">The learned model.</param>
    /// <param name="options">The shares; <see langword="null"/> for the defaults.</param>
    /// <param name="onReport">Receives what each call sent and saved; may be <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="ranker"/> is <see langword="null"/>.</exception>
    public static PaperScorerBuilder UsePrescreen(this PaperScorerBuilder builder, LearnedRanker ranker, PrescreenOptions? options = null, Action<PrescreenReport>? onReport = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(ranker);
        return builder.Use(inner => inner.WithPrescreen(ranker, options, onReport));
    }

    /// <summary>Logs each scoring call (papers, scored, unscored, tokens, time, failures) at Information.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="loggerFactory">Where to log; <see langword="null"/> to take the <see cref="ILoggerFactory"/> from the services (no layer is added when there is none).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static PaperScorerBuilder UseLogging(this PaperScorerBuilder builder, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            var factory = loggerFactory ?? services.GetService<ILoggerFactory>();
            return factory is null || factory is NullLoggerFactory
                ? inner
                : new LoggingPaperScorer(inner, factory.CreateLogger("ArxivRank.Scoring.PaperScorer"), services.GetService<TimeProvider>());
        });
    }

    /// <summary>Creates the LLM scorer over a chat client, taking the logger and the clock from the services (as the DI and pipeline builders do).</summary>
    internal static IPaperScorer CreateLlmScorer(IServiceProvider services, IChatClient chatClient, ScoringCriteria criteria, LlmScorerOptions? options)
        => chatClient.AsPaperScorer(criteria, options, cache: null, LoggerOf(services, "ArxivRank.Scoring.LlmPaperScorer"), services.GetService<TimeProvider>());

    private static ILogger? LoggerOf(IServiceProvider services, string category)
        => services.GetService<ILoggerFactory>()?.CreateLogger(category);
}
