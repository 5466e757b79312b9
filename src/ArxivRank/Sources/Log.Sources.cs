using ArxivRank.Sources;
using Microsoft.Extensions.Logging;

namespace ArxivRank;

/// <summary>Log messages of the arXiv sources (event ids 2000–2999).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Debug, Message = "GET {Url}")]
    public static partial void Fetching(ILogger logger, Uri url);

    [LoggerMessage(EventId = 2001, Message = "{Source}: {Code}: {Message}")]
    public static partial void Diagnostic(ILogger logger, LogLevel level, string source, string code, string message);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "{Source}: {Status}, announcement {AnnouncementDate}: {Total} items, {Kept} kept, {Unique} unique, {Skipped} skipped")]
    public static partial void Fetched(ILogger logger, string source, FetchStatus status, string announcementDate, int total, int kept, int unique, int skipped);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Request to {Url} failed ({Reason}); retry {Attempt} in {Delay}")]
    public static partial void RetryScheduled(ILogger logger, Uri? url, string reason, int attempt, TimeSpan delay);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Too many arXiv requests failed: the circuit is open for {BreakDuration}")]
    public static partial void CircuitOpened(ILogger logger, TimeSpan breakDuration);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Trace, Message = "Waited {Waited} for the politeness gate")]
    public static partial void Paced(ILogger logger, TimeSpan waited);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "The pacing lock file {Path} shared with other processes cannot be used; this process paces alone")]
    public static partial void SharedPacingFailed(ILogger logger, string? path, Exception exception);
}
