using ArxivRank.TestUtilities.Mail;

namespace ArxivRank.Tests.Delivery;

/// <summary>
/// A fact that needs a real SMTP server (Debian's <c>python3-aiosmtpd</c>). Locally it reports itself skipped when the
/// package is missing; in CI (<c>CI=true</c>) it runs anyway and fails loudly, because .ci/run installs the package.
/// </summary>
public sealed class SmtpFactAttribute : FactAttribute
{
    public SmtpFactAttribute()
    {
        if (SmtpTestServer.Unavailable is { } reason && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = reason;
        }
    }
}
