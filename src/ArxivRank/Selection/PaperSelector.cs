using ArxivRank.Rendering;
using ArxivRank.Scoring;

namespace ArxivRank.Selection;

/// <summary>Chooses and orders the papers of a digest from the day's scores: cut-offs, ranking, top-K, author matches.</summary>
/// <remarks>Stateless and thread-safe. See <see cref="SelectionOptions"/> for the rules.</remarks>
public sealed class PaperSelector
{
    private readonly SelectionOptions _options;

    /// <summary>Initializes a new instance of the <see cref="PaperSelector"/> class.</summary>
    /// <param name="options">The selection rules; copied, so later changes do not affect this selector. Defaults when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public PaperSelector(SelectionOptions? options = null)
    {
        _options = options?.Clone() ?? new SelectionOptions();
        string? problem = _options.Validate().FirstOrDefault();
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(options));
        }
    }

    /// <summary>Gets a copy of the rules this selector applies.</summary>
    public SelectionOptions Options => _options.Clone();

    /// <summary>Selects and orders the papers of a digest.</summary>
    /// <param name="candidates">Every scored paper of the day (author matches included).</param>
    /// <returns>The selected papers, best first, and how many each rule cut.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="candidates"/> is <see langword="null"/> or holds a <see langword="null"/> entry.</exception>
    public SelectionResult Select(IEnumerable<DigestEntry> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var all = candidates.ToList();
        if (all.Exists(e => e is null))
        {
            throw new ArgumentNullException(nameof(candidates), "The candidates hold a null entry.");
        }

        var included = new List<DigestEntry>();
        var scored = new List<DigestEntry>();
        foreach (var entry in all)
        {
            (IsRuleMatch(entry.Score) ? included : scored).Add(entry);
        }

        bool offline = scored.Count > 0 && scored.TrueForAll(e => e.Score.Novelty is null);
        bool applyCutOffs = !offline || _options.ApplyCutOffsOffline;
        int? topK = _options.TopK ?? (offline ? _options.OfflineTopK : null);

        int cutByRelevance = 0, cutByNovelty = 0;
        var passed = new List<DigestEntry>(scored.Count);
        foreach (var entry in scored)
        {
            if (applyCutOffs && _options.MinRelevance is { } minR && entry.Score.Relevance is { } r && r < minR)
            {
                cutByRelevance++;
            }
            else if (applyCutOffs && _options.MinNovelty is { } minN && entry.Score.Novelty is { } n && n < minN)
            {
                cutByNovelty++;
            }
            else
            {
                passed.Add(entry);
            }
        }

        var comparer = new RankingComparer(_options.RankBy);
        passed.Sort(comparer);
        int cutByTopK = 0;
        if (topK is { } k && passed.Count > k)
        {
            cutByTopK = passed.Count - k;
            passed.RemoveRange(k, cutByTopK);
        }

        List<DigestEntry> selected;
        if (_options.AuthorMatches == AuthorMatchPlacement.First)
        {
            included.Sort(comparer);
            selected = [.. included, .. passed];
        }
        else
        {
            selected = [.. included, .. passed];
            selected.Sort(comparer);
        }

        return new SelectionResult
        {
            Selected = selected,
            Candidates = all.Count,
            RuleMatches = included.Count,
            CutByRelevance = cutByRelevance,
            CutByNovelty = cutByNovelty,
            CutByTopK = cutByTopK,
            IsOffline = offline,
        };
    }

    /// <summary>Orders entries best first by the given order; deterministic for any input.</summary>
    /// <param name="order">The primary order.</param>
    /// <returns>A comparer that sorts best first.</returns>
    public static IComparer<DigestEntry> CreateComparer(RankingOrder order = RankingOrder.RelevancePlusNovelty) => new RankingComparer(order);

    private static bool IsRuleMatch(PaperScore score) => score.Origin is ScoreOrigin.AuthorMatch or ScoreOrigin.KeywordRule;

    private sealed class RankingComparer(RankingOrder order) : IComparer<DigestEntry>
    {
        public int Compare(DigestEntry? x, DigestEntry? y)
        {
            if (ReferenceEquals(x, y))
            {
                return 0;
            }

            if (x is null)
            {
                return 1;
            }

            if (y is null)
            {
                return -1;
            }

            var a = x.Score;
            var b = y.Score;
            int c = order == RankingOrder.RelevancePlusNovelty
                ? Sum(b).CompareTo(Sum(a))
                : (b.Relevance ?? 0).CompareTo(a.Relevance ?? 0) is var byRelevance and not 0
                    ? byRelevance
                    : (b.Novelty ?? 0).CompareTo(a.Novelty ?? 0);
            if (c != 0)
            {
                return c;
            }

            c = (b.Relevance ?? 0).CompareTo(a.Relevance ?? 0);
            if (c != 0)
            {
                return c;
            }

            // A continuous score breaks ties; a paper without one sorts after those that have one.
            c = (b.Score ?? double.NegativeInfinity).CompareTo(a.Score ?? double.NegativeInfinity);
            if (c != 0)
            {
                return c;
            }

            c = x.Paper.Id.CompareTo(y.Paper.Id);
            return c;
        }

        private static int Sum(PaperScore s) => (s.Relevance ?? 0) + (s.Novelty ?? 0);
    }
}

/// <summary>The papers a <see cref="PaperSelector"/> chose, and how many each rule cut.</summary>
public sealed record SelectionResult
{
    /// <summary>Gets the selected papers, best first.</summary>
    public IReadOnlyList<DigestEntry> Selected { get; init; } = [];

    /// <summary>Gets the number of candidates considered.</summary>
    public int Candidates { get; init; }

    /// <summary>Gets the number of papers included by a rule (author match, keyword rule); they are always selected.</summary>
    public int RuleMatches { get; init; }

    /// <summary>Gets the number of papers cut for a relevance below the cut-off.</summary>
    public int CutByRelevance { get; init; }

    /// <summary>Gets the number of papers cut for a novelty below the cut-off.</summary>
    public int CutByNovelty { get; init; }

    /// <summary>Gets the number of papers that passed the cut-offs but fell outside the top-K.</summary>
    public int CutByTopK { get; init; }

    /// <summary>Gets a value indicating whether this was an offline selection (the scorer judged no novelty).</summary>
    public bool IsOffline { get; init; }
}
