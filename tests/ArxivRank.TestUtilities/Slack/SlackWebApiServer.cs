using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ArxivRank.TestUtilities.Slack;

/// <summary>A message the <see cref="SlackWebApiServer"/> holds: posted through <c>chat.postMessage</c> or an incoming webhook.</summary>
/// <param name="Channel">The channel id (the webhook's channel for webhook posts).</param>
/// <param name="Ts">The message's timestamp id.</param>
/// <param name="ThreadTs">The parent's ts for a thread reply; <see langword="null"/> for a top-level message.</param>
/// <param name="Text">The <c>text</c> fallback.</param>
/// <param name="Blocks">The blocks.</param>
/// <param name="Metadata">The <c>metadata</c> object, when sent.</param>
/// <param name="UnfurlLinks">The <c>unfurl_links</c> value (Slack's default is true for bots).</param>
/// <param name="ReceivedAt">When the request arrived (before its body was read).</param>
public sealed record SlackPostedMessage(string Channel, string Ts, string? ThreadTs, string Text, JsonArray Blocks, JsonObject? Metadata, bool UnfurlLinks, DateTimeOffset ReceivedAt)
{
    /// <summary>Gets the <c>event_payload.part</c> of the metadata, when there is one.</summary>
    public int? Part => Metadata?["event_payload"]?["part"]?.GetValue<int>();

    /// <summary>Gets every text of the blocks, joined by newlines.</summary>
    public string BlockText => string.Join('\n', Blocks.SelectMany(b => Texts(b)));

    private static IEnumerable<string> Texts(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => p.Key == "text" && p.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? [v.GetValue<string>()] : Texts(p.Value)),
        JsonArray a => a.SelectMany(Texts),
        _ => [],
    };
}

/// <summary>One call the server received.</summary>
/// <param name="Method">The Web API method (<c>chat.postMessage</c>) or <c>webhook</c>.</param>
/// <param name="HttpStatus">The HTTP status answered.</param>
/// <param name="Error">The <c>error</c> answered, if any.</param>
/// <param name="Query">The query and form parameters.</param>
public sealed record SlackCall(string Method, int HttpStatus, string? Error, IReadOnlyDictionary<string, string> Query);

/// <summary>
/// A real HTTP server on 127.0.0.1 (Kestrel, port 0) that speaks the parts of Slack's Web API ArxivRank uses, with
/// Slack's rules: <c>chat.postMessage</c> (bearer token, channel membership, Block Kit limits — at most 50 blocks, section
/// text at most 3,000 characters, header at most 150 — a required <c>text</c> fallback, <c>thread_ts</c>, <c>metadata</c>),
/// <c>conversations.history</c> and <c>conversations.replies</c> (metadata only with <c>include_all_metadata=true</c>,
/// cursor pagination, the <c>channels:history</c> scope), and incoming webhooks (<c>POST /services/…</c>, plain-text
/// answers). Failures as Slack sends them: HTTP 429 with <c>Retry-After</c>, and HTTP 200 with <c>ok: false</c>.
/// </summary>
public sealed class SlackWebApiServer : IAsyncDisposable
{
    /// <summary>The token the server accepts unless a test changes <see cref="Token"/>.</summary>
    public const string DefaultToken = "xoxb-test-token";

    /// <summary>The channel that exists and has the bot as a member.</summary>
    public const string DefaultChannel = "C0TESTCHAN";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<SlackCall> _calls = new();
    private readonly List<SlackPostedMessage> _messages = [];
    private readonly Lock _gate = new();
    private long _tsCounter;
    private int _rateLimitRemaining;
    private TimeSpan _retryAfter;

    private SlackWebApiServer(WebApplication app)
    {
        _app = app;
    }

    /// <summary>Gets the Web API base URL, <c>http://127.0.0.1:{port}/api/</c> (what <c>--slack-base-url</c> takes).</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>Gets the incoming webhook's URL (posts land in <see cref="WebhookChannel"/>).</summary>
    public Uri WebhookUri { get; private set; } = null!;

    /// <summary>Gets the channel the webhook posts to.</summary>
    public string WebhookChannel => "C0WEBHOOK";

    /// <summary>Gets or sets the bot token the server accepts.</summary>
    public string Token { get; set; } = DefaultToken;

    /// <summary>Gets the channels that exist, with whether the bot is a member.</summary>
    public ConcurrentDictionary<string, bool> Channels { get; } = new(StringComparer.Ordinal) { [DefaultChannel] = true };

    /// <summary>Gets the bot token's scopes.</summary>
    public ConcurrentDictionary<string, bool> Scopes { get; } = new(StringComparer.Ordinal) { ["chat:write"] = true, ["channels:history"] = true };

    /// <summary>Gets or sets a value indicating whether the webhook still exists (otherwise 404 <c>no_service</c>).</summary>
    public bool WebhookExists { get; set; } = true;

    /// <summary>Gets or sets a hook that can fail a call before the server handles it (return <see langword="null"/> to go on).</summary>
    public Func<string, int, string?>? FailCall { get; set; }

    /// <summary>Gets every call received, in order.</summary>
    public IReadOnlyList<SlackCall> Calls => [.. _calls];

    /// <summary>Gets the posted messages of a channel, oldest first.</summary>
    /// <param name="channel">The channel.</param>
    /// <returns>The messages, replies included.</returns>
    public IReadOnlyList<SlackPostedMessage> Messages(string channel = DefaultChannel)
    {
        lock (_gate)
        {
            return [.. _messages.Where(m => m.Channel == channel)];
        }
    }

    /// <summary>Starts a server on a free loopback port.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server; dispose it to stop.</returns>
    public static async Task<SlackWebApiServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new SlackWebApiServer(app);
        app.Map("/api/{method}", server.ApiAsync);
        app.MapPost("/services/T000/B000/{secret}", server.WebhookAsync);
        await app.StartAsync(cancellationToken);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        server.BaseUri = new Uri(address + "/api/");
        server.WebhookUri = new Uri(address + "/services/T000/B000/s3cr3tWebhookPart");
        return server;
    }

    /// <summary>Answers the next <paramref name="count"/> calls (any method) with HTTP 429 and <c>Retry-After</c>.</summary>
    /// <param name="count">How many calls to rate-limit.</param>
    /// <param name="retryAfter">The <c>Retry-After</c> to send (whole seconds; 0 allowed).</param>
    public void RateLimitNext(int count, TimeSpan retryAfter)
    {
        lock (_gate)
        {
            _rateLimitRemaining = count;
            _retryAfter = retryAfter;
        }
    }

    /// <summary>Adds a message as if posted earlier (a crashed run's main message, another app's message).</summary>
    /// <param name="channel">The channel.</param>
    /// <param name="text">The text.</param>
    /// <param name="metadata">The metadata, or <see langword="null"/>.</param>
    /// <param name="threadTs">The parent for a reply.</param>
    /// <returns>The message's ts.</returns>
    public string Seed(string channel, string text, JsonObject? metadata = null, string? threadTs = null)
    {
        lock (_gate)
        {
            string ts = NextTs();
            _messages.Add(new SlackPostedMessage(channel, ts, threadTs, text, [], metadata, false, DateTimeOffset.UtcNow));
            return ts;
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private string NextTs() => string.Create(CultureInfo.InvariantCulture, $"1740600000.{++_tsCounter:000000}");

    private bool TakeRateLimit(out TimeSpan retryAfter)
    {
        lock (_gate)
        {
            retryAfter = _retryAfter;
            if (_rateLimitRemaining <= 0)
            {
                return false;
            }

            _rateLimitRemaining--;
            return true;
        }
    }

    private async Task ApiAsync(HttpContext context, string method)
    {
        var arrived = DateTimeOffset.UtcNow; // before the body is read, so parsing time does not blur the pacing

        var query = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        if (context.Request.HasFormContentType)
        {
            foreach (var field in await context.Request.ReadFormAsync())
            {
                query[field.Key] = field.Value.ToString();
            }
        }

        if (TakeRateLimit(out var retryAfter))
        {
            context.Response.Headers.RetryAfter = ((int)retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            await Answer(context, method, query, 429, new JsonObject { ["ok"] = false, ["error"] = "ratelimited" });
            return;
        }

        if (FailCall?.Invoke(method, _calls.Count) is { } injected)
        {
            await Answer(context, method, query, 200, Error(injected));
            return;
        }

        string? authorization = context.Request.Headers.Authorization.FirstOrDefault();
        if (string.IsNullOrEmpty(authorization))
        {
            await Answer(context, method, query, 200, Error("not_authed"));
            return;
        }

        if (authorization != "Bearer " + Token)
        {
            await Answer(context, method, query, 200, Error("invalid_auth"));
            return;
        }

        JsonObject reply = method switch
        {
            "chat.postMessage" => await PostMessageAsync(context, arrived),
            "conversations.history" => History(query),
            "conversations.replies" => Replies(query),
            _ => Error("unknown_method"),
        };
        await Answer(context, method, query, 200, reply);
    }

    private async Task<JsonObject> PostMessageAsync(HttpContext context, DateTimeOffset arrived)
    {
        if (context.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true)
        {
            return Error("invalid_arguments");
        }

        if (!Scopes.ContainsKey("chat:write"))
        {
            return MissingScope("chat:write");
        }

        JsonObject body;
        try
        {
            body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        }
        catch (JsonException)
        {
            return Error("invalid_json");
        }

        string channel = body["channel"]?.GetValue<string>() ?? string.Empty;
        if (!Channels.TryGetValue(channel, out bool member))
        {
            return Error("channel_not_found");
        }

        if (!member)
        {
            return Error("not_in_channel");
        }

        string text = body["text"]?.GetValue<string>() ?? string.Empty;
        var blocks = body["blocks"] as JsonArray ?? [];
        if (text.Length == 0 && blocks.Count == 0)
        {
            return Error("no_text");
        }

        if (text.Length == 0)
        {
            return Error("missing_text_fallback"); // Slack warns; this server makes the fallback required, as ArxivRank promises it
        }

        if (BlockProblem(blocks) is { } problem)
        {
            return Error(problem);
        }

        var warnings = new JsonArray();
        if (text.Length > 40_000)
        {
            text = text[..40_000];
            warnings.Add("message_truncated");
        }

        string? threadTs = body["thread_ts"]?.GetValue<string>();
        SlackPostedMessage posted;
        lock (_gate)
        {
            if (threadTs is not null && !_messages.Exists(m => m.Channel == channel && m.Ts == threadTs && m.ThreadTs is null))
            {
                return Error("thread_not_found");
            }

            posted = new SlackPostedMessage(
                channel,
                NextTs(),
                threadTs,
                text,
                (JsonArray)blocks.DeepClone(),
                body["metadata"]?.DeepClone() as JsonObject,
                body["unfurl_links"]?.GetValue<bool>() ?? true,
                arrived);
            _messages.Add(posted);
        }

        var reply = new JsonObject { ["ok"] = true, ["channel"] = channel, ["ts"] = posted.Ts, ["message"] = new JsonObject { ["text"] = text, ["ts"] = posted.Ts } };
        if (warnings.Count > 0)
        {
            reply["warning"] = string.Join(',', warnings.Select(w => w!.GetValue<string>()));
        }

        return reply;
    }

    /// <summary>Block Kit's limits: 50 blocks, section text 3,000, header 150 plain text, context at most 10 elements.</summary>
    private static string? BlockProblem(JsonArray blocks)
    {
        if (blocks.Count > 50)
        {
            return "invalid_blocks";
        }

        int total = 0;
        foreach (var block in blocks)
        {
            string type = block?["type"]?.GetValue<string>() ?? string.Empty;
            switch (type)
            {
                case "header":
                    var header = block!["text"];
                    if (header?["type"]?.GetValue<string>() != "plain_text" || (header["text"]?.GetValue<string>()?.Length ?? 0) is 0 or > 150)
                    {
                        return "invalid_blocks";
                    }

                    break;
                case "section":
                    int length = block!["text"]?["text"]?.GetValue<string>()?.Length ?? 0;
                    if (length is 0 or > 3000)
                    {
                        return "invalid_blocks";
                    }

                    total += length;
                    break;
                case "context":
                    if (block!["elements"] is not JsonArray elements || elements.Count is 0 or > 10)
                    {
                        return "invalid_blocks";
                    }

                    break;
                case "divider":
                    break;
                default:
                    return "invalid_blocks";
            }
        }

        return total > 50 * 3000 ? "msg_blocks_too_long" : null;
    }

    private JsonObject History(Dictionary<string, string> query)
    {
        if (!Scopes.ContainsKey("channels:history"))
        {
            return MissingScope("channels:history");
        }

        string channel = query.GetValueOrDefault("channel") ?? string.Empty;
        if (!Channels.TryGetValue(channel, out bool member))
        {
            return Error("channel_not_found");
        }

        if (!member)
        {
            return Error("not_in_channel");
        }

        double oldest = double.Parse(query.GetValueOrDefault("oldest") ?? "0", CultureInfo.InvariantCulture);
        List<SlackPostedMessage> list;
        lock (_gate)
        {
            list = [.. _messages.Where(m => m.Channel == channel && m.ThreadTs is null && double.Parse(m.Ts, CultureInfo.InvariantCulture) >= oldest).Reverse()];
        }

        return Page(list, query);
    }

    private JsonObject Replies(Dictionary<string, string> query)
    {
        if (!Scopes.ContainsKey("channels:history"))
        {
            return MissingScope("channels:history");
        }

        string channel = query.GetValueOrDefault("channel") ?? string.Empty;
        string ts = query.GetValueOrDefault("ts") ?? string.Empty;
        List<SlackPostedMessage> list;
        lock (_gate)
        {
            var parent = _messages.Find(m => m.Channel == channel && m.Ts == ts);
            if (parent is null)
            {
                return Error("thread_not_found");
            }

            list = [parent, .. _messages.Where(m => m.Channel == channel && m.ThreadTs == ts)];
        }

        return Page(list, query);
    }

    private static JsonObject Page(List<SlackPostedMessage> list, Dictionary<string, string> query)
    {
        int limit = int.TryParse(query.GetValueOrDefault("limit"), out int l) ? Math.Clamp(l, 1, 1000) : 100;
        int offset = query.GetValueOrDefault("cursor") is { Length: > 0 } cursor ? int.Parse(cursor["off:".Length..], CultureInfo.InvariantCulture) : 0;
        bool withMetadata = query.GetValueOrDefault("include_all_metadata") == "true";
        var page = list.Skip(offset).Take(limit).ToList();
        var messages = new JsonArray();
        foreach (var m in page)
        {
            var item = new JsonObject { ["type"] = "message", ["ts"] = m.Ts, ["text"] = m.Text };
            if (m.ThreadTs is not null)
            {
                item["thread_ts"] = m.ThreadTs;
            }

            if (withMetadata && m.Metadata is not null)
            {
                item["metadata"] = m.Metadata.DeepClone();
            }

            messages.Add(item);
        }

        bool more = offset + page.Count < list.Count;
        return new JsonObject
        {
            ["ok"] = true,
            ["messages"] = messages,
            ["has_more"] = more,
            ["response_metadata"] = new JsonObject { ["next_cursor"] = more ? "off:" + (offset + page.Count).ToString(CultureInfo.InvariantCulture) : string.Empty },
        };
    }

    private async Task WebhookAsync(HttpContext context, string secret)
    {
        var none = new Dictionary<string, string>();
        if (TakeRateLimit(out var retryAfter))
        {
            context.Response.Headers.RetryAfter = ((int)retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            await AnswerText(context, 429, "rate_limited");
            return;
        }

        if (!WebhookExists || secret != "s3cr3tWebhookPart")
        {
            await AnswerText(context, 404, "no_service");
            return;
        }

        JsonObject body;
        try
        {
            body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        }
        catch (JsonException)
        {
            await AnswerText(context, 400, "invalid_payload");
            return;
        }

        string text = body["text"]?.GetValue<string>() ?? string.Empty;
        var blocks = body["blocks"] as JsonArray ?? [];
        if (text.Length == 0 && blocks.Count == 0)
        {
            await AnswerText(context, 400, "no_text");
            return;
        }

        if (BlockProblem(blocks) is { } problem)
        {
            await AnswerText(context, 400, problem);
            return;
        }

        lock (_gate)
        {
            _messages.Add(new SlackPostedMessage(WebhookChannel, NextTs(), null, text, (JsonArray)blocks.DeepClone(), null, body["unfurl_links"]?.GetValue<bool>() ?? true, DateTimeOffset.UtcNow));
        }

        await AnswerText(context, 200, "ok");

        async Task AnswerText(HttpContext c, int status, string answer)
        {
            _calls.Enqueue(new SlackCall("webhook", status, status == 200 ? null : answer, none));
            c.Response.StatusCode = status;
            c.Response.ContentType = "text/plain; charset=utf-8";
            await c.Response.WriteAsync(answer);
        }
    }

    private async Task Answer(HttpContext context, string method, Dictionary<string, string> query, int status, JsonObject body)
    {
        _calls.Enqueue(new SlackCall(method, status, body["ok"]?.GetValue<bool>() == true ? null : body["error"]?.GetValue<string>(), query));
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body.ToJsonString());
    }

    private static JsonObject Error(string error) => new() { ["ok"] = false, ["error"] = error };

    private JsonObject MissingScope(string needed) => new()
    {
        ["ok"] = false,
        ["error"] = "missing_scope",
        ["needed"] = needed,
        ["provided"] = string.Join(',', Scopes.Keys.Order(StringComparer.Ordinal)),
    };
}
