using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace ArxivRank.Scoring;

/// <summary>Creates the scorers: any LLM through <see cref="IChatClient"/>, any embedding model, the offline lexical scorer, and rules in front of any of them.</summary>
/// <remarks>
/// Every scorer created from criteria applies the criteria's followed and blocked authors (<see cref="PaperRules.FromCriteria"/>)
/// unless its options' <c>ApplyCriteriaRules</c> is <see langword="false"/>, and answers <see cref="IPaperScorer.GetService"/>
/// with its <see cref="ScorerMetadata"/> (model id, criteria hash, criteria text) and its <see cref="ScoringCriteria"/>.
/// </remarks>
public static class PaperScorers
{
    /// <summary>
    /// Creates a scorer that asks a chat model: an optional title screen, then the abstract pass, in batches with bounded
    /// concurrency, re-asking smaller batches for content problems and returning every paper scored or unscored with the reason.
    /// The criteria's followed and blocked authors decide their papers first (<see cref="LlmScorerOptions.ApplyCriteriaRules"/>).
    /// </summary>
    /// <param name="chatClient">Any chat client (OpenAI-compatible, Azure, Ollama, a test fake…). Transport retries belong in its HTTP pipeline.</param>
    /// <param name="criteria">The reader's criteria.</param>
    /// <param name="options">Batching, concurrency, re-asking and pricing; <see langword="null"/> for the defaults.</param>
    /// <param name="cache">Where scores are remembered between runs; <see langword="null"/> for none (the pipeline puts its own score cache in front).</param>
    /// <param name="logger">Where to log; prompts and answers only at Trace.</param>
    /// <param name="timeProvider">The clock for timings; <see langword="null"/> for the system clock.</param>
    /// <returns>The scorer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="chatClient"/> or <paramref name="criteria"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public static IPaperScorer AsPaperScorer(this IChatClient chatClient, ScoringCriteria criteria, LlmScorerOptions? options = null, IScoreCache? cache = null, ILogger? logger = null, TimeProvider? timeProvider = null)
        => WithCriteriaRules(new LlmPaperScorer(chatClient, criteria, options, cache, logger, timeProvider), criteria, options?.ApplyCriteriaRules ?? true);

    /// <summary>Creates a scorer that ranks papers by embedding similarity to the reader's interests (and liked papers); the criteria's authors decide their papers first.</summary>
    /// <param name="generator">Any embedding generator.</param>
    /// <param name="criteria">The reader's criteria.</param>
    /// <param name="options">Liked papers, batching and weights; <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Where to log.</param>
    /// <returns>The scorer. Relevance is relative to the run's best and worst paper; novelty is not judged.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="generator"/> or <paramref name="criteria"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public static IPaperScorer AsPaperScorer(this IEmbeddingGenerator<string, Embedding<float>> generator, ScoringCriteria criteria, EmbeddingScorerOptions? options = null, ILogger? logger = null)
        => WithCriteriaRules(new EmbeddingPaperScorer(generator, criteria, options, logger), criteria, options?.ApplyCriteriaRules ?? true);

    /// <summary>
    /// Creates the offline scorer: BM25 of the criteria's words over each paper's title and abstract. No network, no key,
    /// deterministic. The criteria's followed and blocked authors decide their papers first (<see cref="LexicalScorerOptions.ApplyCriteriaRules"/>).
    /// </summary>
    /// <param name="criteria">The reader's criteria (<see cref="ScoringCriteria.Example"/> when the reader has none).</param>
    /// <param name="options">Weights; <see langword="null"/> for the defaults.</param>
    /// <returns>
    /// The scorer. <see cref="PaperScore.Relevance"/> is the normalized value (1–10, relative to the run's best paper);
    /// <see cref="PaperScore.Score"/> keeps the raw BM25 value; novelty is not judged.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="criteria"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public static IPaperScorer CreateLexical(ScoringCriteria criteria, LexicalScorerOptions? options = null)
        => WithCriteriaRules(new LexicalPaperScorer(criteria, options), criteria, options?.ApplyCriteriaRules ?? true);

    /// <summary>
    /// Puts rules in front of a scorer: followed and blocked authors, include and exclude keywords decide a paper before any
    /// model call. Rules equal to ones the scorer already applies are not applied twice.
    /// </summary>
    /// <param name="scorer">The scorer for the papers no rule decides.</param>
    /// <param name="rules">The rules (<see cref="PaperRules.FromCriteria(ScoringCriteria)"/> reads them from a criteria file).</param>
    /// <returns>A scorer that returns rule verdicts and the inner scorer's results together, in input order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="scorer"/> or <paramref name="rules"/> is <see langword="null"/>.</exception>
    public static IPaperScorer WithRules(this IPaperScorer scorer, PaperRules rules)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(rules);
        if (rules.IsEmpty || (scorer.GetService<PaperRules>() is { } applied && applied.SameRulesAs(rules)))
        {
            return scorer;
        }

        return new RulesPaperScorer(scorer, rules);
    }

    private static IPaperScorer WithCriteriaRules(IPaperScorer scorer, ScoringCriteria criteria, bool apply)
        => apply ? scorer.WithRules(PaperRules.FromCriteria(criteria)) : scorer;
}
