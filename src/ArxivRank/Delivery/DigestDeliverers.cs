using ArxivRank.Delivery.Slack;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArxivRank.Delivery;

/// <summary>Creates the built-in deliverers: Slack's Web API (a bot) and Slack incoming webhooks. Email lives in the <c>ArxivRank.Email</c> package.</summary>
public static class DigestDeliverers
{
    /// <summary>Creates a deliverer that posts to a Slack channel with a bot token: a main message, then the papers in its thread, exactly once per day.</summary>
    /// <param name="options">The token, the channel and how to post.</param>
    /// <param name="timeProvider">The clock of pacing, retries and time-outs; <see langword="null"/> for the system clock.</param>
    /// <param name="primaryHandler">The transport under the resilience pipeline (a proxy, a test handler); <see langword="null"/> for the default.</param>
    /// <param name="loggerFactory">Where to log; <see langword="null"/> for no logging.</param>
    /// <returns>The deliverer (kind <c>slack</c>, target the channel ID).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is invalid or missing; the message names it and says what to set.</exception>
    public static IDigestDeliverer CreateSlack(SlackDeliveryOptions options, TimeProvider? timeProvider = null, HttpMessageHandler? primaryHandler = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ThrowIfInvalid(options.Validate(), nameof(options));
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("ArxivRank.Delivery.Slack");
        var client = SlackHttp.CreateClient(options, "slack:" + options.Channel!.Trim(), timeProvider ?? TimeProvider.System, primaryHandler, logger);
        return new SlackWebApiDeliverer(options, client, logger);
    }

    /// <summary>Creates a deliverer that posts to a Slack incoming webhook: no threads, so the digest goes as several messages.</summary>
    /// <param name="options">The webhook URL and how to post.</param>
    /// <param name="timeProvider">The clock of pacing, retries and time-outs; <see langword="null"/> for the system clock.</param>
    /// <param name="primaryHandler">The transport under the resilience pipeline; <see langword="null"/> for the default.</param>
    /// <param name="loggerFactory">Where to log; <see langword="null"/> for no logging.</param>
    /// <returns>The deliverer (kind <c>slack-webhook</c>, target the webhook's host and a short hash of its URL).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is invalid or missing; the message names it and says what to set.</exception>
    public static IDigestDeliverer CreateSlackWebhook(SlackWebhookOptions options, TimeProvider? timeProvider = null, HttpMessageHandler? primaryHandler = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ThrowIfInvalid(options.Validate(), nameof(options));
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("ArxivRank.Delivery.Slack");
        var client = SlackHttp.CreateClient(options, "slack-webhook:" + SlackWebhookDeliverer.TargetName(options.WebhookUrl!), timeProvider ?? TimeProvider.System, primaryHandler, logger);
        return new SlackWebhookDeliverer(options, client);
    }

    private static void ThrowIfInvalid(IEnumerable<string> problems, string name)
    {
        var list = problems.ToList();
        if (list.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", list), name);
        }
    }
}
