namespace ArxivRank.Selection;

/// <summary>How the scored papers of a day become a digest: cut-offs, ranking, top-K and where author matches go.</summary>
/// <remarks>
/// <para>
/// Cut-offs apply only to what a scorer provides: a paper whose scorer left <see cref="Scoring.PaperScore.Novelty"/>
/// empty is never cut for novelty. Papers included by a rule (author match, keyword rule) are never cut and never count
/// towards <see cref="TopK"/>.
/// </para>
/// <para>
/// A run whose scorer judges no novelty at all (the offline lexical and embedding scorers, or any relevance-only scorer)
/// is an <em>offline selection</em>: no novelty cut-off, and unless <see cref="TopK"/> is set the digest holds at most
/// <see cref="OfflineTopK"/> papers. <see cref="MinRelevance"/> still applies (set <see cref="ApplyCutOffsOffline"/> to
/// <see langword="false"/> to keep only the top-K). The pipeline states the switch in <c>DigestRunResult.Warnings</c>.
/// </para>
/// </remarks>
public sealed class SelectionOptions
{
    /// <summary>Gets or sets the lowest relevance (1–10) a scored paper needs to enter the digest.</summary>
    /// <value>7 by default (the loosest cut-off of the reference digests); <see langword="null"/> for no relevance cut-off.</value>
    public int? MinRelevance { get; set; } = 7;

    /// <summary>Gets or sets the lowest novelty (1–10) a scored paper needs, when its scorer judged novelty.</summary>
    /// <value>6 by default; <see langword="null"/> for no novelty cut-off.</value>
    public int? MinNovelty { get; set; } = 6;

    /// <summary>Gets or sets the largest number of scored papers in the digest (after the cut-offs, best first).</summary>
    /// <value><see langword="null"/> by default: every paper that passes the cut-offs.</value>
    public int? TopK { get; set; }

    /// <summary>Gets or sets how many papers an offline selection keeps when <see cref="TopK"/> is not set.</summary>
    /// <value>20 by default.</value>
    public int OfflineTopK { get; set; } = 20;

    /// <summary>Gets or sets a value indicating whether an offline selection applies <see cref="MinRelevance"/> as well as its top-K.</summary>
    /// <value><see langword="true"/> by default, so a relevance-only scorer's relevance-1 papers never reach the digest.</value>
    public bool ApplyCutOffsOffline { get; set; } = true;

    /// <summary>Gets or sets the order of the digest.</summary>
    /// <value><see cref="RankingOrder.RelevancePlusNovelty"/> by default.</value>
    public RankingOrder RankBy { get; set; } = RankingOrder.RelevancePlusNovelty;

    /// <summary>Gets or sets where papers included by a rule (followed authors, keyword rules) go.</summary>
    /// <value><see cref="AuthorMatchPlacement.First"/> by default, as in the digests our users read today.</value>
    public AuthorMatchPlacement AuthorMatches { get; set; } = AuthorMatchPlacement.First;

    /// <summary>Returns a copy of these options.</summary>
    /// <returns>A new instance with the same values.</returns>
    public SelectionOptions Clone() => (SelectionOptions)MemberwiseClone();

    /// <summary>Lists what is wrong with these options, each message naming the option.</summary>
    /// <param name="prefix">The name the options are known by (<c>SelectionOptions</c>, <c>DigestPipelineOptions.Selection</c>).</param>
    /// <returns>The problems; empty when the options are valid.</returns>
    internal IEnumerable<string> Validate(string prefix = nameof(SelectionOptions))
    {
        if (MinRelevance is { } r && r is < 1 or > 10)
        {
            yield return $"{prefix}.{nameof(MinRelevance)} must be between 1 and 10, or null for no cut-off (was {r}).";
        }

        if (MinNovelty is { } n && n is < 1 or > 10)
        {
            yield return $"{prefix}.{nameof(MinNovelty)} must be between 1 and 10, or null for no cut-off (was {n}).";
        }

        if (TopK is { } k && k < 1)
        {
            yield return $"{prefix}.{nameof(TopK)} must be at least 1, or null for no limit (was {k}).";
        }

        if (OfflineTopK < 1)
        {
            yield return $"{prefix}.{nameof(OfflineTopK)} must be at least 1 (was {OfflineTopK}).";
        }

        if (!Enum.IsDefined(RankBy))
        {
            yield return $"{prefix}.{nameof(RankBy)} has an unknown value ({(int)RankBy}).";
        }

        if (!Enum.IsDefined(AuthorMatches))
        {
            yield return $"{prefix}.{nameof(AuthorMatches)} has an unknown value ({(int)AuthorMatches}).";
        }
    }
}

/// <summary>The order of a digest. Ties always break by relevance, then by the scorer's continuous score, then by arXiv id (so the order is deterministic).</summary>
public enum RankingOrder
{
    /// <summary>By relevance + novelty (a missing value counts as 0), as the digests our users read today.</summary>
    RelevancePlusNovelty = 0,

    /// <summary>By relevance, then novelty.</summary>
    Relevance,
}

/// <summary>Where papers included by a rule (followed authors, keyword rules) go in a digest.</summary>
public enum AuthorMatchPlacement
{
    /// <summary>Before every scored paper (in ranking order among themselves).</summary>
    First = 0,

    /// <summary>Among the scored papers, by their scores (a rule match without scores sorts last).</summary>
    Ranked,
}
