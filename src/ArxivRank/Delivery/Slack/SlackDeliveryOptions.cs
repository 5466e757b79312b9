using ArxivRank.Rendering;

namespace ArxivRank.Delivery.Slack;

/// <summary>What both Slack deliverers share: how messages are built, paced and retried.</summary>
public abstract class SlackPostingOptions
{
    /// <summary>Gets or sets how the messages are rendered (blocks per message, text length, abstracts).</summary>
    /// <value>The Slack renderer's defaults: at most 50 blocks per message, 3,000 characters per text.</value>
    public SlackRendererOptions Renderer { get; set; } = new();

    /// <summary>Gets or sets the least time between two posts to the same channel (Slack allows about one message per second per channel).</summary>
    /// <value>1 second by default.</value>
    public TimeSpan MinPostInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets how many times a rate-limited (HTTP 429) or failed request is retried; <c>Retry-After</c> is honored.</summary>
    /// <value>5 by default; 0 to 10.</value>
    public int MaxRetryAttempts { get; set; } = 5;

    /// <summary>Gets or sets the first retry's delay when Slack sends no <c>Retry-After</c> (exponential backoff with jitter after it).</summary>
    /// <value>1 second by default.</value>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the longest wait before a retry, <c>Retry-After</c> included.</summary>
    /// <value>2 minutes by default.</value>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets or sets how long one request may take.</summary>
    /// <value>30 seconds by default.</value>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Lists the problems with the options, each naming the option.</summary>
    /// <returns>The problems; empty when the options are valid.</returns>
    public virtual IEnumerable<string> Validate()
    {
        string name = GetType().Name;
        if (Renderer is null)
        {
            yield return $"{name}.{nameof(Renderer)} must not be null.";
        }
        else
        {
            string? problem = null;
            try
            {
                Renderer.Validate();
            }
            catch (ArgumentException ex)
            {
                problem = ex.Message;
            }

            if (problem is not null)
            {
                yield return problem;
            }
        }

        if (MinPostInterval < TimeSpan.Zero)
        {
            yield return $"{name}.{nameof(MinPostInterval)} must not be negative.";
        }

        if (MaxRetryAttempts is < 0 or > 10)
        {
            yield return $"{name}.{nameof(MaxRetryAttempts)} must be between 0 and 10 (was {MaxRetryAttempts}).";
        }

        if (RetryBaseDelay <= TimeSpan.Zero || MaxRetryDelay < RetryBaseDelay)
        {
            yield return $"{name}.{nameof(RetryBaseDelay)} must be positive and at most {nameof(MaxRetryDelay)}.";
        }

        if (AttemptTimeout <= TimeSpan.Zero)
        {
            yield return $"{name}.{nameof(AttemptTimeout)} must be positive.";
        }
    }
}

/// <summary>Options of the Slack Web API deliverer (<see cref="DigestDeliverers.CreateSlack"/>): a bot token and a channel.</summary>
/// <remarks>The bot needs the scopes <c>chat:write</c>, and <c>channels:history</c> (<c>groups:history</c> for a private channel) for the duplicate check; see docs/delivery.md.</remarks>
public sealed class SlackDeliveryOptions : SlackPostingOptions
{
    /// <summary>The default name of the variable that holds the bot token.</summary>
    public const string DefaultTokenVariable = "SLACK_BOT_TOKEN";

    /// <summary>The metadata event type that marks ArxivRank's messages.</summary>
    public const string DefaultEventType = "arxivrank_digest";

    /// <summary>Gets or sets the bot token (<c>xoxb-…</c>). Never logged.</summary>
    public string? BotToken { get; set; }

    /// <summary>Gets or sets where the token came from, for error messages (<c>SLACK_BOT_TOKEN</c>).</summary>
    /// <value><see cref="DefaultTokenVariable"/> by default.</value>
    public string TokenName { get; set; } = DefaultTokenVariable;

    /// <summary>Gets or sets the channel ID to post to (<c>C0123ABCD</c>, from the channel's details).</summary>
    public string? Channel { get; set; }

    /// <summary>Gets or sets the Web API's base URL.</summary>
    /// <value><c>https://slack.com/api/</c> by default; tests point it at a loopback server.</value>
    public Uri BaseUrl { get; set; } = new("https://slack.com/api/");

    /// <summary>Gets or sets the metadata event type of the main message and its replies.</summary>
    /// <value><see cref="DefaultEventType"/> by default.</value>
    public string EventType { get; set; } = DefaultEventType;

    /// <inheritdoc/>
    public override IEnumerable<string> Validate()
    {
        foreach (string problem in base.Validate())
        {
            yield return problem;
        }

        if (string.IsNullOrWhiteSpace(BotToken))
        {
            yield return $"No Slack bot token: set {TokenName} to the app's Bot User OAuth Token (xoxb-…).";
        }

        if (string.IsNullOrWhiteSpace(Channel))
        {
            yield return $"{nameof(SlackDeliveryOptions)}.{nameof(Channel)} is empty: give the channel ID (C…, from the channel's details).";
        }
        else if (Channel.Any(char.IsWhiteSpace) || Channel.StartsWith('#'))
        {
            yield return $"{nameof(SlackDeliveryOptions)}.{nameof(Channel)} '{Channel}' is not a channel ID: give the ID (C…, from the channel's details), not its name.";
        }

        if (BaseUrl is null || !BaseUrl.IsAbsoluteUri || (BaseUrl.Scheme != Uri.UriSchemeHttps && BaseUrl.Scheme != Uri.UriSchemeHttp))
        {
            yield return $"{nameof(SlackDeliveryOptions)}.{nameof(BaseUrl)} must be an absolute http(s) URL.";
        }

        if (string.IsNullOrWhiteSpace(EventType))
        {
            yield return $"{nameof(SlackDeliveryOptions)}.{nameof(EventType)} must not be empty.";
        }
    }
}

/// <summary>Options of the Slack incoming-webhook deliverer (<see cref="DigestDeliverers.CreateSlackWebhook"/>): no bot, no threads.</summary>
public sealed class SlackWebhookOptions : SlackPostingOptions
{
    /// <summary>The default name of the variable that holds the webhook URL.</summary>
    public const string DefaultUrlVariable = "SLACK_WEBHOOK_URL";

    /// <summary>Gets or sets the webhook URL (<c>https://hooks.slack.com/services/…</c>). It is a secret: never logged.</summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>Gets or sets where the URL came from, for error messages.</summary>
    /// <value><see cref="DefaultUrlVariable"/> by default.</value>
    public string UrlName { get; set; } = DefaultUrlVariable;

    /// <inheritdoc/>
    public override IEnumerable<string> Validate()
    {
        foreach (string problem in base.Validate())
        {
            yield return problem;
        }

        if (WebhookUrl is null || !WebhookUrl.IsAbsoluteUri || (WebhookUrl.Scheme != Uri.UriSchemeHttps && WebhookUrl.Scheme != Uri.UriSchemeHttp))
        {
            yield return $"No Slack webhook URL: set {UrlName} to the incoming webhook's URL (https://hooks.slack.com/services/…).";
        }
    }
}
