using Microsoft.Extensions.Logging;

namespace ArxivRank;

/// <summary>Log messages of the LLM scorer's Batch API pass (event ids 3100–3119).</summary>
internal static partial class Log
{
    [LoggerMessage(3100, LogLevel.Information, "Resuming batch job {JobId} (batch {BatchId}) for {Papers} papers of this run.")]
    public static partial void BatchJobResumed(ILogger logger, string jobId, string batchId, int papers);

    [LoggerMessage(3101, LogLevel.Information, "Batch job {JobId}: uploaded file {FileId} with {Requests} requests for {Papers} papers.")]
    public static partial void BatchUploaded(ILogger logger, string jobId, string fileId, int requests, int papers);

    [LoggerMessage(3102, LogLevel.Information, "Batch job {JobId}: batch {BatchId} is created.")]
    public static partial void BatchCreated(ILogger logger, string jobId, string batchId);

    [LoggerMessage(3103, LogLevel.Warning, "Batch job {JobId}: its batch id was lost; found batch {BatchId} again through its metadata.")]
    public static partial void BatchFoundByMetadata(ILogger logger, string jobId, string batchId);

    [LoggerMessage(3104, LogLevel.Debug, "Batch {BatchId}: {Status}, {Completed} of {Total} requests done.")]
    public static partial void BatchPolled(ILogger logger, string batchId, string status, int completed, int total);

    [LoggerMessage(3105, LogLevel.Information, "Batch job {JobId}: batch {BatchId} ended {Status}; {Answered} requests answered, {LeftOver} papers without a usable answer.")]
    public static partial void BatchCollected(ILogger logger, string jobId, string batchId, string status, int answered, int leftOver);

    [LoggerMessage(3106, LogLevel.Information, "{Count} papers the Batch API did not answer are asked synchronously (fallback sync).")]
    public static partial void BatchFallback(ILogger logger, int count);

    [LoggerMessage(3107, LogLevel.Warning, "Batch {BatchIds} is still running with {Papers} papers; the next run collects it.")]
    public static partial void BatchStillPending(ILogger logger, string batchIds, int papers);
}
