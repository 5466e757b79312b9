using System.Globalization;
using ArxivRank.Rendering;
using Microsoft.Extensions.Options;

namespace ArxivRank.Profiles;

/// <summary>
/// Checks a <see cref="ReaderProfile"/> once, before anything runs; every message names the key (in the profile's JSON
/// spelling, e.g. <c>topK must be between 1 and 500</c>) and says what is allowed. Registered by
/// <see cref="ReaderProfileServiceCollectionExtensions.AddReaderProfile"/> and used by the CLI on its merged profile.
/// </summary>
public sealed class ReaderProfileValidator : IValidateOptions<ReaderProfile>
{
    private static readonly string[] Scorers = ["llm", "lexical", "learned"];
    private static readonly string[] Sources = ["rss", "api", "snapshot"];
    private static readonly string[] Deliveries = ["slack", "slack-webhook", "email"];
    private static readonly string[] SmtpTls = ["auto", "starttls", "tls", "none"];

    /// <summary>Validates a profile and throws when it is invalid.</summary>
    /// <param name="profile">The profile.</param>
    /// <exception cref="ReaderProfileException">The profile is invalid; the message lists every failure.</exception>
    public static void ThrowIfInvalid(ReaderProfile profile)
    {
        var result = new ReaderProfileValidator().Validate(null, profile);
        if (result.Failed)
        {
            throw new ReaderProfileException(string.Join(" ", result.Failures!));
        }
    }

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, ReaderProfile options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var p = options;

        if (p.Categories is { } categories && categories.Any(c => string.IsNullOrWhiteSpace(c) || c.Any(char.IsWhiteSpace)))
        {
            failures.Add("categories must be arXiv category names such as cs.LG, without spaces.");
        }

        if (p.Criteria is not null && p.CriteriaText is not null)
        {
            failures.Add("criteria and criteriaText are alternatives: set one of them.");
        }

        OneOf(failures, "scorer", p.Scorer, Scorers);
        OneOf(failures, "source", p.Source, Sources);
        HttpUrl(failures, "baseUrl", p.BaseUrl);
        HttpUrl(failures, "llmBaseUrl", p.LlmBaseUrl);
        if (p.ApiKeyEnv is { } variable && (variable.Length == 0 || !variable.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') || char.IsAsciiDigit(variable[0])))
        {
            failures.Add("apiKeyEnv must be the NAME of an environment variable (letters, digits, _), such as OPENAI_API_KEY — never the key itself.");
        }

        foreach (string format in p.Formats ?? [])
        {
            OneOf(failures, "formats", format, DigestRenderers.Formats);
        }

        Range(failures, "topK", p.TopK, 1, 500);
        Range(failures, "minRelevance", p.MinRelevance, 1, 10); // as SelectionOptions: 0 would fail later, unnamed
        Range(failures, "minNovelty", p.MinNovelty, 1, 10);
        Range(failures, "batchSize", p.BatchSize, 1, 200);
        Range(failures, "concurrency", p.Concurrency, 1, 64);
        Range(failures, "noNewExitCode", p.NoNewExitCode, 0, 255);
        Range(failures, "wait", p.Wait, 0, 86_400);
        Range(failures, "batchPollSeconds", p.BatchPollSeconds, 1, 3600);
        Range(failures, "maxWait", p.MaxWait, 0, 86_400);
        if (p.BatchFallback is { } fallback)
        {
            OneOf(failures, "batchFallback", fallback, ["sync", "none"]);
        }

        if (p.MaxCost is < 0)
        {
            failures.Add("maxCost must not be negative.");
        }

        if (p.Prescreen is { } share && (double.IsNaN(share) || share is <= 0 or > 1))
        {
            failures.Add("prescreen must be a share above 0 and at most 1, such as 0.35.");
        }

        Range(failures, "arxiv.requestIntervalMs", p.Arxiv?.RequestIntervalMs, 0, 3_600_000);
        Range(failures, "arxiv.retries", p.Arxiv?.Retries, 0, 10);
        Range(failures, "arxiv.retryDelayMs", p.Arxiv?.RetryDelayMs, 0, 600_000);
        Range(failures, "arxiv.timeoutMs", p.Arxiv?.TimeoutMs, 1, 3_600_000);
        Range(failures, "llm.retries", p.Llm?.Retries, 0, 10);
        Range(failures, "llm.retryDelayMs", p.Llm?.RetryDelayMs, 0, 600_000);
        Range(failures, "llm.timeoutMs", p.Llm?.TimeoutMs, 1, 3_600_000);
        if (p.Schedule?.RunAt is { } runAt && !TimeOnly.TryParseExact(runAt, ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            failures.Add($"schedule.runAt '{runAt}' is not a local time in HH:mm form, such as 21:00.");
        }

        if (p.Schedule?.TimeZone is { } zone && !TryFindTimeZone(zone, out _))
        {
            failures.Add($"schedule.timeZone '{zone}' is not a known IANA time zone, such as America/New_York.");
        }

        ValidateDelivery(failures, p);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateDelivery(List<string> failures, ReaderProfile p)
    {
        var deliver = p.Deliver ?? [];
        foreach (string target in deliver)
        {
            OneOf(failures, "deliver", target, Deliveries);
        }

        if (deliver.Distinct(StringComparer.OrdinalIgnoreCase).Count() != deliver.Count)
        {
            failures.Add("deliver lists a channel twice.");
        }

        bool Has(string kind) => deliver.Contains(kind, StringComparer.OrdinalIgnoreCase);
        if (Has("slack") && string.IsNullOrWhiteSpace(p.Slack?.Channel))
        {
            failures.Add("deliver 'slack' needs slack.channel (--slack-channel): the channel ID, C… from the channel's details.");
        }

        if (p.Slack?.Channel is { } channel && (channel.StartsWith('#') || channel.Any(char.IsWhiteSpace)))
        {
            failures.Add($"slack.channel '{channel}' is not a channel ID: give the ID (C…, from the channel's details), not its name.");
        }

        VariableName(failures, "slack.tokenEnv", p.Slack?.TokenEnv);
        VariableName(failures, "slack.webhookUrlEnv", p.Slack?.WebhookUrlEnv);
        HttpUrl(failures, "slack.baseUrl", p.Slack?.BaseUrl);
        HttpUrl(failures, "siteUrl", p.SiteUrl);
        Range(failures, "feedDays", p.FeedDays, 1, 366);
        var email = p.Email;
        if (Has("email"))
        {
            if (email?.To is not { Count: > 0 })
            {
                failures.Add("deliver 'email' needs email.to (--mail-to): one or more addresses.");
            }

            if (string.IsNullOrWhiteSpace(email?.From))
            {
                failures.Add("deliver 'email' needs email.from (--mail-from): the sender address.");
            }

            if (string.IsNullOrWhiteSpace(email?.SmtpHost))
            {
                failures.Add("deliver 'email' needs email.smtpHost (--smtp-host): your provider's SMTP server.");
            }
        }

        Range(failures, "email.smtpPort", email?.SmtpPort, 1, 65535);
        OneOf(failures, "email.smtpTls", email?.SmtpTls, SmtpTls);
        foreach (string address in email?.To ?? [])
        {
            if (!System.Net.Mail.MailAddress.TryCreate(address, out _))
            {
                failures.Add($"email.to '{address}' is not an email address.");
            }
        }

        if (email?.From is { } from && !System.Net.Mail.MailAddress.TryCreate(from, out _))
        {
            failures.Add($"email.from '{from}' is not an email address.");
        }
    }

    private static void VariableName(List<string> failures, string key, string? variable)
    {
        if (variable is not null && (variable.Length == 0 || !variable.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') || char.IsAsciiDigit(variable[0])))
        {
            failures.Add($"{key} must be the NAME of an environment variable (letters, digits, _) — never the secret itself.");
        }
    }

    internal static bool TryFindTimeZone(string id, out TimeZoneInfo zone)
    {
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            zone = TimeZoneInfo.Utc;
            return false;
        }
    }

    private static void OneOf(List<string> failures, string key, string? value, IReadOnlyList<string> allowed)
    {
        if (value is not null && !allowed.Contains(value, StringComparer.OrdinalIgnoreCase))
        {
            failures.Add($"{key} '{value}' is not one of {string.Join(", ", allowed)}.");
        }
    }

    private static void Range(List<string> failures, string key, int? value, int min, int max)
    {
        if (value is { } v && (v < min || v > max))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{key} must be between {min} and {max} (it is {v})."));
        }
    }

    private static void HttpUrl(List<string> failures, string key, string? value)
    {
        if (value is not null && (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            failures.Add($"{key} '{value}' is not an absolute http(s) URL, such as http://127.0.0.1:8080.");
        }
    }
}
