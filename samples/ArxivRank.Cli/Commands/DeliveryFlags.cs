using System.CommandLine;
using System.CommandLine.Parsing;
using ArxivRank.Profiles;

namespace ArxivRank.Cli.Commands;

/// <summary>The delivery flags <c>digest</c> and <c>deliver</c> share; each overrides one profile key (docs/delivery.md).</summary>
internal sealed class DeliveryFlags
{
    public Option<string?> Deliver { get; } = new("--deliver") { Description = "Deliver after the digest is stored: comma-separated slack, slack-webhook, email (docs/delivery.md).", HelpName = "LIST" };

    public Option<string?> SlackTokenEnv { get; } = new("--slack-token-env") { Description = "The environment variable holding the Slack bot token (default SLACK_BOT_TOKEN). The token is never printed.", HelpName = "NAME" };

    public Option<string?> SlackChannel { get; } = new("--slack-channel") { Description = "The Slack channel ID the bot posts to (C…, from the channel's details).", HelpName = "ID" };

    public Option<string?> SlackBaseUrl { get; } = new("--slack-base-url") { Description = "Slack's Web API base URL (default https://slack.com/api).", HelpName = "URL" };

    public Option<string?> MailTo { get; } = new("--mail-to") { Description = "Comma-separated email recipients (one delivery record each).", HelpName = "LIST" };

    public Option<string?> MailFrom { get; } = new("--mail-from") { Description = "The sender address of the email.", HelpName = "ADDRESS" };

    public Option<string?> SmtpHost { get; } = new("--smtp-host") { Description = "The SMTP server (credentials from SMTP_USERNAME and SMTP_PASSWORD).", HelpName = "HOST" };

    public Option<int?> SmtpPort { get; } = new("--smtp-port") { Description = "The SMTP port (default 587).", HelpName = "PORT" };

    public Option<string?> SmtpTls { get; } = new("--smtp-tls") { Description = "auto (default), starttls, tls or none." };

    public Option<string?> SiteUrl { get; } = new("--site-url") { Description = "Where the HTML archive is published; makes the Atom feed's links absolute.", HelpName = "URL" };

    public IEnumerable<Option> All => [Deliver, SlackTokenEnv, SlackChannel, SlackBaseUrl, MailTo, MailFrom, SmtpHost, SmtpPort, SmtpTls, SiteUrl];

    /// <summary>The profile key each flag sets, for command-line errors that name the flag.</summary>
    public IEnumerable<KeyValuePair<string, Option>> Keys =>
    [
        new("deliver", Deliver), new("slack.tokenEnv", SlackTokenEnv), new("slack.channel", SlackChannel), new("slack.baseUrl", SlackBaseUrl),
        new("email.smtpPort", SmtpPort), new("email.smtpTls", SmtpTls), new("email.to", MailTo), new("email.from", MailFrom), new("siteUrl", SiteUrl),
    ];

    /// <summary>Sets the keys of the flags given on <paramref name="profile"/>.</summary>
    public ReaderProfile Apply(SymbolResult r, ReaderProfile profile)
    {
        profile.Deliver = Split(r.GetValue(Deliver));
        profile.SiteUrl = r.GetValue(SiteUrl);
        if (r.GetValue(SlackTokenEnv) is not null || r.GetValue(SlackChannel) is not null || r.GetValue(SlackBaseUrl) is not null)
        {
            profile.Slack = new ReaderSlackOptions { TokenEnv = r.GetValue(SlackTokenEnv), Channel = r.GetValue(SlackChannel), BaseUrl = r.GetValue(SlackBaseUrl) };
        }

        if (r.GetValue(MailTo) is not null || r.GetValue(MailFrom) is not null || r.GetValue(SmtpHost) is not null || r.GetValue(SmtpPort) is not null || r.GetValue(SmtpTls) is not null)
        {
            profile.Email = new ReaderEmailOptions { To = Split(r.GetValue(MailTo)), From = r.GetValue(MailFrom), SmtpHost = r.GetValue(SmtpHost), SmtpPort = r.GetValue(SmtpPort), SmtpTls = r.GetValue(SmtpTls) };
        }

        return profile;
    }

    internal static List<string>? Split(string? text)
        => text is null ? null : [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
