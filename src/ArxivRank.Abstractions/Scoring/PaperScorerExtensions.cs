namespace ArxivRank.Scoring;

/// <summary>Conveniences over <see cref="IPaperScorer"/>.</summary>
public static class PaperScorerExtensions
{
    /// <summary>Asks the scorer, or a scorer it wraps, for an object of type <typeparamref name="TService"/>.</summary>
    /// <typeparam name="TService">The type asked for, such as <see cref="ScorerMetadata"/>.</typeparam>
    /// <param name="scorer">The scorer.</param>
    /// <param name="serviceKey">An optional key.</param>
    /// <returns>The object, or <see langword="null"/> when the scorer has none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="scorer"/> is <see langword="null"/>.</exception>
    public static TService? GetService<TService>(this IPaperScorer scorer, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        return scorer.GetService(typeof(TService), serviceKey) is TService service ? service : default;
    }
}
