using System.Buffers;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace ArxivRank.Delivery.Slack;

/// <summary>
/// Posts a digest with Slack's Web API as the Python paper assistant does: one main message (<c>chat.postMessage</c>),
/// then thread replies (<c>thread_ts</c>) that carry every selected paper, each within Block Kit's limits.
/// </summary>
/// <remarks>
/// Exactly once: every message carries <c>metadata</c> (event type, day, part). Before posting, the deliverer looks for
/// the day's main message in <c>conversations.history</c> (<c>include_all_metadata=true</c>) and for its replies in
/// <c>conversations.replies</c>, so a run that stopped after posting finishes the thread instead of posting again.
/// </remarks>
internal sealed class SlackWebApiDeliverer : IDigestDeliverer, IDisposable
{
    public const string KindName = "slack";
    private const int PageSize = 200;
    private readonly SlackDeliveryOptions _options;
    private readonly HttpClient _client;
    private readonly ILogger _logger;
    private readonly string _channel;
    private readonly Uri _base;

    public SlackWebApiDeliverer(SlackDeliveryOptions options, HttpClient client, ILogger logger)
    {
        _options = options;
        _client = client;
        _logger = logger;
        _channel = options.Channel!.Trim();
        _base = options.BaseUrl.AbsoluteUri.EndsWith('/') ? options.BaseUrl : new Uri(options.BaseUrl.AbsoluteUri + "/");
        Targets = [_channel];
    }

    public string Kind => KindName;

    public IReadOnlyList<string> Targets { get; }

    public async Task<DeliveryOutcome> DeliverAsync(DeliveryRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Digest);
        if (request.Target != _channel)
        {
            throw new ArgumentException($"This deliverer posts to '{_channel}', not '{request.Target}'.", nameof(request));
        }

        var messages = await SlackHttp.RenderAsync(request.Digest, _options.Renderer, cancellationToken).ConfigureAwait(false);
        string day = request.Digest.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        string? ts = null;
        var posted = new HashSet<int>();
        bool postedNow = false;
        try
        {
            if (!request.Resend)
            {
                ts = await FindMainMessageAsync(day, request.Digest.Date, cancellationToken).ConfigureAwait(false);
                if (ts is not null)
                {
                    posted.Add(1);
                    posted.UnionWith(await FindRepliesAsync(ts, day, cancellationToken).ConfigureAwait(false));
                    Log.SlackFoundExisting(_logger, day, _channel, ts, posted.Count, messages.Count);
                }
            }

            if (ts is null)
            {
                ts = await PostAsync(messages[0], day, 1, messages.Count, threadTs: null, cancellationToken).ConfigureAwait(false);
                posted.Add(1);
                postedNow = true;
            }

            for (int part = 2; part <= messages.Count; part++)
            {
                if (posted.Contains(part))
                {
                    continue;
                }

                await PostAsync(messages[part - 1], day, part, messages.Count, ts, cancellationToken).ConfigureAwait(false);
                posted.Add(part);
                postedNow = true;
            }

            return postedNow
                ? DeliveryOutcome.Delivered(Kind, _channel, messages.Count, ts)
                : new DeliveryOutcome { Kind = Kind, Target = _channel, Status = DeliveryStatus.AlreadyDelivered, PartsDelivered = messages.Count, Reference = ts };
        }
        catch (SlackDeliveryException ex)
        {
            return DeliveryOutcome.Failed(Kind, _channel, ex.Message, posted.Count, ts);
        }
    }

    public void Dispose() => _client.Dispose();

    /// <summary>The newest message of the channel since the day before the announcement that carries this day's metadata.</summary>
    private async Task<string?> FindMainMessageAsync(string day, DateOnly date, CancellationToken cancellationToken)
    {
        long oldest = new DateTimeOffset(date.AddDays(-1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeSeconds();
        string? cursor = null;
        do
        {
            string query = string.Create(CultureInfo.InvariantCulture, $"channel={Uri.EscapeDataString(_channel)}&include_all_metadata=true&oldest={oldest}&limit={PageSize}")
                + (cursor is null ? string.Empty : "&cursor=" + Uri.EscapeDataString(cursor));
            using var document = await CallAsync("conversations.history", HttpMethod.Get, query, null, cancellationToken).ConfigureAwait(false);
            var root = document.RootElement;
            if (root.TryGetProperty("messages", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var message in list.EnumerateArray())
                {
                    if (Part(message, day) == 1 && message.TryGetProperty("ts", out var ts) && ts.GetString() is { Length: > 0 } found)
                    {
                        return found;
                    }
                }
            }

            cursor = NextCursor(root);
        }
        while (cursor is not null);
        return null;
    }

    /// <summary>The parts already posted in the thread of <paramref name="threadTs"/>.</summary>
    private async Task<IReadOnlySet<int>> FindRepliesAsync(string threadTs, string day, CancellationToken cancellationToken)
    {
        var parts = new HashSet<int>();
        string? cursor = null;
        do
        {
            string query = string.Create(CultureInfo.InvariantCulture, $"channel={Uri.EscapeDataString(_channel)}&ts={Uri.EscapeDataString(threadTs)}&include_all_metadata=true&limit={PageSize}")
                + (cursor is null ? string.Empty : "&cursor=" + Uri.EscapeDataString(cursor));
            using var document = await CallAsync("conversations.replies", HttpMethod.Get, query, null, cancellationToken).ConfigureAwait(false);
            var root = document.RootElement;
            if (root.TryGetProperty("messages", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var message in list.EnumerateArray())
                {
                    if (Part(message, day) is { } part and > 1)
                    {
                        parts.Add(part);
                    }
                }
            }

            cursor = NextCursor(root);
        }
        while (cursor is not null);
        return parts;
    }

    private async Task<string> PostAsync(SlackMessage message, string day, int part, int parts, string? threadTs, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("channel", _channel);
            SlackHttp.WriteMessage(writer, message);
            if (threadTs is not null)
            {
                writer.WriteString("thread_ts", threadTs);
            }

            writer.WriteStartObject("metadata");
            writer.WriteString("event_type", _options.EventType);
            writer.WriteStartObject("event_payload");
            writer.WriteString("day", day);
            writer.WriteNumber("part", part);
            writer.WriteNumber("parts", parts);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        var content = new ByteArrayContent(buffer.WrittenSpan.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        using var document = await CallAsync("chat.postMessage", HttpMethod.Post, null, content, cancellationToken).ConfigureAwait(false);
        return document.RootElement.TryGetProperty("ts", out var ts) && ts.GetString() is { Length: > 0 } value
            ? value
            : throw new SlackDeliveryException("Slack accepted chat.postMessage but returned no message ts; check --slack-base-url points at Slack's Web API.");
    }

    private async Task<JsonDocument> CallAsync(string method, HttpMethod httpMethod, string? query, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(httpMethod, new Uri(_base, method + (query is null ? string.Empty : "?" + query))) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.BotToken);
        using var response = await SlackHttp.SendAsync(_client, request, method, _base.GetLeftPart(UriPartial.Path), cancellationToken).ConfigureAwait(false);
        if (SlackHttp.IsRateLimited(response))
        {
            throw new SlackDeliveryException(SlackHttp.RateLimited(method, _options.MaxRetryAttempts));
        }

        if (!response.IsSuccessStatusCode)
        {
            string body = await SlackHttp.ReadPrefixAsync(response, cancellationToken).ConfigureAwait(false);
            throw new SlackDeliveryException(string.Create(CultureInfo.InvariantCulture, $"Slack answered HTTP {(int)response.StatusCode} {response.ReasonPhrase} to {method}{(body.Length > 0 ? ": " + body : ".")} Try again later; the next run finishes the delivery."));
        }

        JsonDocument document;
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
        catch (JsonException ex)
        {
            throw new SlackDeliveryException($"Slack answered {method} with something that is not JSON ({ex.Message}); check that the Slack base URL is Slack's Web API.", ex);
        }

        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True)
        {
            return document;
        }

        string error = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var e) ? e.GetString() ?? "unknown_error" : "unknown_error";
        string? needed = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("needed", out var n) ? n.GetString() : null;
        document.Dispose();
        throw new SlackDeliveryException(Describe(method, error, needed));
    }

    /// <summary>Slack's <c>ok: false</c> errors as messages that say the fix.</summary>
    internal string Describe(string method, string error, string? needed)
    {
        string token = _options.TokenName;
        string detail = error switch
        {
            "invalid_auth" or "token_revoked" or "token_expired" or "account_inactive"
                => $"Slack rejected the bot token in {token} ({error}): set {token} to the app's current Bot User OAuth Token (xoxb-…, under OAuth & Permissions), reinstalling the app if it was removed.",
            "not_authed"
                => $"Slack received no bot token ({error}): set {token} to the app's Bot User OAuth Token (xoxb-…).",
            "channel_not_found"
                => $"Slack has no channel '{_channel}' the bot can see ({error}): give the channel ID (C…, at the bottom of the channel's details), not its name; for a private channel, invite the bot first.",
            "not_in_channel"
                => $"The bot is not in channel '{_channel}' ({error}): invite the bot to the channel (/invite @your-app in the channel) and run again.",
            "is_archived"
                => $"Channel '{_channel}' is archived ({error}): unarchive it or choose another channel.",
            "missing_scope"
                => $"The bot token in {token} lacks the scope {needed ?? "the method needs"} for {method} ({error}): add it under OAuth & Permissions → Bot Token Scopes (chat:write; channels:history, or groups:history for a private channel), reinstall the app, and run again.",
            "invalid_blocks" or "invalid_blocks_format"
                => $"Slack rejected the message's blocks ({error}): lower the Slack renderer's limits (maxTextLength, maxBlocksPerMessage) or leave abstracts out, and report the digest that caused it.",
            "msg_blocks_too_long" or "msg_too_long"
                => $"The message is too long for Slack ({error}): lower the Slack renderer's maxTextLength or maxBlocksPerMessage, or leave abstracts out.",
            "ratelimited" or "rate_limited"
                => $"Slack rate-limited {method} ({error}); the next run finishes the delivery.",
            "restricted_action" or "ekm_access_denied"
                => $"The workspace does not let the bot post in '{_channel}' ({error}): ask a workspace admin to allow it.",
            _ => $"Slack answered {method} with the error '{error}'; see https://api.slack.com/methods/{method} for what it means.",
        };
        return detail;
    }

    /// <summary>The part number of one of this deliverer's messages for <paramref name="day"/>, or <see langword="null"/> for any other message.</summary>
    private int? Part(JsonElement message, string day)
    {
        if (!message.TryGetProperty("metadata", out var metadata) || metadata.ValueKind != JsonValueKind.Object
            || !metadata.TryGetProperty("event_type", out var type) || type.GetString() != _options.EventType
            || !metadata.TryGetProperty("event_payload", out var payload) || payload.ValueKind != JsonValueKind.Object
            || !payload.TryGetProperty("day", out var d) || d.GetString() != day)
        {
            return null;
        }

        return payload.TryGetProperty("part", out var p) && p.ValueKind == JsonValueKind.Number && p.TryGetInt32(out int part) ? part : 1;
    }

    private static string? NextCursor(JsonElement root)
        => root.TryGetProperty("response_metadata", out var meta) && meta.ValueKind == JsonValueKind.Object
            && meta.TryGetProperty("next_cursor", out var next) && next.GetString() is { Length: > 0 } cursor
            ? cursor
            : null;
}
