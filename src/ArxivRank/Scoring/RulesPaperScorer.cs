using ArxivRank.Pipeline;

namespace ArxivRank.Scoring;

/// <summary>
/// Applies <see cref="PaperRules"/> first and hands only the remaining papers to the inner scorer. Passes the inner
/// scorer's fingerprint on, with the rules added to the hash (a rule verdict must not outlive its rule in a cache).
/// </summary>
internal sealed class RulesPaperScorer : DelegatingPaperScorer, IScorerFingerprint
{
    private readonly PaperRuleEngine _rules;
    private readonly ScorerMetadata? _innerIdentity;

    public RulesPaperScorer(IPaperScorer inner, PaperRules rules)
        : base(inner)
    {
        ArgumentNullException.ThrowIfNull(rules);
        Rules = rules;
        _rules = new PaperRuleEngine(rules);
        _innerIdentity = ScorerIdentity.Of(inner);
        ModelId = _innerIdentity?.ModelId ?? string.Empty;
        CriteriaHash = _innerIdentity?.CriteriaHash is not { } innerHash
            ? string.Empty
            : ScoreCacheKeys.HashCriteria(
                innerHash,
                "followed:" + string.Join('\n', rules.FollowedAuthors),
                "blocked:" + string.Join('\n', rules.BlockedAuthors),
                "include:" + string.Join('\n', rules.IncludeKeywords),
                "exclude:" + string.Join('\n', rules.ExcludeKeywords));
    }

    /// <summary>Gets the rules applied.</summary>
    public PaperRules Rules { get; }

    /// <summary>Gets the inner scorer's model id, or empty when it names none.</summary>
    public string ModelId { get; }

    /// <summary>Gets the inner scorer's hash combined with the rules, or empty when the inner scorer is not cacheable.</summary>
    public string CriteriaHash { get; }

    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is null && serviceType == typeof(ScorerMetadata))
        {
            return _innerIdentity is null ? null : new ScorerMetadata(ModelId, CriteriaHash, _innerIdentity.CriteriaText);
        }

        return serviceKey is null && serviceType == typeof(PaperRules) ? Rules : base.GetService(serviceType, serviceKey);
    }

    public override async Task<ScoringResult> ScoreAsync(IReadOnlyList<Paper> papers, IProgress<ScoringProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(papers);
        var decided = new Dictionary<Paper, PaperScore>(ReferenceEqualityComparer.Instance);
        var rest = new List<Paper>(papers.Count);
        foreach (var paper in papers)
        {
            ArgumentNullException.ThrowIfNull(paper, nameof(papers));
            if (_rules.Evaluate(paper) is { } verdict)
            {
                decided[paper] = verdict;
            }
            else
            {
                rest.Add(paper);
            }
        }

        progress?.Report(new ScoringProgress(decided.Count, papers.Count));
        var offset = OffsetProgress.Create(progress, decided.Count, papers.Count);
        ScoringResult inner;
        try
        {
            inner = rest.Count == 0 ? new ScoringResult() : await InnerScorer.ScoreAsync(rest, offset, cancellationToken).ConfigureAwait(false);
        }
        catch (ScoringException ex) when (ex.PartialResult is { } partial)
        {
            throw new ScoringException(ex.Message, ex) { PartialResult = Merge(papers, decided, partial) };
        }

        return Merge(papers, decided, inner);
    }

    private static ScoringResult Merge(IReadOnlyList<Paper> papers, Dictionary<Paper, PaperScore> decided, ScoringResult inner)
    {
        var byId = inner.Scores.GroupBy(s => s.PaperId.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => new Queue<PaperScore>(g), StringComparer.Ordinal);
        var scores = new List<PaperScore>(papers.Count);
        foreach (var paper in papers)
        {
            if (decided.TryGetValue(paper, out var verdict))
            {
                scores.Add(verdict);
            }
            else if (byId.TryGetValue(paper.Id.Id, out var queue) && queue.Count > 0)
            {
                scores.Add(queue.Dequeue());
            }
        }

        return inner with { Scores = scores };
    }
}
