using ArxivRank.Rendering;
using ArxivRank.Scoring;
using ArxivRank.Sources;

namespace ArxivRank.Pipeline;

/// <summary>What one run of the <see cref="DigestPipeline"/> should do, beyond its configured options.</summary>
public sealed record DigestRunRequest
{
    /// <summary>Gets a value indicating whether to regenerate the digest of a day already processed (from cached scores where there are).</summary>
    public bool Force { get; init; }

    /// <summary>Gets the announcement day to build, for sources that can go back in time (the export API); <see langword="null"/> for the latest.</summary>
    public DateOnly? Date { get; init; }

    /// <summary>Gets a query that replaces the one built from the options (categories, announce types, <see cref="Date"/>).</summary>
    public ArxivQuery? Query { get; init; }

    /// <summary>Gets a value indicating whether to stop before scoring: fetch, filter and look the cache up, call no model, write nothing.</summary>
    /// <remarks>The result's <see cref="DigestRunResult.PapersToScore"/> lists what a real run would send to the scorer, to estimate tokens and cost.</remarks>
    public bool DryRun { get; init; }
}

/// <summary>How a run of the <see cref="DigestPipeline"/> ended.</summary>
public enum DigestRunStatus
{
    /// <summary>The digest was rendered and written, and the day marked processed.</summary>
    Written = 0,

    /// <summary>No new announcement (a weekend, a holiday, or a day already processed); nothing was written.</summary>
    NoNewAnnouncement,

    /// <summary>A dry run: papers were fetched and filtered, no model was called, nothing was written.</summary>
    DryRun,

    /// <summary>
    /// The digest was built (<see cref="DigestRunResult.Digest"/>) but the pipeline has no renderer: nothing was written and
    /// the day was not marked processed, so a later run with a renderer builds it again (from cached scores).
    /// </summary>
    NotRendered,
}

/// <summary>
/// A warning about something that changed the run's outcome (a guessed announcement day, scores not cached, no renderer,
/// an offline selection). Warnings reach <see cref="DigestRunResult.Warnings"/> whether or not a logger is configured.
/// </summary>
/// <param name="Code">A stable code from <see cref="DigestRunWarningCodes"/>.</param>
/// <param name="Message">What happened and what to do, for a person.</param>
public sealed record DigestRunWarning(string Code, string Message);

/// <summary>The codes of <see cref="DigestRunWarning"/>.</summary>
public static class DigestRunWarningCodes
{
    /// <summary>The source named no announcement day: the digest is filed under the papers' most common day, or today.</summary>
    public const string AnnouncementDateGuessed = "announcement-date-guessed";

    /// <summary>Scores are not cached because the scorer names no identity (<c>ScorerMetadata</c>), so every re-run pays again.</summary>
    public const string ScoreCacheOff = "score-cache-off";

    /// <summary>No renderer is configured: nothing was written and the day was not marked processed.</summary>
    public const string NoRenderer = "no-renderer";

    /// <summary>The scorer judged no novelty, so the selection was an offline one (no novelty cut-off, <c>OfflineTopK</c>).</summary>
    public const string OfflineSelection = "offline-selection";
}

/// <summary>What one run of the <see cref="DigestPipeline"/> produced: the digest and its statistics.</summary>
public sealed record DigestRunResult
{
    /// <summary>Gets how the run ended.</summary>
    public required DigestRunStatus Status { get; init; }

    /// <summary>Gets the announcement day, when known.</summary>
    public DateOnly? AnnouncementDate { get; init; }

    /// <summary>Gets the digest, when one was produced (<see cref="DigestRunStatus.Written"/>).</summary>
    public Digest? Digest { get; init; }

    /// <summary>Gets why there was nothing new, for a person, when <see cref="Status"/> is <see cref="DigestRunStatus.NoNewAnnouncement"/>.</summary>
    public string? Reason { get; init; }

    /// <summary>Gets the run's counts, usage and timings.</summary>
    public DigestRunStatistics Statistics { get; init; } = new();

    /// <summary>Gets the source's diagnostics (skipped items, stale feeds).</summary>
    public IReadOnlyList<SourceDiagnostic> Diagnostics { get; init; } = [];

    /// <summary>Gets the names of the outputs written (<c>2025-02-26.md</c>), in order.</summary>
    public IReadOnlyList<string> Outputs { get; init; } = [];

    /// <summary>Gets, for a dry run, the papers that a real run would send to the scorer (not answered by the cache).</summary>
    public IReadOnlyList<Paper> PapersToScore { get; init; } = [];

    /// <summary>Gets the warnings about what changed the outcome (see <see cref="DigestRunWarningCodes"/>), in the order they arose; empty when none.</summary>
    /// <remarks>They are also logged; here they reach a caller that configured no logger. The <c>arxivrank</c> CLI prints them.</remarks>
    public IReadOnlyList<DigestRunWarning> Warnings { get; init; } = [];

    /// <summary>
    /// Gets every paper scored in a written run with its score (selected or not), for recording the day's judgments as
    /// training labels (<c>LabelStoreExtensions.RecordRunAsync</c>); empty for other outcomes.
    /// </summary>
    public IReadOnlyList<DigestEntry> Scored { get; init; } = [];
}

/// <summary>The counts, usage and timings of a digest run.</summary>
public sealed record DigestRunStatistics
{
    /// <summary>Gets the number of items in the source's response(s), before any filter.</summary>
    public int TotalItems { get; init; }

    /// <summary>Gets the number of papers the source returned.</summary>
    public int Fetched { get; init; }

    /// <summary>Gets the number of duplicate papers removed (same id, any version).</summary>
    public int Duplicates { get; init; }

    /// <summary>Gets the number of papers left out because they were seen on an earlier announcement day.</summary>
    public int SeenBefore { get; init; }

    /// <summary>Gets the number of papers kept for scoring.</summary>
    public int Kept { get; init; }

    /// <summary>Gets the number of papers with a score (from the scorer, the cache, or a rule).</summary>
    public int Scored { get; init; }

    /// <summary>Gets the number of scores that came from the score cache.</summary>
    public int FromCache { get; init; }

    /// <summary>Gets the papers that could not be scored, each with the reason.</summary>
    public IReadOnlyList<UnscoredPaper> Unscored { get; init; } = [];

    /// <summary>Gets the number of papers selected into the digest.</summary>
    public int Selected { get; init; }

    /// <summary>Gets a value indicating whether the selection was an offline one: the scorer judged no novelty (see <c>SelectionOptions</c>).</summary>
    public bool OfflineSelection { get; init; }

    /// <summary>Gets the tokens and cost spent, one entry per model (empty when every score came from the cache).</summary>
    public IReadOnlyList<ModelUsage> Usage { get; init; } = [];

    /// <summary>Gets what each stage did and how long it took, in order.</summary>
    public IReadOnlyList<StageStatistics> Stages { get; init; } = [];

    /// <summary>Gets the run's total time.</summary>
    public TimeSpan Elapsed { get; init; }
}

/// <summary>A stage of the digest pipeline, as reported by <see cref="PipelineProgress"/>.</summary>
public enum PipelineStage
{
    /// <summary>Fetching the announcement from the source.</summary>
    Fetch = 0,

    /// <summary>Removing duplicate papers.</summary>
    Dedupe,

    /// <summary>Leaving out papers seen on an earlier day.</summary>
    Seen,

    /// <summary>Scoring (score cache, rules, title screen and the scorer).</summary>
    Score,

    /// <summary>Selecting and ordering the digest.</summary>
    Select,

    /// <summary>Rendering and writing the outputs.</summary>
    Render,

    /// <summary>Recording the day in the store.</summary>
    Store,
}

/// <summary>Progress of a digest run, reported as each stage starts, advances and ends.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="Completed">Papers done in the stage so far (for render: the selected papers; for store: the papers recorded as seen).</param>
/// <param name="Total">Papers the stage handles; 0 when not known yet (fetch).</param>
public readonly record struct PipelineProgress(PipelineStage Stage, int Completed, int Total)
{
    /// <summary>Gets the stage's name as used in <see cref="StageStatistics.Stage"/> (<c>fetch</c>, <c>score</c>…).</summary>
    public string StageName => StageNames.Of(Stage);
}

/// <summary>The names of the pipeline stages in <see cref="StageStatistics"/>.</summary>
public static class StageNames
{
    /// <summary>Gets the name of a stage: <c>fetch</c>, <c>dedupe</c>, <c>seen</c>, <c>score</c>, <c>select</c>, <c>render</c>, <c>store</c>.</summary>
    /// <param name="stage">The stage.</param>
    /// <returns>Its lowercase name.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stage"/> is not a defined stage.</exception>
    public static string Of(PipelineStage stage) => stage switch
    {
        PipelineStage.Fetch => "fetch",
        PipelineStage.Dedupe => "dedupe",
        PipelineStage.Seen => "seen",
        PipelineStage.Score => "score",
        PipelineStage.Select => "select",
        PipelineStage.Render => "render",
        PipelineStage.Store => "store",
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, "Unknown pipeline stage."),
    };
}
