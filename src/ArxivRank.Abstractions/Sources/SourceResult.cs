using System.Text.Json.Serialization;

namespace ArxivRank.Sources;

/// <summary>What an <see cref="IArxivSource"/> returned.</summary>
public sealed record SourceResult
{
    /// <summary>Gets whether the source had a new announcement.</summary>
    public FetchStatus Status { get; init; } = FetchStatus.Fetched;

    /// <summary>Gets the announcement day the papers belong to (US Eastern), when the source knows it.</summary>
    public DateOnly? AnnouncementDate { get; init; }

    /// <summary>Gets the papers kept after filters, each once (cross-listed duplicates merged).</summary>
    public IReadOnlyList<Paper> Papers { get; init; } = [];

    /// <summary>Gets the counts of the day.</summary>
    public SourceCounts Counts { get; init; } = new();

    /// <summary>Gets one diagnostic per skipped item or notable condition (a stale feed, a deleted record).</summary>
    public IReadOnlyList<SourceDiagnostic> Diagnostics { get; init; } = [];

    /// <summary>Creates the result of a day with no new announcement (weekend, holiday, or a feed still showing the last one processed).</summary>
    /// <param name="announcementDate">The date the feed showed, when it showed one.</param>
    /// <param name="diagnostics">Diagnostics gathered on the way.</param>
    /// <returns>A result with <see cref="FetchStatus.NoNewAnnouncement"/> and no papers.</returns>
    public static SourceResult NoNewAnnouncement(DateOnly? announcementDate, IReadOnlyList<SourceDiagnostic>? diagnostics = null)
        => new() { Status = FetchStatus.NoNewAnnouncement, AnnouncementDate = announcementDate, Diagnostics = diagnostics ?? [] };
}

/// <summary>Whether a fetch found a new announcement. In JSON: <c>fetched</c>, <c>no-new-announcement</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FetchStatus>))]
public enum FetchStatus
{
    /// <summary>Papers were fetched (the list may still be empty after filters).</summary>
    [JsonStringEnumMemberName("fetched")]
    Fetched = 0,

    /// <summary>No new announcement: a weekend, a holiday, or the feed still shows the announcement already processed. Not an error.</summary>
    [JsonStringEnumMemberName("no-new-announcement")]
    NoNewAnnouncement,
}

/// <summary>The counts of a fetch, which the digest shows.</summary>
public sealed record SourceCounts
{
    /// <summary>Gets the number of items in the response(s), before any filter.</summary>
    public int TotalItems { get; init; }

    /// <summary>Gets the number of items kept after the announce-type and category filters.</summary>
    public int Kept { get; init; }

    /// <summary>Gets the number of distinct papers among those kept.</summary>
    public int Unique { get; init; }

    /// <summary>Gets the number of items skipped because they could not be used (each has a diagnostic).</summary>
    public int Skipped { get; init; }
}

/// <summary>A problem or notable condition met while fetching.</summary>
/// <param name="Severity">How serious it is.</param>
/// <param name="Code">A stable, machine-readable code (<c>stale-feed</c>, <c>item-missing-id</c>, <c>deleted-record</c>).</param>
/// <param name="Message">What happened, for a person.</param>
public sealed record SourceDiagnostic(DiagnosticSeverity Severity, string Code, string Message)
{
    /// <summary>Gets the URL of the response concerned, when there is one.</summary>
    public Uri? Url { get; init; }

    /// <summary>Gets where in the response it happened (item index, line and column), when known.</summary>
    public string? Position { get; init; }

    /// <summary>Gets the paper concerned, when known.</summary>
    public ArxivId? PaperId { get; init; }

    /// <summary>Gets the category concerned (for a stale feed), when there is one.</summary>
    public string? Category { get; init; }
}

/// <summary>How serious a diagnostic is. In JSON: <c>info</c>, <c>warning</c>, <c>error</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DiagnosticSeverity>))]
public enum DiagnosticSeverity
{
    /// <summary>For information; nothing was lost.</summary>
    [JsonStringEnumMemberName("info")]
    Info = 0,

    /// <summary>Something was skipped or may be wrong; the rest is usable.</summary>
    [JsonStringEnumMemberName("warning")]
    Warning,

    /// <summary>Something could not be used at all.</summary>
    [JsonStringEnumMemberName("error")]
    Error,
}
