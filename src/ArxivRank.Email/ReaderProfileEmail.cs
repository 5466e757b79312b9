using ArxivRank.Delivery;
using ArxivRank.Profiles;
using Microsoft.Extensions.Logging;

namespace ArxivRank.Email;

/// <summary>The email deliverer a <see cref="ReaderProfile"/> names, for <see cref="ReaderPipelineServices.Deliverers"/>.</summary>
public static class ReaderProfileEmail
{
    /// <summary>
    /// Creates the email deliverer of a profile whose <c>deliver</c> list has <c>email</c>: recipients, sender and server
    /// from <c>email</c>, the credentials from <c>SMTP_USERNAME</c> and <c>SMTP_PASSWORD</c> (no authentication when unset).
    /// </summary>
    /// <param name="profile">The (validated) profile.</param>
    /// <param name="environment">Reads an environment variable; default <see cref="Environment.GetEnvironmentVariable(string)"/>.</param>
    /// <param name="timeProvider">The clock of the Date header.</param>
    /// <param name="loggerFactory">Where to log.</param>
    /// <returns>The deliverer, or <see langword="null"/> when the profile does not deliver by email.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="profile"/> is <see langword="null"/>.</exception>
    /// <exception cref="ReaderProfileException">The email settings cannot make a deliverer; the message names the key.</exception>
    public static IDigestDeliverer? Create(ReaderProfile profile, Func<string, string?>? environment = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (profile.Deliver?.Contains(EmailDeliverers.Kind, StringComparer.OrdinalIgnoreCase) != true)
        {
            return null;
        }

        environment ??= Environment.GetEnvironmentVariable;
        var email = profile.Email ?? new ReaderEmailOptions();
        var options = new EmailDeliveryOptions
        {
            From = email.From,
            Host = email.SmtpHost,
            Port = email.SmtpPort ?? 587,
            Security = (email.SmtpTls ?? "auto").ToLowerInvariant() switch
            {
                "starttls" => SmtpSecurity.StartTls,
                "tls" => SmtpSecurity.Tls,
                "none" => SmtpSecurity.None,
                _ => SmtpSecurity.Auto,
            },
            UserName = environment(EmailDeliveryOptions.DefaultUserNameVariable) is { Length: > 0 } user ? user : null,
            Password = environment(EmailDeliveryOptions.DefaultPasswordVariable),
        };
        foreach (string to in email.To ?? [])
        {
            options.To.Add(to);
        }

        try
        {
            return EmailDeliverers.Create(options, timeProvider, loggerFactory);
        }
        catch (ArgumentException ex)
        {
            throw new ReaderProfileException($"deliver 'email' cannot be set up: {ex.Message}", ex);
        }
    }
}
