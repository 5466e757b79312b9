using System.Net.Mail;

namespace ArxivRank.Email;

/// <summary>How the SMTP connection is secured.</summary>
public enum SmtpSecurity
{
    /// <summary>TLS on connect for port 465, otherwise STARTTLS when the server offers it (MailKit's <c>Auto</c>).</summary>
    Auto = 0,

    /// <summary>STARTTLS, required (port 587 usually).</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465 usually).</summary>
    Tls,

    /// <summary>No encryption: only for a relay on a trusted network or loopback.</summary>
    None,
}

/// <summary>Options of the email deliverer (<see cref="EmailDeliverers.Create"/>).</summary>
public sealed class EmailDeliveryOptions
{
    /// <summary>The default name of the variable holding the SMTP user name.</summary>
    public const string DefaultUserNameVariable = "SMTP_USERNAME";

    /// <summary>The default name of the variable holding the SMTP password.</summary>
    public const string DefaultPasswordVariable = "SMTP_PASSWORD";

    /// <summary>Gets or sets the sender address (<c>digest@example.org</c> or <c>ArxivRank &lt;digest@example.org&gt;</c>).</summary>
    public string? From { get; set; }

    /// <summary>Gets the recipients; each gets its own message and its own delivery record.</summary>
    public IList<string> To { get; } = [];

    /// <summary>Gets or sets the SMTP server's host name.</summary>
    public string? Host { get; set; }

    /// <summary>Gets or sets the SMTP server's port.</summary>
    /// <value>587 (submission with STARTTLS) by default.</value>
    public int Port { get; set; } = 587;

    /// <summary>Gets or sets how the connection is secured.</summary>
    /// <value><see cref="SmtpSecurity.Auto"/> by default.</value>
    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;

    /// <summary>Gets or sets the user name; no authentication when empty.</summary>
    public string? UserName { get; set; }

    /// <summary>Gets or sets the password. Never logged.</summary>
    public string? Password { get; set; }

    /// <summary>Gets or sets where the credentials came from, for error messages.</summary>
    /// <value><c>SMTP_USERNAME/SMTP_PASSWORD</c> by default.</value>
    public string CredentialNames { get; set; } = DefaultUserNameVariable + "/" + DefaultPasswordVariable;

    /// <summary>Gets or sets the title before the date in the subject and the heading.</summary>
    /// <value><c>arXiv digest</c> by default.</value>
    public string Title { get; set; } = "arXiv digest";

    /// <summary>Gets or sets a value indicating whether the abstracts are in the message.</summary>
    /// <value><see langword="true"/> by default.</value>
    public bool IncludeAbstracts { get; set; } = true;

    /// <summary>Gets or sets how long one SMTP operation (connect, a command) may take.</summary>
    /// <value>60 seconds by default.</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Lists the problems with the options, each naming the option and the fix.</summary>
    /// <returns>The problems; empty when the options are valid.</returns>
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(From) || !MailAddress.TryCreate(From, out _))
        {
            yield return $"The sender address '{From}' is not an email address: set --mail-from (email.from) to one, such as digest@example.org.";
        }

        if (To.Count == 0)
        {
            yield return "No recipient: set --mail-to (email.to) to one or more addresses, separated by commas.";
        }

        foreach (string to in To)
        {
            if (string.IsNullOrWhiteSpace(to) || !MailAddress.TryCreate(to, out _))
            {
                yield return $"The recipient '{to}' is not an email address (--mail-to, email.to).";
            }
        }

        if (To.Distinct(StringComparer.OrdinalIgnoreCase).Count() != To.Count)
        {
            yield return "A recipient is listed twice (--mail-to, email.to).";
        }

        if (string.IsNullOrWhiteSpace(Host))
        {
            yield return "No SMTP server: set --smtp-host (email.smtpHost) to your mail provider's SMTP host.";
        }

        if (Port is < 1 or > 65535)
        {
            yield return $"The SMTP port {Port} is not between 1 and 65535 (--smtp-port, email.smtpPort).";
        }

        if (!Enum.IsDefined(Security))
        {
            yield return $"The SMTP security {(int)Security} is not one of auto, starttls, tls, none (--smtp-tls, email.smtpTls).";
        }

        if (!string.IsNullOrEmpty(UserName) && Password is null)
        {
            yield return $"An SMTP user name is set but no password: set both {CredentialNames}.";
        }

        if (string.IsNullOrWhiteSpace(Title))
        {
            yield return $"{nameof(EmailDeliveryOptions)}.{nameof(Title)} must not be empty.";
        }

        if (Timeout <= TimeSpan.Zero)
        {
            yield return $"{nameof(EmailDeliveryOptions)}.{nameof(Timeout)} must be positive.";
        }
    }
}
