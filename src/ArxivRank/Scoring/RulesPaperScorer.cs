namespace ArxivRank.Scoring;

/// <summary>Applies <see cref="PaperRules"/> first and hands only the remaining papers to the inner scorer.</summary>
internal sealed class RulesPaperScorer : IPaperScorer
{
    private readonly IPaperScorer _inner;
    private readonly PaperRuleEngine _rules;

    public RulesPaperScorer(IPaperScorer inner, PaperRules rules)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(rules);
        _inner = inner;
        _rules = new PaperRuleEngine(rules);
    }

    public async Task<ScoringResult> ScoreAsync(IReadOnlyList<Paper> papers, IProgress<ScoringProgress>? progress = null, CancellationToken cancellationToken = default)
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
        var offset = progress is null ? null : new Progress(progress, decided.Count, papers.Count);
        ScoringResult inner;
        try
        {
            inner = rest.Count == 0 ? new ScoringResult() : await _inner.ScoreAsync(rest, offset, cancellationToken).ConfigureAwait(false);
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

    private sealed class Progress(IProgress<ScoringProgress> outer, int offset, int total) : IProgress<ScoringProgress>
    {
        public void Report(ScoringProgress value) => outer.Report(new ScoringProgress(offset + value.Completed, total));
    }
}
