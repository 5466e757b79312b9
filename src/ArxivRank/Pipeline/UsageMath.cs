using ArxivRank.Scoring;

namespace ArxivRank.Pipeline;

/// <summary>Sums token usage per model.</summary>
internal static class UsageMath
{
    public static IReadOnlyList<ModelUsage> Merge(IEnumerable<ModelUsage> usages)
        => [.. usages.GroupBy(u => u.ModelId, StringComparer.Ordinal).Select(g => g.Aggregate(Add))];

    public static ModelUsage Add(ModelUsage a, ModelUsage b) => a with
    {
        Requests = a.Requests + b.Requests,
        InputTokens = a.InputTokens + b.InputTokens,
        CachedInputTokens = a.CachedInputTokens + b.CachedInputTokens,
        OutputTokens = a.OutputTokens + b.OutputTokens,

        // An unknown price stays unknown: never a silent 0.
        InputCost = a.InputCost is { } ai && b.InputCost is { } bi ? ai + bi : null,
        OutputCost = a.OutputCost is { } ao && b.OutputCost is { } bo ? ao + bo : null,
    };
}
