using ArxivRank.Scoring;

namespace ArxivRank.Ranking;

/// <summary>How the pre-screen chooses the papers the (expensive) inner scorer sees.</summary>
public sealed class PrescreenOptions
{
    /// <summary>Gets or sets the share of the candidates, best-ranked by the learned model, sent to the inner scorer.</summary>
    /// <value>Default 0.35. Between 0 (exclusive) and 1 (1 sends everything).</value>
    public double Share { get; set; } = 0.35;

    /// <summary>Gets or sets the share of the screened-out papers sent anyway, chosen at random (seeded), so the next labels are not only the model's favourites.</summary>
    /// <value>Default 0.05. Between 0 and 1.</value>
    public double ExplorationShare { get; set; } = 0.05;

    /// <summary>Gets or sets the seed of the exploration sample (the same candidates and seed give the same sample).</summary>
    /// <value>Default 0.</value>
    public int Seed { get; set; }

    /// <summary>
    /// Gets or sets how close, in log-odds, a screened-out paper's score must be to the decision boundary (the score of the
    /// last paper in the top share) for the model to count as unsure about it; unsure papers are sent too.
    /// </summary>
    /// <value>Default 0.25 (about ±6 probability points around a boundary near 0.5). 0 turns it off.</value>
    public double UnsureMargin { get; set; } = 0.25;

    /// <summary>Gets or sets the most unsure papers sent, as a share of the candidates (the closest to the boundary first).</summary>
    /// <value>Default 0.05.</value>
    public double MaxUnsureShare { get; set; } = 0.05;

    /// <summary>Gets or sets the reader's rules (followed and blocked authors, keywords); every paper a rule decides is sent (the inner scorer applies the rule at no cost).</summary>
    /// <value>Default: no rules. Use <see cref="PaperRules.FromCriteria"/> to take the criteria's followed authors.</value>
    public PaperRules Rules { get; set; } = new();

    /// <summary>Gets or sets the highest relevance a screened-out paper keeps (its learned relevance is capped), so a guess never passes the selection cut-off.</summary>
    /// <value>Default 6, below the default selection cut-off of 7. The continuous <see cref="PaperScore.Score"/> keeps the model's probability.</value>
    public int ScreenedOutMaxRelevance { get; set; } = 6;

    internal void Validate()
    {
        if (!(Share > 0 && Share <= 1))
        {
            throw new ArgumentException($"PrescreenOptions.Share must be above 0 and at most 1 (was {Share}).");
        }

        if (!(ExplorationShare >= 0 && ExplorationShare <= 1))
        {
            throw new ArgumentException($"PrescreenOptions.ExplorationShare must be between 0 and 1 (was {ExplorationShare}).");
        }

        if (!(UnsureMargin >= 0 && double.IsFinite(UnsureMargin)))
        {
            throw new ArgumentException($"PrescreenOptions.UnsureMargin must be 0 or more (was {UnsureMargin}).");
        }

        if (!(MaxUnsureShare >= 0 && MaxUnsureShare <= 1))
        {
            throw new ArgumentException($"PrescreenOptions.MaxUnsureShare must be between 0 and 1 (was {MaxUnsureShare}).");
        }

        if (ScreenedOutMaxRelevance is < 1 or > 10)
        {
            throw new ArgumentException($"PrescreenOptions.ScreenedOutMaxRelevance must be between 1 and 10 (was {ScreenedOutMaxRelevance}).");
        }

        ArgumentNullException.ThrowIfNull(Rules, "PrescreenOptions.Rules");
    }

    internal PrescreenOptions Clone() => (PrescreenOptions)MemberwiseClone();
}

/// <summary>What one pre-screened scoring call sent and saved.</summary>
public sealed record PrescreenReport
{
    /// <summary>Gets the papers the pre-screen was given.</summary>
    public int Candidates { get; init; }

    /// <summary>Gets the papers sent to the inner scorer (all reasons together).</summary>
    public int Sent { get; init; }

    /// <summary>Gets the papers sent because they are in the learned model's top share.</summary>
    public int TopShare { get; init; }

    /// <summary>Gets the papers sent because a rule (followed author, keyword) decides them.</summary>
    public int RuleMatches { get; init; }

    /// <summary>Gets the papers sent because the model is unsure about them.</summary>
    public int Unsure { get; init; }

    /// <summary>Gets the papers sent as the random exploration sample.</summary>
    public int Exploration { get; init; }

    /// <summary>Gets the papers not sent: scored by the learned ranker (<c>ScoredBy</c> <c>learned</c>).</summary>
    public int ScreenedOut { get; init; }

    /// <summary>Gets the estimated tokens saved (the inner scorer's tokens per sent paper × papers screened out), or <see langword="null"/> when it reported no usage.</summary>
    public long? EstimatedTokensSaved { get; init; }

    /// <summary>Gets the estimated cost saved in USD on the same basis, or <see langword="null"/> when the inner scorer reported no cost.</summary>
    public decimal? EstimatedCostSaved { get; init; }

    /// <summary>
    /// Adds up the reports of several scoring calls (the pipeline scores cache misses in chunks of
    /// <c>ScoreCacheOptions.ChunkSize</c>, and the pre-screen reports once per call).
    /// </summary>
    /// <param name="reports">The reports.</param>
    /// <returns>The totals; estimates are <see langword="null"/> when any report has none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reports"/> is <see langword="null"/>.</exception>
    public static PrescreenReport Sum(IEnumerable<PrescreenReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var list = reports.Where(r => r is not null).ToList();
        return new PrescreenReport
        {
            Candidates = list.Sum(r => r.Candidates),
            Sent = list.Sum(r => r.Sent),
            TopShare = list.Sum(r => r.TopShare),
            RuleMatches = list.Sum(r => r.RuleMatches),
            Unsure = list.Sum(r => r.Unsure),
            Exploration = list.Sum(r => r.Exploration),
            ScreenedOut = list.Sum(r => r.ScreenedOut),
            EstimatedTokensSaved = list.All(r => r.EstimatedTokensSaved is not null || r.ScreenedOut == 0) ? list.Sum(r => r.EstimatedTokensSaved ?? 0) : null,
            EstimatedCostSaved = list.All(r => r.EstimatedCostSaved is not null || r.ScreenedOut == 0) ? list.Sum(r => r.EstimatedCostSaved ?? 0) : null,
        };
    }
}

/// <summary>Puts the learned ranker in front of an expensive scorer.</summary>
public static class PrescreenExtensions
{
    /// <summary>
    /// Wraps <paramref name="inner"/> so that it sees only the candidates the learned model ranks in its top
    /// <see cref="PrescreenOptions.Share"/>, plus every paper a rule decides, the papers the model is unsure about and a
    /// seeded random sample of the rest. The rest are returned as scored by the learned ranker (<c>ScoredBy</c>
    /// <c>learned</c>, relevance capped at <see cref="PrescreenOptions.ScreenedOutMaxRelevance"/>), so every paper is
    /// accounted for. They are not cached as the inner model's judgments.
    /// </summary>
    /// <param name="inner">The scorer to save calls of (typically the LLM scorer).</param>
    /// <param name="ranker">The learned model.</param>
    /// <param name="options">The shares; defaults when <see langword="null"/>. Copied.</param>
    /// <param name="onReport">Receives what each call sent and saved (for the digest statistics); may be <see langword="null"/>.</param>
    /// <returns>The pre-screening scorer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/> or <paramref name="ranker"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public static IPaperScorer WithPrescreen(this IPaperScorer inner, LearnedRanker ranker, PrescreenOptions? options = null, Action<PrescreenReport>? onReport = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(ranker);
        var copy = (options ?? new PrescreenOptions()).Clone();
        copy.Validate();
        return new PrescreeningScorer(inner, ranker, copy, onReport);
    }
}

/// <summary>
/// The pre-screen. Its identity (<see cref="ScorerMetadata"/>) is the inner scorer's, passed through by
/// <see cref="DelegatingPaperScorer.GetService"/>: the papers the inner scorer judges are its judgments.
/// </summary>
internal sealed class PrescreeningScorer(IPaperScorer inner, LearnedRanker ranker, PrescreenOptions options, Action<PrescreenReport>? onReport)
    : DelegatingPaperScorer(inner)
{
    private readonly PaperRuleEngine _rules = new(options.Rules);

    public override async Task<ScoringResult> ScoreAsync(IReadOnlyList<Paper> papers, IProgress<ScoringProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(papers);
        var plan = Plan(papers);
        var sent = plan.Send.Select(i => papers[i]).ToList();
        var result = sent.Count == 0 ? new ScoringResult() : await InnerScorer.ScoreAsync(sent, progress, cancellationToken).ConfigureAwait(false);

        var scores = new List<PaperScore>(result.Scores);
        foreach (int i in plan.ScreenedOut)
        {
            var learned = plan.Learned[i];
            scores.Add(learned with
            {
                Relevance = learned.Relevance is { } r ? Math.Min(r, options.ScreenedOutMaxRelevance) : null,
                Comment = "Pre-screened out by the learned ranker; " + learned.Comment,
            });
        }

        long innerTokens = result.Usage.Sum(u => u.TotalTokens);
        decimal? innerCost = result.Usage.Count > 0 && result.Usage.All(u => u.TotalCost is not null) ? result.Usage.Sum(u => u.TotalCost!.Value) : null;
        int screenedOut = plan.ScreenedOut.Count;
        onReport?.Invoke(new PrescreenReport
        {
            Candidates = papers.Count,
            Sent = sent.Count,
            TopShare = plan.TopShare,
            RuleMatches = plan.RuleMatches,
            Unsure = plan.Unsure,
            Exploration = plan.Exploration,
            ScreenedOut = screenedOut,
            EstimatedTokensSaved = innerTokens > 0 && sent.Count > 0 ? (long)Math.Round((double)innerTokens / sent.Count * screenedOut) : null,
            EstimatedCostSaved = innerCost is { } c && sent.Count > 0 ? Math.Round(c / sent.Count * screenedOut, 6) : null,
        });

        return result with { Scores = scores };
    }

    internal PrescreenPlan Plan(IReadOnlyList<Paper> papers)
    {
        int n = papers.Count;
        var learned = new PaperScore[n];
        var scratch = new LearnedRanker.Scratch();
        for (int i = 0; i < n; i++)
        {
            var paper = papers[i] ?? throw new ArgumentNullException(nameof(papers), $"The paper at index {i} is null.");
            learned[i] = ranker.Score(paper, scratch);
        }

        // Best first; ties by input order, so the plan is deterministic.
        int[] order = [.. Enumerable.Range(0, n).OrderByDescending(i => learned[i].Score ?? 0).ThenBy(i => i)];
        int top = Math.Min(n, (int)Math.Ceiling(options.Share * n));
        var send = new SortedSet<int>(order.Take(top));
        int ruleMatches = 0, unsure = 0, exploration = 0;
        for (int i = 0; i < n; i++)
        {
            if (!send.Contains(i) && _rules.Evaluate(papers[i]) is not null)
            {
                send.Add(i);
                ruleMatches++;
            }
        }

        if (top > 0 && top < n && options.UnsureMargin > 0)
        {
            double boundary = Logit(learned[order[top - 1]].Score ?? 0.5);
            int cap = (int)Math.Floor(options.MaxUnsureShare * n);
            foreach (int i in order.Skip(top).Where(i => !send.Contains(i) && Math.Abs(Logit(learned[i].Score ?? 0.5) - boundary) <= options.UnsureMargin).Take(cap))
            {
                send.Add(i);
                unsure++;
            }
        }

        var rest = Enumerable.Range(0, n).Where(i => !send.Contains(i)).ToList();
        int sample = (int)Math.Round(options.ExplorationShare * rest.Count, MidpointRounding.AwayFromZero);
        if (sample > 0)
        {
            var random = new Random(options.Seed);
            var shuffled = rest.ToArray();
            random.Shuffle(shuffled);
            foreach (int i in shuffled.Take(sample))
            {
                send.Add(i);
                exploration++;
            }
        }

        var screenedOut = Enumerable.Range(0, n).Where(i => !send.Contains(i)).ToList();
        return new PrescreenPlan([.. send], screenedOut, learned, top, ruleMatches, unsure, exploration);
    }

    private static double Logit(double p)
    {
        p = Math.Clamp(p, 1e-9, 1 - 1e-9);
        return Math.Log(p / (1 - p));
    }

    internal sealed record PrescreenPlan(IReadOnlyList<int> Send, IReadOnlyList<int> ScreenedOut, PaperScore[] Learned, int TopShare, int RuleMatches, int Unsure, int Exploration);
}
