using Microsoft.Extensions.Logging;

namespace ArxivRank;

/// <summary>Pipeline messages, event ids 5000–5999.</summary>
internal static partial class Log
{
    [LoggerMessage(5000, LogLevel.Information, "Digest run started for {Categories} (force: {Force}, dry run: {DryRun}).")]
    public static partial void PipelineRunStarting(ILogger logger, string categories, bool force, bool dryRun);

    [LoggerMessage(5001, LogLevel.Information, "Fetched {Papers} papers of the {Date} announcement ({TotalItems} items, {Diagnostics} diagnostics).")]
    public static partial void PipelineFetched(ILogger logger, int papers, string date, int totalItems, int diagnostics);

    [LoggerMessage(5002, LogLevel.Information, "No new announcement: {Reason}")]
    public static partial void PipelineNoNewAnnouncement(ILogger logger, string reason);

    [LoggerMessage(5003, LogLevel.Warning, "The source did not say which announcement day the papers belong to; using {Date} ({How}).")]
    public static partial void PipelineAnnouncementDateGuessed(ILogger logger, string date, string how);

    [LoggerMessage(5004, LogLevel.Information, "Kept {Kept} of {Fetched} papers: {Duplicates} duplicates, {SeenBefore} seen on an earlier day.")]
    public static partial void PipelineFiltered(ILogger logger, int kept, int fetched, int duplicates, int seenBefore);

    [LoggerMessage(5005, LogLevel.Information, "Scored {Scored} papers ({FromCache} from the cache), {Unscored} unscored.")]
    public static partial void PipelineScored(ILogger logger, int scored, int fromCache, int unscored);

    [LoggerMessage(5006, LogLevel.Warning, "The scorer returned neither a score nor a reason for {PaperId}; it is reported as unscored.")]
    public static partial void PipelineScorerLostPaper(ILogger logger, string paperId);

    [LoggerMessage(5007, LogLevel.Warning, "The scorer returned a score for {PaperId}, which was not among the papers to score; it is ignored.")]
    public static partial void PipelineScorerUnknownPaper(ILogger logger, string paperId);

    [LoggerMessage(5008, LogLevel.Information, "Selected {Selected} of {Candidates} papers ({RuleMatches} by rule; cut: {CutByRelevance} relevance, {CutByNovelty} novelty, {CutByTopK} top-K; offline: {Offline}).")]
    public static partial void PipelineSelected(ILogger logger, int selected, int candidates, int ruleMatches, int cutByRelevance, int cutByNovelty, int cutByTopK, bool offline);

    [LoggerMessage(5009, LogLevel.Information, "Wrote {Outputs} outputs for {Date} with {Renderers} renderers.")]
    public static partial void PipelineRendered(ILogger logger, int outputs, string date, int renderers);

    [LoggerMessage(5010, LogLevel.Warning, "No renderer is registered: the digest of {Date} was not written and the day is not marked processed.")]
    public static partial void PipelineNoRenderers(ILogger logger, string date);

    [LoggerMessage(5011, LogLevel.Information, "Marked {Date} processed.")]
    public static partial void PipelineMarkedProcessed(ILogger logger, string date);

    [LoggerMessage(5012, LogLevel.Error, "Scoring failed; no digest was written: {Reason}")]
    public static partial void PipelineScoringFailed(ILogger logger, string reason, Exception exception);

    [LoggerMessage(5013, LogLevel.Warning, "Digest run canceled during {Stage}; nothing was marked processed.")]
    public static partial void PipelineCanceled(ILogger logger, string stage);

    [LoggerMessage(5014, LogLevel.Error, "Digest run failed during {Stage}; nothing was marked processed.")]
    public static partial void PipelineFailed(ILogger logger, string stage, Exception exception);

    [LoggerMessage(5015, LogLevel.Information, "Dry run: {ToScore} of {Kept} papers would be sent to the scorer ({FromCache} answered by the cache).")]
    public static partial void PipelineDryRun(ILogger logger, int toScore, int kept, int fromCache);

    [LoggerMessage(5016, LogLevel.Debug, "Unscored {PaperId}: {Reason}")]
    public static partial void PipelineUnscoredPaper(ILogger logger, string paperId, string reason);

    [LoggerMessage(5017, LogLevel.Information, "Digest of {Date} written: {Selected} papers selected of {Scanned} scanned, in {ElapsedMs} ms.")]
    public static partial void PipelineCompleted(ILogger logger, string date, int selected, int scanned, long elapsedMs);

    [LoggerMessage(5100, LogLevel.Warning, "Score cache not used: {Reason}.")]
    public static partial void ScoreCacheDisabled(ILogger logger, string reason);

    [LoggerMessage(5101, LogLevel.Information, "Score cache: {Hits} hits, {Misses} to score with {ModelId}.")]
    public static partial void ScoreCacheLookedUp(ILogger logger, int hits, int misses, string modelId);

    [LoggerMessage(5102, LogLevel.Debug, "Score cache: stored {Count} scores.")]
    public static partial void ScoreCacheStored(ILogger logger, int count);
}
