using System.Diagnostics;
using System.Diagnostics.Metrics;
using ArxivRank.Scoring;

namespace ArxivRank.Pipeline;

/// <summary>
/// The pipeline's <see cref="ActivitySource"/> and <see cref="Meter"/>, both named <c>ArxivRank</c>, for OpenTelemetry users
/// (<c>.AddSource("ArxivRank")</c>, <c>.AddMeter("ArxivRank")</c>).
/// </summary>
internal sealed class PipelineTelemetry
{
    public const string Name = "ArxivRank";

    public static readonly ActivitySource ActivitySource = new(Name);

    private static readonly Lazy<PipelineTelemetry> Shared = new(() => new PipelineTelemetry(new Meter(Name)));

    public PipelineTelemetry(Meter meter)
    {
        Meter = meter;
        PapersScored = meter.CreateCounter<long>("arxivrank.papers.scored", "{paper}", "Papers scored by a scorer (not from the cache).");
        PapersFromCache = meter.CreateCounter<long>("arxivrank.papers.cached", "{paper}", "Papers whose score came from the score cache.");
        PapersUnscored = meter.CreateCounter<long>("arxivrank.papers.unscored", "{paper}", "Papers that could not be scored (each has a reason).");
        Tokens = meter.CreateCounter<long>("arxivrank.tokens", "{token}", "Tokens spent, by model and type (input, cached_input, output).");
        Cost = meter.CreateCounter<double>("arxivrank.cost", "USD", "Cost of the tokens spent, by model (models with a known price only).");
        Failures = meter.CreateCounter<long>("arxivrank.pipeline.failures", "{run}", "Pipeline runs that failed, by error type.");
        Runs = meter.CreateCounter<long>("arxivrank.pipeline.runs", "{run}", "Pipeline runs that completed, by outcome.");
        StageDuration = meter.CreateHistogram<double>("arxivrank.pipeline.stage.duration", "s", "Time spent in each pipeline stage.");
    }

    public static PipelineTelemetry Default => Shared.Value;

    public Meter Meter { get; }

    public Counter<long> PapersScored { get; }

    public Counter<long> PapersFromCache { get; }

    public Counter<long> PapersUnscored { get; }

    public Counter<long> Tokens { get; }

    public Counter<double> Cost { get; }

    public Counter<long> Failures { get; }

    public Counter<long> Runs { get; }

    public Histogram<double> StageDuration { get; }

    public static PipelineTelemetry Create(IMeterFactory? meterFactory)
        => meterFactory is null ? Default : new PipelineTelemetry(meterFactory.Create(Name));

    public void RecordUsage(IEnumerable<ModelUsage> usage)
    {
        foreach (var u in usage)
        {
            var model = new KeyValuePair<string, object?>("gen_ai.request.model", u.ModelId);
            Tokens.Add(u.InputTokens - u.CachedInputTokens, model, new("gen_ai.token.type", "input"));
            Tokens.Add(u.CachedInputTokens, model, new("gen_ai.token.type", "cached_input"));
            Tokens.Add(u.OutputTokens, model, new("gen_ai.token.type", "output"));
            if (u.TotalCost is { } cost)
            {
                Cost.Add((double)cost, model);
            }
        }
    }
}
