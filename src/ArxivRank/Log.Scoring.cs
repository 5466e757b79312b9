using Microsoft.Extensions.Logging;

namespace ArxivRank;

/// <summary>Log messages of the scorers (event ids 3000–3999). Prompts and answers only at Trace.</summary>
internal static partial class Log
{
    [LoggerMessage(3000, LogLevel.Information, "Scoring {Total} papers with {Model}: {CacheHits} from the cache, {ToAsk} to ask.")]
    public static partial void ScoringStarted(ILogger logger, int total, string model, int cacheHits, int toAsk);

    [LoggerMessage(3001, LogLevel.Debug, "Batch of {Count} papers (attempt {Attempt}) answered in {ElapsedMs} ms: {Scored} scored, {Missing} missing, finish reason {FinishReason}, {InputTokens} input / {OutputTokens} output tokens.")]
    public static partial void BatchAnswered(ILogger logger, int count, int attempt, long elapsedMs, int scored, int missing, string? finishReason, long? inputTokens, long? outputTokens);

    [LoggerMessage(3002, LogLevel.Warning, "The answer for a batch of {Count} papers was cut off by the output-token limit; {Missing} papers are re-asked in smaller batches.")]
    public static partial void AnswerCutOff(ILogger logger, int count, int missing);

    [LoggerMessage(3003, LogLevel.Warning, "The answer for a batch of {Count} papers was empty; the papers are re-asked in smaller batches.")]
    public static partial void AnswerEmpty(ILogger logger, int count);

    [LoggerMessage(3004, LogLevel.Information, "The answer for a batch of {Count} papers had no usable score for {Missing} of them ({Diagnostics} unusable lines); re-asking.")]
    public static partial void IdsMissing(ILogger logger, int count, int missing, int diagnostics);

    [LoggerMessage(3005, LogLevel.Warning, "{Count} papers are left unscored: {Reason}")]
    public static partial void PapersGivenUp(ILogger logger, int count, string reason);

    [LoggerMessage(3006, LogLevel.Warning, "A request for {Count} papers failed; they are left unscored (transport retries belong to the HTTP pipeline).")]
    public static partial void RequestFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(3007, LogLevel.Warning, "The title screen of {Count} papers failed or was not usable ({Why}); all of them are kept.")]
    public static partial void ScreenNotUsable(ILogger logger, int count, string why);

    [LoggerMessage(3008, LogLevel.Debug, "The title screen dropped {Dropped} of {Count} papers.")]
    public static partial void ScreenAnswered(ILogger logger, int count, int dropped);

    [LoggerMessage(3009, LogLevel.Warning, "The score cache failed ({Operation}); scoring goes on without it.")]
    public static partial void CacheFailed(ILogger logger, Exception exception, string operation);

    [LoggerMessage(3010, LogLevel.Information, "Scored {Scored} of {Total} papers ({Unscored} unscored) in {ElapsedMs} ms with {Requests} requests.")]
    public static partial void ScoringFinished(ILogger logger, int scored, int total, int unscored, long elapsedMs, int requests);

    [LoggerMessage(3011, LogLevel.Error, "Scoring failed: {Message}")]
    public static partial void ScoringFailed(ILogger logger, string message);

    [LoggerMessage(3012, LogLevel.Trace, "Prompt for batch {BatchId}:\n{Prompt}")]
    public static partial void PromptText(ILogger logger, string batchId, string prompt);

    [LoggerMessage(3013, LogLevel.Trace, "Answer for batch {BatchId}:\n{Answer}")]
    public static partial void AnswerText(ILogger logger, string batchId, string answer);

    [LoggerMessage(3014, LogLevel.Warning, "Embedding {Count} papers failed; they are left unscored.")]
    public static partial void EmbeddingFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(3090, LogLevel.Information, "Scoring {Count} papers with {Scorer}.")]
    public static partial void ScorerCallStarted(ILogger logger, int count, string scorer);

    [LoggerMessage(3091, LogLevel.Information, "{Scorer} scored {Scored} of {Count} papers ({Unscored} unscored, {Tokens} tokens) in {ElapsedMs} ms.")]
    public static partial void ScorerCallFinished(ILogger logger, string scorer, int scored, int count, int unscored, long tokens, long elapsedMs);

    [LoggerMessage(3092, LogLevel.Error, "{Scorer} failed after {ElapsedMs} ms: {Message}")]
    public static partial void ScorerCallFailed(ILogger logger, Exception exception, string scorer, long elapsedMs, string message);

    [LoggerMessage(3093, LogLevel.Debug, "{Scorer} was canceled after {ElapsedMs} ms.")]
    public static partial void ScorerCallCanceled(ILogger logger, string scorer, long elapsedMs);
}
