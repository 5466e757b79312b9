using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace ArxivRank.TestUtilities.Chat;

/// <summary>
/// A scripted stand-in for a scoring model: reads the paper ids out of ArxivRank's prompts and answers the way a
/// well-behaved model would (JSON lines for the abstract pass, NONE for the title screen), with deterministic scores.
/// Tests bend it (drop ids, cut answers, add garbage) through their own callbacks built on these helpers.
/// </summary>
public static partial class FakeScoringModel
{
    /// <summary>The ids in <c>&lt;paper id="…"&gt;</c> blocks of the last message.</summary>
    public static IReadOnlyList<string> PaperIds(IEnumerable<ChatMessage> messages)
    {
        var last = messages.LastOrDefault();
        return last is null ? [] : [.. PaperIdRegex().Matches(last.Text).Select(m => m.Groups[1].Value)];
    }

    /// <summary>Whether the messages are a title-screen request (titles only) rather than the abstract pass.</summary>
    public static bool IsTitleScreen(IEnumerable<ChatMessage> messages)
        => messages.LastOrDefault()?.Text.StartsWith("Titles (", StringComparison.Ordinal) == true;

    /// <summary>A deterministic (relevance, novelty) for an id: the same id always gets the same scores.</summary>
    public static (int Relevance, int Novelty) ScoresFor(string id)
    {
        uint hash = 2166136261;
        foreach (char c in id)
        {
            hash = (hash ^ c) * 16777619;
        }

        return ((int)(hash % 10) + 1, (int)((hash / 10) % 10) + 1);
    }

    /// <summary>One JSON line per id, as a model following ArxivRank's instructions writes it.</summary>
    public static string JsonLines(IEnumerable<string> ids, Func<string, (int Relevance, int Novelty)>? scores = null)
    {
        var sb = new StringBuilder();
        foreach (string id in ids)
        {
            var (relevance, novelty) = (scores ?? ScoresFor)(id);
            sb.Append(CultureInfo.InvariantCulture, $$"""{"arxivId": "{{id}}", "comment": "Matches a topic of the criteria.", "relevance": {{relevance}}, "novelty": {{novelty}}}""").Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>The answer a well-behaved model gives: NONE to a title screen, JSON lines for every paper otherwise.</summary>
    public static string Answer(IEnumerable<ChatMessage> messages, Func<string, (int Relevance, int Novelty)>? scores = null)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        return IsTitleScreen(list) ? "NONE" : JsonLines(PaperIds(list), scores);
    }

    /// <summary>A response with the given text, finish reason and usage.</summary>
    public static ChatResponse Response(string text, ChatFinishReason? finishReason = null, UsageDetails? usage = null, string? modelId = null)
        => new(new ChatMessage(ChatRole.Assistant, text))
        {
            FinishReason = finishReason ?? ChatFinishReason.Stop,
            Usage = usage,
            ModelId = modelId,
        };

    /// <summary>A callback for <see cref="TestChatClient.GetResponseAsyncCallback"/> that answers every request well, with the given usage per request.</summary>
    public static Func<IEnumerable<ChatMessage>, ChatOptions?, CancellationToken, Task<ChatResponse>> WellBehaved(UsageDetails? usagePerRequest = null, string? modelId = null, TimeSpan? latency = null)
        => async (messages, _, cancellationToken) =>
        {
            if (latency is { } delay && delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, cancellationToken);
            }

            return Response(Answer(messages), usage: usagePerRequest is null ? null : Copy(usagePerRequest), modelId: modelId);
        };

    /// <summary>Copies usage details (each response gets its own instance).</summary>
    public static UsageDetails Copy(UsageDetails usage) => new()
    {
        InputTokenCount = usage.InputTokenCount,
        OutputTokenCount = usage.OutputTokenCount,
        CachedInputTokenCount = usage.CachedInputTokenCount,
        TotalTokenCount = usage.TotalTokenCount,
    };

    [GeneratedRegex("<paper id=\"([^\"]+)\">")]
    private static partial Regex PaperIdRegex();
}
