using System.ClientModel.Primitives;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI.Chat;

namespace ArxivRank.OpenAI;

/// <summary>
/// Reads the <c>usage</c> object of OpenAI-compatible answers, including the cache hits of providers that report them
/// in their own field: OpenAI's <c>prompt_tokens_details.cached_tokens</c>, DeepSeek's <c>prompt_cache_hit_tokens</c>.
/// </summary>
internal static class OpenAIUsage
{
    /// <summary>Reads a <c>usage</c> JSON object.</summary>
    public static UsageDetails Read(JsonElement usage)
    {
        long? input = Number(usage, "prompt_tokens");
        long? output = Number(usage, "completion_tokens");
        return new UsageDetails
        {
            InputTokenCount = input,
            OutputTokenCount = output,
            TotalTokenCount = Number(usage, "total_tokens") ?? (input + output),
            CachedInputTokenCount = CachedTokens(usage),
        };
    }

    /// <summary>The cached input tokens: <c>prompt_tokens_details.cached_tokens</c>, else DeepSeek's <c>prompt_cache_hit_tokens</c>.</summary>
    public static long? CachedTokens(JsonElement usage)
    {
        long? openAI = usage.TryGetProperty("prompt_tokens_details", out var details) && details.ValueKind == JsonValueKind.Object ? Number(details, "cached_tokens") : null;
        long? deepSeek = Number(usage, "prompt_cache_hit_tokens");
        return openAI is > 0 ? openAI : deepSeek ?? openAI;
    }

    /// <summary>
    /// Fills <see cref="UsageDetails.CachedInputTokenCount"/> of a chat response from DeepSeek's <c>prompt_cache_hit_tokens</c>,
    /// which the OpenAI SDK keeps only as an unknown property of the completion's usage.
    /// </summary>
    public static void AddProviderCacheHits(ChatResponse response)
    {
        if (response.Usage is not { } usage || usage.CachedInputTokenCount is > 0 || response.RawRepresentation is not ChatCompletion completion)
        {
            return;
        }

        if (completion.Usage is not IPersistableModel<ChatTokenUsage> raw)
        {
            return;
        }

        using var document = JsonDocument.Parse(raw.Write(ModelReaderWriterOptions.Json));
        if (document.RootElement.ValueKind == JsonValueKind.Object && Number(document.RootElement, "prompt_cache_hit_tokens") is { } hits)
        {
            usage.CachedInputTokenCount = hits;
        }
    }

    private static long? Number(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.TryGetInt64(out long n) ? n : null;
}

/// <summary>Reads DeepSeek's cache hits into the usage of every chat response (see <see cref="OpenAIUsage.AddProviderCacheHits"/>).</summary>
internal sealed class ProviderUsageChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<Microsoft.Extensions.AI.ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        OpenAIUsage.AddProviderCacheHits(response);
        return response;
    }
}
