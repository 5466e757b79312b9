using ArxivRank.Delivery;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArxivRank.Email;

/// <summary>Creates the email deliverer: the digest over SMTP (MailKit), one message per recipient.</summary>
public static class EmailDeliverers
{
    /// <summary>The kind of the email deliverer, as in the profile's <c>deliver</c> list.</summary>
    public const string Kind = "email";

    /// <summary>Creates a deliverer that mails the digest to each recipient as multipart/alternative (plain text and mail-client HTML).</summary>
    /// <param name="options">The sender, recipients, server and credentials.</param>
    /// <param name="timeProvider">The clock of the message's Date header; <see langword="null"/> for the system clock.</param>
    /// <param name="loggerFactory">Where to log; <see langword="null"/> for no logging.</param>
    /// <returns>The deliverer (kind <c>email</c>, one target per recipient).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is invalid or missing; the message names the flag or key to set.</exception>
    public static IDigestDeliverer Create(EmailDeliveryOptions options, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate().ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        }

        return new EmailDeliverer(options, timeProvider ?? TimeProvider.System, (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("ArxivRank.Email"));
    }
}
