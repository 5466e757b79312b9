using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ArxivRank.TestUtilities.Chat;

/// <summary>A message of a chat-completions request.</summary>
/// <param name="Role">The role (<c>system</c>, <c>user</c>, <c>assistant</c>).</param>
/// <param name="Content">The text content.</param>
public sealed record ChatCompletionsMessage(string Role, string Content);

/// <summary>A request the <see cref="ChatCompletionsServer"/> received.</summary>
/// <param name="Index">0 for the first request the server received, then 1, 2…</param>
/// <param name="Path">The request path (<c>/v1/chat/completions</c>).</param>
/// <param name="Model">The <c>model</c> field.</param>
/// <param name="Messages">The messages.</param>
/// <param name="Stream">Whether <c>stream: true</c> was asked.</param>
/// <param name="ResponseFormatType">The <c>response_format.type</c> (<c>json_schema</c>, <c>json_object</c>), when sent.</param>
/// <param name="MaxTokens">The output-token limit (<c>max_completion_tokens</c> or <c>max_tokens</c>), when sent.</param>
/// <param name="Authorization">The <c>Authorization</c> header, when sent (tests compare it; never print it).</param>
/// <param name="Body">The raw JSON body.</param>
public sealed record ChatCompletionsRequest(int Index, string Path, string Model, IReadOnlyList<ChatCompletionsMessage> Messages, bool Stream, string? ResponseFormatType, int? MaxTokens, string? Authorization, string Body)
{
    /// <summary>Gets the text of the last message.</summary>
    public string LastContent => Messages.Count == 0 ? string.Empty : Messages[^1].Content;

    /// <summary>Gets the paper ids in the last message (ArxivRank's <c>&lt;paper id="…"&gt;</c> blocks).</summary>
    public IReadOnlyList<string> PaperIds => FakeScoringModel.PaperIds(Messages.Select(m => new Microsoft.Extensions.AI.ChatMessage(new Microsoft.Extensions.AI.ChatRole(m.Role), m.Content)));

    /// <summary>Gets a value indicating whether this is ArxivRank's title-screen request.</summary>
    public bool IsTitleScreen => LastContent.StartsWith("Titles (", StringComparison.Ordinal);
}

/// <summary>Token counts the server reports in <c>usage</c>.</summary>
/// <param name="PromptTokens">Input tokens.</param>
/// <param name="CompletionTokens">Output tokens.</param>
/// <param name="CachedTokens">Input tokens served from the prompt cache (<c>prompt_tokens_details.cached_tokens</c>).</param>
public sealed record ChatCompletionsUsage(int PromptTokens, int CompletionTokens, int CachedTokens = 0);

/// <summary>What the <see cref="ChatCompletionsServer"/> answers to one request: a completion or an HTTP error.</summary>
public sealed record ChatCompletionsReply
{
    /// <summary>Gets the HTTP status (200 for a completion).</summary>
    public int StatusCode { get; init; } = 200;

    /// <summary>Gets the assistant's text.</summary>
    public string Content { get; init; } = string.Empty;

    /// <summary>Gets the <c>finish_reason</c> (<c>stop</c>, <c>length</c>).</summary>
    public string FinishReason { get; init; } = "stop";

    /// <summary>Gets the usage reported; <see langword="null"/> for an estimate (a token per 4 characters).</summary>
    public ChatCompletionsUsage? Usage { get; init; }

    /// <summary>Gets the model reported; <see langword="null"/> to echo the request's.</summary>
    public string? Model { get; init; }

    /// <summary>Gets the <c>Retry-After</c> header of an error reply, when set.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Gets how long the server waits before answering.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Gets the size of the pieces a streamed answer is cut into (characters).</summary>
    public int StreamChunkSize { get; init; } = 16;

    /// <summary>A completion.</summary>
    public static ChatCompletionsReply Completion(string content, string finishReason = "stop", ChatCompletionsUsage? usage = null, string? model = null)
        => new() { Content = content, FinishReason = finishReason, Usage = usage, Model = model };

    /// <summary>An HTTP error with an OpenAI-style error body (429 rate limit, 500, 401 …).</summary>
    public static ChatCompletionsReply Failure(int statusCode, string? message = null, TimeSpan? retryAfter = null)
        => new() { StatusCode = statusCode, Content = message ?? $"Simulated error {statusCode}.", RetryAfter = retryAfter };
}

/// <summary>
/// A real HTTP server on 127.0.0.1 (Kestrel, port 0) that speaks OpenAI's chat-completions protocol:
/// <c>POST /v1/chat/completions</c> (plain JSON and <c>stream: true</c> server-sent events, with usage and cached tokens),
/// and <c>POST /v1/embeddings</c> (deterministic <see cref="TestEmbeddingGenerator.HashingEmbedding"/> vectors, float or base64).
/// Each test decides the answers through <see cref="Handler"/>: completions, <c>finish_reason: "length"</c>, 429 with
/// <c>Retry-After</c>, 500, delays. The default handler behaves like a well-behaved scoring model (<see cref="FakeScoringModel"/>).
/// </summary>
public sealed partial class ChatCompletionsServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ChatCompletionsRequest> _requests = new();
    private int _counter = -1;
    private int _received;

    private ChatCompletionsServer(WebApplication app)
    {
        _app = app;
    }

    /// <summary>Gets the OpenAI-compatible base URL, <c>http://127.0.0.1:{port}/v1/</c> (what <c>--llm-base-url</c> takes).</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>Gets or sets how the server answers each chat-completions request. Called concurrently.</summary>
    public Func<ChatCompletionsRequest, ValueTask<ChatCompletionsReply>> Handler { get; set; } = request => ValueTask.FromResult(DefaultReply(request));

    /// <summary>Gets or sets the bill: when set, usage the handler does not give is counted with gpt-4o's tokenizer and prompt cache, and billed (Batch API lines too).</summary>
    public OpenAIBilling? Billing { get; set; }

    /// <summary>Gets or sets a value indicating whether usage reports cache hits as DeepSeek does (<c>prompt_cache_hit_tokens</c>, <c>prompt_cache_miss_tokens</c>) instead of OpenAI's <c>prompt_tokens_details</c>.</summary>
    public bool DeepSeekUsage { get; set; }

    /// <summary>Gets the chat-completions and embeddings requests received, in order of arrival.</summary>
    public IReadOnlyList<ChatCompletionsRequest> Requests => [.. _requests.OrderBy(r => r.Index)];

    /// <summary>Gets the number of requests received (counted whether or not they are recorded).</summary>
    public int RequestCount => Volatile.Read(ref _received);

    /// <summary>Gets or sets a value indicating whether <see cref="Requests"/> keeps every request (default); a benchmark that measures its own process's memory turns it off.</summary>
    public bool RecordRequests { get; set; } = true;

    /// <summary>Starts a server on a free loopback port.</summary>
    /// <param name="handler">How to answer chat-completions requests; <see langword="null"/> for <see cref="DefaultReply"/>.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server; dispose it to stop.</returns>
    public static async Task<ChatCompletionsServer> StartAsync(Func<ChatCompletionsRequest, ChatCompletionsReply>? handler = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new ChatCompletionsServer(app);
        if (handler is not null)
        {
            server.Handler = request => ValueTask.FromResult(handler(request));
        }

        app.MapPost("/v1/chat/completions", server.ChatAsync);
        app.MapPost("/chat/completions", server.ChatAsync);
        app.MapPost("/v1/embeddings", server.EmbeddingsAsync);
        server.MapBatchApi(app);
        app.MapPost("/embeddings", server.EmbeddingsAsync);
        await app.StartAsync(cancellationToken);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUri = new Uri(address.TrimEnd('/') + "/v1/");
        return server;
    }

    /// <summary>The reply of a well-behaved scoring model: NONE to a title screen, JSON lines for every paper otherwise, estimated usage.</summary>
    public static ChatCompletionsReply DefaultReply(ChatCompletionsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string content = request.IsTitleScreen ? "NONE" : FakeScoringModel.JsonLines(request.PaperIds);
        return ChatCompletionsReply.Completion(content);
    }

    private void Record(ChatCompletionsRequest request)
    {
        Interlocked.Increment(ref _received);
        if (RecordRequests)
        {
            _requests.Enqueue(request);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task ChatAsync(HttpContext context)
    {
        string body = await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync(context.RequestAborted);
        ChatCompletionsRequest request;
        try
        {
            request = ParseChatRequest(body, context);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            await WriteErrorAsync(context, 400, $"Malformed request: {ex.Message}", null);
            return;
        }

        Record(request);
        var billing = Billing;
        var (promptTokens, cachedTokens) = billing?.LookUp(request.Messages) ?? (0, 0);
        var reply = await Handler(request);
        if (reply.Delay > TimeSpan.Zero)
        {
            await Task.Delay(reply.Delay, context.RequestAborted);
        }

        if (reply.StatusCode != 200)
        {
            await WriteErrorAsync(context, reply.StatusCode, reply.Content, reply.RetryAfter);
            return;
        }

        string model = reply.Model ?? request.Model;
        ChatCompletionsUsage usage;
        if (reply.Usage is null && billing is not null)
        {
            usage = new ChatCompletionsUsage(promptTokens, OpenAIBilling.CountTokens(reply.Content), cachedTokens);
            billing.Bill(request.Messages, usage.PromptTokens, usage.CachedTokens, usage.CompletionTokens);
        }
        else
        {
            usage = reply.Usage ?? new ChatCompletionsUsage(Math.Max(1, body.Length / 4), Math.Max(1, reply.Content.Length / 4));
        }

        string id = "chatcmpl-" + request.Index.ToString(CultureInfo.InvariantCulture);
        if (!request.Stream)
        {
            var completion = new JsonObject
            {
                ["id"] = id,
                ["object"] = "chat.completion",
                ["created"] = 1_750_000_000,
                ["model"] = model,
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0,
                    ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = reply.Content },
                    ["finish_reason"] = reply.FinishReason,
                }),
                ["usage"] = UsageJson(usage),
            };
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(completion.ToJsonString(), context.RequestAborted);
            return;
        }

        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        int size = Math.Max(1, reply.StreamChunkSize);
        bool first = true;
        for (int start = 0; start < reply.Content.Length || first; start += size)
        {
            string piece = start < reply.Content.Length ? reply.Content.Substring(start, Math.Min(size, reply.Content.Length - start)) : string.Empty;
            var delta = new JsonObject { ["content"] = piece };
            if (first)
            {
                delta["role"] = "assistant";
                first = false;
            }

            await WriteEventAsync(context, Chunk(id, model, delta, null));
        }

        await WriteEventAsync(context, Chunk(id, model, new JsonObject(), reply.FinishReason));
        if (IncludeUsage(body))
        {
            var usageChunk = new JsonObject
            {
                ["id"] = id,
                ["object"] = "chat.completion.chunk",
                ["created"] = 1_750_000_000,
                ["model"] = model,
                ["choices"] = new JsonArray(),
                ["usage"] = UsageJson(usage),
            };
            await WriteEventAsync(context, usageChunk);
        }

        await context.Response.WriteAsync("data: [DONE]\n\n", context.RequestAborted);
    }

    private async Task EmbeddingsAsync(HttpContext context)
    {
        string body = await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync(context.RequestAborted);
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        string model = root.TryGetProperty("model", out var m) ? m.GetString() ?? "embedding" : "embedding";
        var inputs = root.GetProperty("input") is { ValueKind: JsonValueKind.Array } array
            ? array.EnumerateArray().Select(e => e.GetString() ?? string.Empty).ToList()
            : [root.GetProperty("input").GetString() ?? string.Empty];
        bool base64 = root.TryGetProperty("encoding_format", out var format) && format.GetString() == "base64";
        int index = Interlocked.Increment(ref _counter);
        Record(new ChatCompletionsRequest(index, context.Request.Path, model, [.. inputs.Select(i => new ChatCompletionsMessage("input", i))], false, null, null, context.Request.Headers.Authorization.FirstOrDefault(), body));

        var data = new JsonArray();
        for (int i = 0; i < inputs.Count; i++)
        {
            float[] vector = TestEmbeddingGenerator.HashingEmbedding(inputs[i]);
            JsonNode embedding;
            if (base64)
            {
                var bytes = new byte[vector.Length * 4];
                for (int k = 0; k < vector.Length; k++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(k * 4), vector[k]);
                }

                embedding = Convert.ToBase64String(bytes);
            }
            else
            {
                embedding = new JsonArray([.. vector.Select(v => (JsonNode)v)]);
            }

            data.Add(new JsonObject { ["object"] = "embedding", ["index"] = i, ["embedding"] = embedding });
        }

        int tokens = inputs.Sum(i => Math.Max(1, i.Length / 4));
        var response = new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["model"] = model,
            ["usage"] = new JsonObject { ["prompt_tokens"] = tokens, ["total_tokens"] = tokens },
        };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(response.ToJsonString(), context.RequestAborted);
    }

    private ChatCompletionsRequest ParseChatRequest(string body, HttpContext context)
        => ParseChatRequest(body, context.Request.Path, context.Request.Headers.Authorization.FirstOrDefault());

    private ChatCompletionsRequest ParseChatRequest(string body, string path, string? authorization)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var messages = new List<ChatCompletionsMessage>();
        foreach (var message in root.GetProperty("messages").EnumerateArray())
        {
            string role = message.GetProperty("role").GetString() ?? string.Empty;
            string content = message.TryGetProperty("content", out var c)
                ? c.ValueKind == JsonValueKind.String
                    ? c.GetString() ?? string.Empty
                    : c.ValueKind == JsonValueKind.Array
                        ? string.Concat(c.EnumerateArray().Select(p => p.TryGetProperty("text", out var t) ? t.GetString() : null))
                        : string.Empty
                : string.Empty;
            messages.Add(new ChatCompletionsMessage(role, content));
        }

        int? maxTokens = root.TryGetProperty("max_completion_tokens", out var mct) && mct.ValueKind == JsonValueKind.Number ? mct.GetInt32()
            : root.TryGetProperty("max_tokens", out var mt) && mt.ValueKind == JsonValueKind.Number ? mt.GetInt32()
            : null;
        string? responseFormat = root.TryGetProperty("response_format", out var rf) && rf.TryGetProperty("type", out var rft) ? rft.GetString() : null;
        return new ChatCompletionsRequest(
            Interlocked.Increment(ref _counter),
            path,
            root.TryGetProperty("model", out var model) ? model.GetString() ?? string.Empty : string.Empty,
            messages,
            root.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True,
            responseFormat,
            maxTokens,
            authorization,
            body);
    }

    private static bool IncludeUsage(string body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.TryGetProperty("stream_options", out var options)
            && options.TryGetProperty("include_usage", out var include)
            && include.ValueKind == JsonValueKind.True;
    }

    private JsonObject UsageJson(ChatCompletionsUsage usage)
    {
        var json = new JsonObject
        {
            ["prompt_tokens"] = usage.PromptTokens,
            ["completion_tokens"] = usage.CompletionTokens,
            ["total_tokens"] = usage.PromptTokens + usage.CompletionTokens,
        };
        if (DeepSeekUsage)
        {
            json["prompt_cache_hit_tokens"] = usage.CachedTokens;
            json["prompt_cache_miss_tokens"] = usage.PromptTokens - usage.CachedTokens;
        }
        else
        {
            json["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = usage.CachedTokens };
        }

        return json;
    }

    private static JsonObject Chunk(string id, string model, JsonObject delta, string? finishReason) => new()
    {
        ["id"] = id,
        ["object"] = "chat.completion.chunk",
        ["created"] = 1_750_000_000,
        ["model"] = model,
        ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finishReason }),
    };

    private static async Task WriteEventAsync(HttpContext context, JsonObject data)
    {
        await context.Response.WriteAsync("data: " + data.ToJsonString() + "\n\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    private static async Task WriteErrorAsync(HttpContext context, int statusCode, string message, TimeSpan? retryAfter)
    {
        context.Response.StatusCode = statusCode;
        if (retryAfter is { } delay)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(delay.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        var error = new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["message"] = message,
                ["type"] = statusCode == 429 ? "rate_limit_exceeded" : "server_error",
                ["code"] = statusCode.ToString(CultureInfo.InvariantCulture),
            },
        };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(error.ToJsonString(), context.RequestAborted);
    }
}
