namespace ArxivRank.Scoring;

/// <summary>What a paper is worth to this reader: an LLM judging against the reader's criteria, a lexical or learned model, or anything else.</summary>
/// <remarks>
/// Every paper passed in ends in exactly one of <see cref="ScoringResult.Scores"/> or <see cref="ScoringResult.Unscored"/>
/// (with the reason): a scorer never drops a paper silently.
/// </remarks>
public interface IPaperScorer
{
    /// <summary>Scores the papers.</summary>
    /// <param name="papers">The papers to score.</param>
    /// <param name="progress">Receives progress as batches complete; may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the scoring.</param>
    /// <returns>A score or an unscored reason for every paper, and the usage spent.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="papers"/> is <see langword="null"/>.</exception>
    /// <exception cref="ScoringException">Too many papers failed to be scored for the result to mean anything.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    Task<ScoringResult> ScoreAsync(IReadOnlyList<Paper> papers, IProgress<ScoringProgress>? progress = null, CancellationToken cancellationToken = default);
}

/// <summary>Progress of a scoring run.</summary>
/// <param name="Completed">Papers finished so far (scored or given up).</param>
/// <param name="Total">Papers in the run.</param>
public readonly record struct ScoringProgress(int Completed, int Total);
