using ArxivRank.Scoring;

namespace ArxivRank.Ranking;

/// <summary>Ranks papers with a <see cref="LearnedRanker"/>: no model call, no tokens, every paper scored.</summary>
internal sealed class LearnedPaperScorer(LearnedRanker ranker) : IPaperScorer
{
    private const int ProgressEvery = 256;

    public object? GetService(Type serviceType, object? serviceKey = null)
        => ScorerIdentity.Answer(this, serviceType, serviceKey, criteria: null, () => new ScorerMetadata(LearnedRanker.ScorerName));

    public Task<ScoringResult> ScoreAsync(IReadOnlyList<Paper> papers, IProgress<ScoringProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(papers);
        var scratch = new LearnedRanker.Scratch();
        var scores = new PaperScore[papers.Count];
        for (int i = 0; i < papers.Count; i++)
        {
            if (i % ProgressEvery == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (i > 0)
                {
                    progress?.Report(new ScoringProgress(i, papers.Count));
                }
            }

            var paper = papers[i] ?? throw new ArgumentNullException(nameof(papers), $"The paper at index {i} is null.");
            scores[i] = ranker.Score(paper, scratch);
        }

        progress?.Report(new ScoringProgress(papers.Count, papers.Count));
        return Task.FromResult(new ScoringResult { Scores = scores });
    }
}
