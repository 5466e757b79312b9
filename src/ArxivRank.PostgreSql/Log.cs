using Microsoft.Extensions.Logging;

namespace ArxivRank.PostgreSql;

/// <summary>Source-generated log messages of the PostgreSQL store (event ids 5600–5699, in the pipeline's range).</summary>
internal static partial class Log
{
    [LoggerMessage(5600, LogLevel.Debug, "Opened the ArxivRank PostgreSQL store {Location} (schema v{Version}).")]
    public static partial void StoreOpened(ILogger logger, string location, int version);

    [LoggerMessage(5601, LogLevel.Information, "Migrated the ArxivRank PostgreSQL store {Location} to schema v{Version}: {Description}.")]
    public static partial void StoreMigrated(ILogger logger, string location, int version, string description);
}
