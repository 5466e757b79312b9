namespace ArxivRank.Sources;

/// <summary>What to fetch from an <see cref="IArxivSource"/>. Each source documents which parts it honors.</summary>
public sealed record ArxivQuery
{
    /// <summary>Gets the categories (<c>cs.LG</c>, <c>cs.AI</c>) or archives (<c>cs</c>) to fetch.</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>Gets the specific papers to fetch; when not empty, the other filters are ignored by sources that support id lists.</summary>
    public IReadOnlyList<ArxivId> Ids { get; init; } = [];

    /// <summary>Gets the first day of a date range (inclusive), for backfill sources.</summary>
    public DateOnly? From { get; init; }

    /// <summary>Gets the last day of a date range (inclusive), for backfill sources.</summary>
    public DateOnly? Until { get; init; }

    /// <summary>Gets the announce types to keep.</summary>
    /// <value>New submissions and cross-lists by default; replacements are left out.</value>
    public IReadOnlySet<AnnounceType> AnnounceTypes { get; init; } = new HashSet<AnnounceType> { AnnounceType.New, AnnounceType.Cross };

    /// <summary>Gets a value indicating whether to keep only papers whose primary category is one of <see cref="Categories"/>.</summary>
    public bool PrimaryCategoryOnly { get; init; }

    /// <summary>Gets the announcement day already processed, if any; a feed still showing it reports <see cref="FetchStatus.NoNewAnnouncement"/>.</summary>
    public DateOnly? LastProcessedAnnouncement { get; init; }
}
