using System.Globalization;
using System.Net;
using System.Text.Json;
using ArxivRank.Rendering;
using ArxivRank.Sources.Http;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Timeout;

namespace ArxivRank.Delivery.Slack;

/// <summary>One rendered Slack message: the text fallback and the Block Kit blocks as JSON.</summary>
internal sealed record SlackMessage(string Text, string BlocksJson);

/// <summary>A Slack call failed; the message says what to do.</summary>
internal sealed class SlackDeliveryException(string message, Exception? inner = null) : ArxivRankException(message, inner);

/// <summary>
/// What both Slack deliverers share: the HTTP client with the same resilience mechanism as the arXiv sources (retry with
/// <c>Retry-After</c> honored, shared pacing gate, attempt time-out), and the messages from <see cref="SlackDigestRenderer"/>.
/// </summary>
internal static class SlackHttp
{
    /// <summary>A client whose every request passes retry (429 always; other failures only when resending cannot post twice) → pacing per channel → attempt time-out.</summary>
    public static HttpClient CreateClient(SlackPostingOptions options, string paceKey, TimeProvider timeProvider, HttpMessageHandler? primaryHandler, ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { Name = "slack", TimeProvider = timeProvider };
        if (options.MaxRetryAttempts > 0)
        {
            var retry = ArxivResilience.RetryOptions(options.MaxRetryAttempts, options.RetryBaseDelay, options.MaxRetryDelay, timeProvider, args =>
                Log.SlackRateLimited(logger, args.Context.GetRequestMessage()?.RequestUri?.Segments[^1] ?? "request", args.AttemptNumber + 1, args.RetryDelay));
            retry.ShouldHandle = args => new ValueTask<bool>(ShouldRetry(args.Outcome, args.Context.GetRequestMessage()?.Method));
            builder.AddRetry(retry);
        }

        var gate = PacingGate.For(timeProvider, paceKey);
        var interval = options.MinPostInterval;
        builder.AddStrategy(_ => new PacingStrategy(gate, interval, null));
        builder.AddTimeout(new HttpTimeoutStrategyOptions { Name = "attempt-timeout", Timeout = options.AttemptTimeout });
        var handler = new ResilienceHandler(builder.Build())
        {
            InnerHandler = primaryHandler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) },
        };
        var client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", "ArxivRank (+https://github.com/arxivrank/arxivrank)");
        return client;
    }

    /// <summary>
    /// A 429 is always retried (Slack posted nothing). A post is otherwise retried only when nothing reached Slack (the
    /// connection failed): a post that timed out may have been posted, and the next run's duplicate check finishes it.
    /// </summary>
    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, HttpMethod? method)
    {
        bool idempotent = method == HttpMethod.Get;
        if (outcome.Result is { } response)
        {
            int status = (int)response.StatusCode;
            return status == 429 || (idempotent && (status >= 500 || status == 408));
        }

        return outcome.Exception switch
        {
            HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } => true,
            HttpRequestException or TimeoutRejectedException => idempotent,
            _ => false,
        };
    }

    /// <summary>Renders the digest with the Slack renderer: the header message first, then the thread's messages.</summary>
    public static async Task<IReadOnlyList<SlackMessage>> RenderAsync(Digest digest, SlackRendererOptions options, CancellationToken cancellationToken)
    {
        var output = new MemoryDigestOutput();
        await new SlackDigestRenderer(options).RenderAsync(digest, output, cancellationToken).ConfigureAwait(false);
        var messages = new List<SlackMessage>();
        foreach (string name in output.Names)
        {
            using var document = JsonDocument.Parse(output.GetBytes(name));
            messages.Add(new SlackMessage(document.RootElement.GetProperty("text").GetString() ?? string.Empty, document.RootElement.GetProperty("blocks").GetRawText()));
        }

        return messages;
    }

    /// <summary>Writes the fields of a message post: text fallback, blocks, no link unfurling.</summary>
    public static void WriteMessage(Utf8JsonWriter writer, SlackMessage message)
    {
        writer.WriteString("text", message.Text);
        writer.WritePropertyName("blocks");
        writer.WriteRawValue(message.BlocksJson, skipInputValidation: true);
        writer.WriteBoolean("unfurl_links", false);
        writer.WriteBoolean("unfurl_media", false);
    }

    /// <summary>Sends a request, turning a network failure or a time-out into a <see cref="SlackDeliveryException"/> that says what to do.</summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpRequestMessage request, string what, string where, CancellationToken cancellationToken)
    {
        try
        {
            return await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (TimeoutRejectedException ex)
        {
            throw new SlackDeliveryException($"Slack did not answer {what} in time ({where}); try again later: the next run finishes the delivery without posting twice.", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new SlackDeliveryException($"Slack could not be reached for {what} ({where}): {ex.Message} Check the connection and the URL; the next run finishes the delivery.", ex);
        }
        catch (OperationCanceledException ex)
        {
            throw new SlackDeliveryException($"Slack did not answer {what} in time ({where}); the next run finishes the delivery.", ex);
        }
    }

    /// <summary>The message for a 429 that outlasted the retries.</summary>
    public static string RateLimited(string what, int retries)
        => string.Create(CultureInfo.InvariantCulture, $"Slack kept rate-limiting {what} (HTTP 429) after {retries} retries; the next run finishes the delivery.");

    /// <summary>Reads at most 2,000 characters of an error body.</summary>
    public static async Task<string> ReadPrefixAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        body = body.Trim();
        return body.Length > 2000 ? body[..2000] + "…" : body;
    }

    /// <summary>Gets whether the status is 429.</summary>
    public static bool IsRateLimited(HttpResponseMessage response) => response.StatusCode == HttpStatusCode.TooManyRequests;
}
