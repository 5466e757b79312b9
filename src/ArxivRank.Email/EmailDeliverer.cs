using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using ArxivRank.Delivery;
using ArxivRank.Rendering;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace ArxivRank.Email;

/// <summary>
/// Mails a digest to each recipient over SMTP: one multipart/alternative message (plain text, then HTML for mail clients)
/// per recipient, with a Message-ID that is stable per day × recipient, so a message sent twice is one message to mail
/// clients and a record is written only after the server accepted it.
/// </summary>
internal sealed class EmailDeliverer : IDigestDeliverer
{
    private readonly EmailDeliveryOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public EmailDeliverer(EmailDeliveryOptions options, TimeProvider timeProvider, ILogger logger)
    {
        _options = options;
        _time = timeProvider;
        _logger = logger;
        Targets = [.. options.To.Select(t => t.Trim())];
    }

    public string Kind => EmailDeliverers.Kind;

    public IReadOnlyList<string> Targets { get; }

    public async Task<DeliveryOutcome> DeliverAsync(DeliveryRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Digest);
        if (!Targets.Contains(request.Target, StringComparer.Ordinal))
        {
            throw new ArgumentException($"'{request.Target}' is not one of this deliverer's recipients.", nameof(request));
        }

        using var message = CreateMessage(request.Digest, request.Target);
        string where = string.Create(CultureInfo.InvariantCulture, $"{_options.Host}:{_options.Port}");
        using var client = new SmtpClient { Timeout = (int)Math.Min(int.MaxValue, _options.Timeout.TotalMilliseconds) };
        try
        {
            await client.ConnectAsync(_options.Host!, _options.Port, SocketOptions(), cancellationToken).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(_options.UserName))
            {
                await client.AuthenticateAsync(_options.UserName, _options.Password ?? string.Empty, cancellationToken).ConfigureAwait(false);
            }

            string response = await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
            Log.MailAccepted(_logger, request.Target, message.MessageId ?? string.Empty, response);
            await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
            return DeliveryOutcome.Delivered(Kind, request.Target, 1, "<" + message.MessageId + ">");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (Describe(ex, request.Target, where) is { } error)
        {
            return DeliveryOutcome.Failed(Kind, request.Target, error);
        }
    }

    /// <summary>The message for one recipient: subject with date and count, stable Message-ID, text and HTML alternatives.</summary>
    internal MimeMessage CreateMessage(Digest digest, string recipient)
    {
        var from = MailboxAddress.Parse(_options.From!);
        var message = new MimeMessage
        {
            Subject = MailDigest.Subject(digest, _options.Title),
            MessageId = MessageId(digest.Date, recipient, from.Domain),
            Date = _time.GetUtcNow(),
        };
        message.From.Add(from);
        message.To.Add(MailboxAddress.Parse(recipient));
        message.Headers.Add("Auto-Submitted", "auto-generated");
        var body = new BodyBuilder
        {
            TextBody = MailDigest.Text(digest, _options.Title, _options.IncludeAbstracts),
            HtmlBody = MailDigest.Html(digest, _options.Title, _options.IncludeAbstracts),
        };
        message.Body = body.ToMessageBody();
        return message;
    }

    /// <summary>The same id for the same day and recipient, on every run: <c>arxivrank.2025-02-26.3f1c…@example.org</c>.</summary>
    internal static string MessageId(DateOnly day, string recipient, string? domain)
    {
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(recipient.Trim().ToLowerInvariant())))[..16];
        return string.Create(CultureInfo.InvariantCulture, $"arxivrank.{day:yyyy-MM-dd}.{hash}@{(string.IsNullOrEmpty(domain) ? "arxivrank.invalid" : domain)}");
    }

    private SecureSocketOptions SocketOptions() => _options.Security switch
    {
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.Tls => SecureSocketOptions.SslOnConnect,
        SmtpSecurity.None => SecureSocketOptions.None,
        _ => SecureSocketOptions.Auto,
    };

    /// <summary>An SMTP failure as a message that says the fix; <see langword="null"/> for an exception that is a bug.</summary>
    private string? Describe(Exception ex, string recipient, string where)
    {
        string tls = "--smtp-tls (email.smtpTls)";
        return ex switch
        {
            AuthenticationException => $"The SMTP server {where} rejected the user name and password from {_options.CredentialNames} ({ex.Message}): check them (many providers need an app password).",
            SmtpCommandException { ErrorCode: SmtpErrorCode.RecipientNotAccepted } c => $"The SMTP server {where} refused the recipient {recipient} ({(int)c.StatusCode} {c.Message}): check the address in --mail-to (email.to).",
            SmtpCommandException { ErrorCode: SmtpErrorCode.SenderNotAccepted } c => $"The SMTP server {where} refused the sender {_options.From} ({(int)c.StatusCode} {c.Message}): use an address the account may send from in --mail-from (email.from).",
            SmtpCommandException { StatusCode: SmtpStatusCode.AuthenticationRequired } c => $"The SMTP server {where} requires authentication ({(int)c.StatusCode} {c.Message}): set {_options.CredentialNames}.",

            // MailKit reports a 530 "Authentication required" answer to MAIL FROM as this exception, not as a command error.
            ServiceNotAuthenticatedException => $"The SMTP server {where} requires authentication ({ex.Message}): set {_options.CredentialNames}.",
            SmtpCommandException c => $"The SMTP server {where} did not accept the message for {recipient} ({(int)c.StatusCode} {c.Message}); try again later, the next run sends it.",
            SslHandshakeException => $"The TLS handshake with {where} failed ({ex.Message}): match {tls} to the port (465: tls, 587: starttls) and check the server's certificate.",
            SmtpProtocolException => $"The SMTP server {where} broke the protocol ({ex.Message}): check --smtp-host and --smtp-port point at an SMTP server, and {tls}.",
            NotSupportedException => $"The SMTP server {where} cannot do what was asked ({ex.Message}): check {tls} (a server without STARTTLS needs 'tls' or, on a trusted network, 'none').",
            SocketException or IOException => $"Could not talk to the SMTP server {where} ({ex.Message}): check --smtp-host and --smtp-port, the network, and {tls}.",
            ServiceNotConnectedException => $"The SMTP session with {where} ended unexpectedly ({ex.Message}); try again later, the next run sends it.",
            OperationCanceledException or TimeoutException => $"The SMTP server {where} did not answer within {_options.Timeout.TotalSeconds:0} s; try again later, the next run sends it.",
            _ => null,
        };
    }
}
