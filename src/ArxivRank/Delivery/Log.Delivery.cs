using Microsoft.Extensions.Logging;

namespace ArxivRank;

/// <summary>Delivery messages: event ids 7000–7999.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 7000, Level = LogLevel.Information, Message = "Delivered the digest of {Day} to {Kind} {Target} ({Parts} parts; found already there: {AlreadyThere}).")]
    public static partial void Delivered(ILogger logger, string kind, string target, string day, int parts, bool alreadyThere);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "Delivering the digest of {Day} to {Kind} {Target} failed: {Error}")]
    public static partial void DeliveryFailed(ILogger logger, string kind, string target, string day, string error);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Debug, Message = "The digest of {Day} was already delivered to {Kind} {Target}; not sending it again.")]
    public static partial void DeliverySkipped(ILogger logger, string kind, string target, string day);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Information, Message = "Slack: {Method} was rate limited (HTTP 429); retry {Attempt} in {Delay}.")]
    public static partial void SlackRateLimited(ILogger logger, string method, int attempt, TimeSpan delay);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Information, Message = "Slack: the digest of {Day} is already in channel {Channel} (ts {Ts}) with {Parts} of {Total} parts; posting the rest.")]
    public static partial void SlackFoundExisting(ILogger logger, string day, string channel, string ts, int parts, int total);
}
