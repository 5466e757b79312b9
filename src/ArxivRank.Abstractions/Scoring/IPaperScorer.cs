namespace ArxivRank.Scoring;

/// <summary>What a paper is worth to this reader: an LLM judging against the reader's criteria, a lexical or learned model, or anything else.</summary>
/// <remarks>
/// Every paper passed in ends in exactly one of <see cref="ScoringResult.Scores"/> or <see cref="ScoringResult.Unscored"/>
/// (with the reason): a scorer never drops a paper silently.
/// <para>Implementations are used from one run at a time but may be shared between runs: keep per-call state in locals.
/// Stack behaviour on top of a scorer by deriving from <see cref="DelegatingPaperScorer"/>. What a scorer must fill in is
/// described in <c>docs/extending.md</c>.</para>
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

    /// <summary>Asks the scorer, or a scorer it wraps, for an object of the given type, in the manner of <c>IChatClient.GetService</c>.</summary>
    /// <remarks>
    /// Ask for <see cref="ScorerMetadata"/> to learn the scorer's identity (model id, criteria hash, criteria text): the
    /// score cache keys scores with it. The default implementation returns the scorer itself when it is of the type asked
    /// for; a scorer that can be cached returns its <see cref="ScorerMetadata"/> too, and a <see cref="DelegatingPaperScorer"/>
    /// asks its inner scorer for what it cannot answer.
    /// </remarks>
    /// <param name="serviceType">The type of object asked for.</param>
    /// <param name="serviceKey">An optional key; the default implementation answers only unkeyed requests.</param>
    /// <returns>The object, or <see langword="null"/> when the scorer has none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="serviceType"/> is <see langword="null"/>.</exception>
    object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
    }
}

/// <summary>Progress of a scoring run.</summary>
/// <param name="Completed">Papers finished so far (scored or given up).</param>
/// <param name="Total">Papers in the run.</param>
public readonly record struct ScoringProgress(int Completed, int Total);
