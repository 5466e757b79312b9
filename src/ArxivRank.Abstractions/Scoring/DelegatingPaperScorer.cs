namespace ArxivRank.Scoring;

/// <summary>
/// A scorer that passes every call to an inner scorer: derive from it to stack behaviour (rules, caching, logging…) on
/// top of any scorer, in the manner of <c>DelegatingChatClient</c>. Compose such layers with <c>PaperScorerBuilder</c>.
/// </summary>
/// <remarks>
/// <see cref="GetService"/> answers with this layer when it is of the type asked for, and asks the inner scorer
/// otherwise, so the inner scorer's <see cref="ScorerMetadata"/> reaches the score cache through every layer. A layer that
/// changes what the scores depend on (rules, for example) overrides <see cref="GetService"/> to answer its own metadata.
/// </remarks>
public abstract class DelegatingPaperScorer : IPaperScorer
{
    /// <summary>Initializes a new instance of the <see cref="DelegatingPaperScorer"/> class.</summary>
    /// <param name="innerScorer">The scorer calls are passed to.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerScorer"/> is <see langword="null"/>.</exception>
    protected DelegatingPaperScorer(IPaperScorer innerScorer)
    {
        ArgumentNullException.ThrowIfNull(innerScorer);
        InnerScorer = innerScorer;
    }

    /// <summary>Gets the scorer calls are passed to.</summary>
    protected IPaperScorer InnerScorer { get; }

    /// <inheritdoc/>
    public virtual Task<ScoringResult> ScoreAsync(IReadOnlyList<Paper> papers, IProgress<ScoringProgress>? progress = null, CancellationToken cancellationToken = default)
        => InnerScorer.ScoreAsync(papers, progress, cancellationToken);

    /// <inheritdoc/>
    public virtual object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : InnerScorer.GetService(serviceType, serviceKey);
    }
}
