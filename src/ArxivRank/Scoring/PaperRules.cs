namespace ArxivRank.Scoring;

/// <summary>
/// Rules applied before any scorer runs, so they cost no tokens: followed authors (their papers enter as
/// "Author match"), blocked authors, and keywords that include or exclude a paper outright.
/// </summary>
/// <remarks>
/// <para>Author names match tolerantly: TeX escapes and accents are folded (<c>Christopher R\'e</c> = <c>Christopher Re</c>),
/// case is ignored, hyphens count as spaces, an initial matches a given name (<c>Y. Bengio</c> = <c>Yoshua Bengio</c>), and
/// middle names may be left out (<c>Charlie Tan</c> = <c>Charlie B. Tan</c>). The last name must always match; a name
/// written <c>Last, First</c> is read as <c>First Last</c>.</para>
/// <para>Keywords match whole words in the title and abstract, folded the same way (<c>federated learning</c>).</para>
/// <para>Order: a blocked author wins over everything, then a followed author, then an exclude keyword, then an include keyword.</para>
/// </remarks>
public sealed record PaperRules
{
    /// <summary>Gets the authors whose papers enter as "Author match", unscored and free.</summary>
    public IReadOnlyList<string> FollowedAuthors { get; init; } = [];

    /// <summary>Gets the authors whose papers are excluded (kept in the result with relevance 1 and the reason).</summary>
    public IReadOnlyList<string> BlockedAuthors { get; init; } = [];

    /// <summary>Gets keywords whose papers enter without scoring (origin <see cref="ScoreOrigin.KeywordRule"/>).</summary>
    public IReadOnlyList<string> IncludeKeywords { get; init; } = [];

    /// <summary>Gets keywords whose papers are excluded without scoring (kept in the result with relevance 1 and the reason).</summary>
    public IReadOnlyList<string> ExcludeKeywords { get; init; } = [];

    /// <summary>Gets a value indicating whether there is no rule at all.</summary>
    public bool IsEmpty => FollowedAuthors.Count == 0 && BlockedAuthors.Count == 0 && IncludeKeywords.Count == 0 && ExcludeKeywords.Count == 0;

    /// <summary>Determines whether both hold the same rules, list by list and in order.</summary>
    internal bool SameRulesAs(PaperRules other)
        => FollowedAuthors.SequenceEqual(other.FollowedAuthors, StringComparer.Ordinal)
            && BlockedAuthors.SequenceEqual(other.BlockedAuthors, StringComparer.Ordinal)
            && IncludeKeywords.SequenceEqual(other.IncludeKeywords, StringComparer.Ordinal)
            && ExcludeKeywords.SequenceEqual(other.ExcludeKeywords, StringComparer.Ordinal);

    /// <summary>Gets the rules written in a criteria file (its followed and blocked authors).</summary>
    /// <param name="criteria">The criteria.</param>
    /// <returns>The rules.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="criteria"/> is <see langword="null"/>.</exception>
    public static PaperRules FromCriteria(ScoringCriteria criteria)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        return new PaperRules { FollowedAuthors = criteria.FollowedAuthors, BlockedAuthors = criteria.BlockedAuthors };
    }
}
