using System.Text.Json.Serialization;

namespace ArxivRank;

/// <summary>
/// One arXiv paper as a source announced it. Text fields keep TeX exactly as arXiv sends it
/// (<c>Christopher R\'e</c>); use <see cref="TexText.ToUnicode(string?)"/> to display them.
/// </summary>
public sealed record Paper
{
    /// <summary>Gets the paper's identifier, with the version when the source carried one.</summary>
    public required ArxivId Id { get; init; }

    /// <summary>Gets the title (TeX as sent, whitespace collapsed).</summary>
    public required string Title { get; init; }

    /// <summary>Gets the authors in order, one name per item.</summary>
    /// <value>An empty list when the source named none.</value>
    public IReadOnlyList<string> Authors { get; init; } = [];

    /// <summary>Gets the abstract (TeX as sent; the RSS header line is stripped).</summary>
    /// <value>An empty string when the source had none.</value>
    public string Abstract { get; init; } = string.Empty;

    /// <summary>Gets every category of the paper, the primary one first when known (<c>cs.LG</c>, <c>stat.ML</c>).</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>Gets the primary category, when known (the API names it; in RSS the first category is taken).</summary>
    public string? PrimaryCategory { get; init; }

    /// <summary>Gets how the paper was announced (new, cross-list, replacement).</summary>
    /// <value><see cref="AnnounceType.Unknown"/> for sources that do not say.</value>
    public AnnounceType AnnounceType { get; init; } = AnnounceType.Unknown;

    /// <summary>Gets the announcement day (the feed's date in US Eastern), when the source tells it.</summary>
    public DateOnly? AnnouncedOn { get; init; }

    /// <summary>Gets when version 1 was submitted, when known.</summary>
    public DateTimeOffset? Published { get; init; }

    /// <summary>Gets when this version was submitted, when known.</summary>
    public DateTimeOffset? Updated { get; init; }

    /// <summary>Gets the authors' comments (pages, figures, venue), when given.</summary>
    public string? Comments { get; init; }

    /// <summary>Gets the journal reference, when given.</summary>
    public string? JournalReference { get; init; }

    /// <summary>Gets the DOI, when given (<c>10.1000/xyz</c>, without the <c>https://doi.org/</c> prefix).</summary>
    public string? Doi { get; init; }

    /// <summary>Gets the license URL, when given.</summary>
    public string? License { get; init; }

    /// <summary>Gets the URL of the abstract page, <c>https://arxiv.org/abs/{id}</c>.</summary>
    [JsonIgnore]
    public Uri AbsUri => Id.WithoutVersion().AbsUri;
}

/// <summary>How a paper appeared in a daily announcement. In JSON: <c>new</c>, <c>cross</c>, <c>replace</c>, <c>replace-cross</c>, <c>unknown</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AnnounceType>))]
public enum AnnounceType
{
    /// <summary>The source does not say.</summary>
    [JsonStringEnumMemberName("unknown")]
    Unknown = 0,

    /// <summary>A new submission in the listed category.</summary>
    [JsonStringEnumMemberName("new")]
    New,

    /// <summary>A new submission cross-listed from another category.</summary>
    [JsonStringEnumMemberName("cross")]
    Cross,

    /// <summary>A replacement (new version) of a paper in the listed category.</summary>
    [JsonStringEnumMemberName("replace")]
    Replace,

    /// <summary>A replacement of a cross-listed paper.</summary>
    [JsonStringEnumMemberName("replace-cross")]
    ReplaceCross,
}
