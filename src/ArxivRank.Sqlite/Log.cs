using Microsoft.Extensions.Logging;

namespace ArxivRank.Sqlite;

/// <summary>Source-generated log messages of the SQLite store (event ids 5500–5599, in the pipeline's range).</summary>
internal static partial class Log
{
    [LoggerMessage(5500, LogLevel.Debug, "Opened the ArxivRank store at {Path} (schema v{Version}).")]
    public static partial void StoreOpened(ILogger logger, string path, int version);

    [LoggerMessage(5501, LogLevel.Information, "Migrated the ArxivRank store at {Path} to schema v{Version}: {Description}.")]
    public static partial void StoreMigrated(ILogger logger, string path, int version, string description);

    [LoggerMessage(5502, LogLevel.Warning, "The ArxivRank store at {Path} could not switch to WAL journaling (it uses '{Mode}'); concurrent runs will wait for each other longer.")]
    public static partial void StoreNotWal(ILogger logger, string path, string mode);
}
