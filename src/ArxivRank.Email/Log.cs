using Microsoft.Extensions.Logging;

namespace ArxivRank.Email;

/// <summary>Source-generated log messages of the email package: event ids 7100–7199.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 7100, Level = LogLevel.Information, Message = "The SMTP server accepted the digest for {Recipient} (Message-ID {MessageId}): {Response}")]
    public static partial void MailAccepted(ILogger logger, string recipient, string messageId, string response);
}
