using ArxivRank.Cli.Snapshot;
using ArxivRank.OpenAI;
using ArxivRank.Pipeline;
using ArxivRank.Profiles;
using ArxivRank.Rendering;
using ArxivRank.Sqlite;
using Microsoft.Extensions.Options;

namespace ArxivRank.Host;

/// <summary>One digest run of the reader profile: the library's factory composes it, the day's files and the archive go to the profile's <c>out</c>.</summary>
public sealed partial class DigestJob(IOptions<ReaderProfile> profile, ILoggerFactory loggerFactory, TimeProvider time, ILogger<DigestJob> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Runs the digest once (runs never overlap) and returns the pipeline's result.</summary>
    public async Task<DigestRunResult> RunAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var reader = profile.Value;
            var store = ReaderProfileStore.Open(reader);
            using (store as IDisposable)
            using (var chat = ReaderProfileChatClient.Create(reader, loggerFactory: loggerFactory, timeProvider: time))
            {
                var services = new ReaderPipelineServices
                {
                    Source = reader.Source == "snapshot" ? new SnapshotSource() : null,
                    ChatClient = chat,
                    Store = store,
                    LoggerFactory = loggerFactory,
                    TimeProvider = time,
                };
                using var pipeline = await ReaderPipelineFactory.CreateAsync(reader, services, cancellationToken);
                LogScorer(logger, pipeline.ScorerDescription, string.Join(" ", pipeline.Notes));
                var result = await pipeline.RunAsync(new DirectoryDigestOutput(reader.Out!), cancellationToken: cancellationToken);
                LogRun(logger, result.Run.Status, result.Run.AnnouncementDate, result.Run.Statistics.Selected, result.Run.Reason ?? result.Training);
                return result.Run;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Digest scorer: {Scorer}. {Notes}")]
    private static partial void LogScorer(ILogger logger, string scorer, string notes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Digest run: {Status} for {Date}, {Selected} papers selected. {Reason}")]
    private static partial void LogRun(ILogger logger, DigestRunStatus status, DateOnly? date, int selected, string? reason);
}
