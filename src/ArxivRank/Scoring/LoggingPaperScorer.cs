using Microsoft.Extensions.Logging;

namespace ArxivRank.Scoring;

/// <summary>Logs each scoring call: how many papers, how many scored and unscored, tokens, time, and failures.</summary>
internal sealed class LoggingPaperScorer : DelegatingPaperScorer
{
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly string _name;

    public LoggingPaperScorer(IPaperScorer inner, ILogger logger, TimeProvider? timeProvider)
        : base(inner)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
        _time = timeProvider ?? TimeProvider.System;
        _name = ScorerIdentity.Of(inner)?.ModelId ?? inner.GetType().Name;
    }

    public override async Task<ScoringResult> ScoreAsync(IReadOnlyList<Paper> papers, IProgress<ScoringProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(papers);
        long started = _time.GetTimestamp();
        Log.ScorerCallStarted(_logger, papers.Count, _name);
        try
        {
            var result = await InnerScorer.ScoreAsync(papers, progress, cancellationToken).ConfigureAwait(false);
            Log.ScorerCallFinished(_logger, _name, result.Scores.Count, papers.Count, result.Unscored.Count, result.Usage.Sum(u => u.TotalTokens), ElapsedMs(started));
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Log.ScorerCallCanceled(_logger, _name, ElapsedMs(started));
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.ScorerCallFailed(_logger, ex, _name, ElapsedMs(started), ex.Message);
            throw;
        }
    }

    private long ElapsedMs(long started) => (long)_time.GetElapsedTime(started).TotalMilliseconds;
}
