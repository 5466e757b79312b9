using ArxivRank.Pipeline;
using ArxivRank.Rendering;

namespace ArxivRank.Host;

/// <summary>One digest run: the pipeline writes the day's files, then the archive index is rebuilt from the store.</summary>
public sealed partial class DigestJob(DigestPipeline pipeline, DigestHostOptions options, ILogger<DigestJob> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Runs the digest once (runs never overlap) and returns the pipeline's result.</summary>
    public async Task<DigestRunResult> RunAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var output = new DirectoryDigestOutput(options.ArchiveDirectory);
            var result = await pipeline.RunAsync(output, cancellationToken: cancellationToken);
            LogRun(logger, result.Status, result.AnnouncementDate, result.Statistics.Selected, result.Reason);

            var history = await pipeline.Store.GetHistoryAsync(cancellationToken: cancellationToken);
            var days = history.Select(d => new ArchiveDay(d.Date, d.SelectedPapers));
            await DigestArchive.RenderHtmlAsync(days, output, cancellationToken: cancellationToken);
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Digest run: {Status} for {Date}, {Selected} papers selected. {Reason}")]
    private static partial void LogRun(ILogger logger, DigestRunStatus status, DateOnly? date, int selected, string? reason);
}
