using Microsoft.Extensions.AI;

namespace ArxivRank.Scoring;

/// <summary>Sums <see cref="UsageDetails"/> per model across concurrent requests and prices the totals.</summary>
internal sealed class UsageAccumulator
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Totals> _byModel = new(StringComparer.OrdinalIgnoreCase);

    public void Add(string modelId, UsageDetails? usage)
    {
        lock (_lock)
        {
            if (!_byModel.TryGetValue(modelId, out var totals))
            {
                totals = new Totals();
                _byModel[modelId] = totals;
            }

            totals.Requests++;
            if (usage is not null)
            {
                totals.Input += usage.InputTokenCount ?? 0;
                totals.CachedInput += usage.CachedInputTokenCount ?? 0;
                totals.Output += usage.OutputTokenCount ?? 0;
            }
        }
    }

    public bool IsEmpty
    {
        get
        {
            lock (_lock)
            {
                return _byModel.Count == 0;
            }
        }
    }

    /// <summary>Prices the totals per model; <paramref name="batch"/> prices them at the Batch API's rates.</summary>
    public IReadOnlyList<ModelUsage> ToUsage(PricingTable pricing, bool batch = false)
    {
        lock (_lock)
        {
            return
            [
                .. _byModel
                    .OrderBy(p => p.Key, StringComparer.Ordinal)
                    .Select(p => Price(pricing, batch, new ModelUsage
                    {
                        ModelId = p.Key,
                        Requests = p.Value.Requests,
                        InputTokens = p.Value.Input,
                        CachedInputTokens = p.Value.CachedInput,
                        OutputTokens = p.Value.Output,
                    })),
            ];
        }
    }

    private static ModelUsage Price(PricingTable pricing, bool batch, ModelUsage usage) => batch ? pricing.PriceBatch(usage) : pricing.Price(usage);

    private sealed class Totals
    {
        public int Requests { get; set; }

        public long Input { get; set; }

        public long CachedInput { get; set; }

        public long Output { get; set; }
    }
}
