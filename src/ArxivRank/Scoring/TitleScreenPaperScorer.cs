using ArxivRank.Pipeline;

namespace ArxivRank.Scoring;

/// <summary>
/// A cheap title-only pass with a chat model in front of any scorer: papers the model finds clearly outside the reader's
/// topics end with relevance 1 (<c>Title screen: …</c>) and only the rest reach the inner scorer. A failed screen keeps
/// every paper of its batch. Its identity adds the screen's model and prompt to the inner scorer's criteria hash.
/// </summary>
internal sealed class TitleScreenPaperScorer : DelegatingPaperScorer
{
    private readonly LlmPaperScorer _screen;

    public TitleScreenPaperScorer(IPaperScorer inner, LlmPaperScorer screen)
        : base(inner)
    {
        ArgumentNullException.ThrowIfNull(screen);
        _screen = screen;
    }

    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is null && serviceType == typeof(ScorerMetadata))
        {
            var inner = ScorerIdentity.Of(InnerScorer);
            string? hash = inner?.CriteriaHash is { } h ? ScoreCacheKeys.HashCriteria(h, "title-screen", _screen.ModelKey, _screen.CriteriaHash) : null;
            return inner is null ? null : new ScorerMetadata(inner.ModelId, hash, inner.CriteriaText);
        }

        return base.GetService(serviceType, serviceKey);
    }

    public override async Task<ScoringResult> ScoreAsync(IReadOnlyList<Paper> papers, IProgress<ScoringProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(papers);
        if (papers.Count == 0)
        {
            return new ScoringResult();
        }

        var screened = await _screen.ScoreAsync(papers, progress: null, cancellationToken).ConfigureAwait(false);
        var dropped = screened.Scores.Where(s => s.Comment == LlmPaperScorer.ScreenedOutComment).ToList();
        var droppedIds = new HashSet<string>(dropped.Select(s => s.PaperId.Id), StringComparer.Ordinal);
        var kept = papers.Where(p => !droppedIds.Contains(p.Id.Id)).ToList();
        progress?.Report(new ScoringProgress(dropped.Count, papers.Count));

        ScoringResult inner;
        try
        {
            inner = kept.Count == 0 ? new ScoringResult() : await InnerScorer.ScoreAsync(kept, OffsetProgress.Create(progress, dropped.Count, papers.Count), cancellationToken).ConfigureAwait(false);
        }
        catch (ScoringException ex) when (ex.PartialResult is { } partial)
        {
            throw new ScoringException(ex.Message, ex) { PartialResult = Merge(dropped, screened, partial) };
        }

        return Merge(dropped, screened, inner);
    }

    private static ScoringResult Merge(List<PaperScore> dropped, ScoringResult screened, ScoringResult inner) => new()
    {
        Scores = [.. dropped, .. inner.Scores],
        Unscored = inner.Unscored,
        Usage = UsageMath.Merge([.. screened.Usage, .. inner.Usage]),
    };
}
