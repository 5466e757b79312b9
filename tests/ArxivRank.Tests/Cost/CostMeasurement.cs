using System.Globalization;
using System.Text;
using ArxivRank.OpenAI;
using ArxivRank.Ranking;
using ArxivRank.Scoring;
using ArxivRank.TestUtilities;
using ArxivRank.TestUtilities.Chat;
using Microsoft.Extensions.AI;

namespace ArxivRank.Tests.Cost;

/// <summary>One setting of the cost measurement.</summary>
public sealed record CostSetting(string Name, LlmScorerOptions Options, bool Prescreen, bool BatchApi, double PrescreenShare = 0.35, double Exploration = 0.05);

/// <summary>What one setting cost on the day, and what it selected.</summary>
public sealed record CostRow(string Name, decimal Dollars, long Input, long Cached, long Output, long BatchInput, long BatchOutput, int Requests, int BatchRequests, IReadOnlySet<string> Selected)
{
    public double CachedShare => Input == 0 ? 0 : Cached / (double)Input;
}

/// <summary>
/// Runs one real labeled day through the LLM scorer against the loopback server that bills like OpenAI at gpt-4o list
/// prices. The fake model answers from the day's real verdicts, deterministically: a paper the reader's gpt-4o run
/// selected gets its recorded relevance and novelty; any other paper gets a relevance of 1 to 6 and a novelty of 1 to 9
/// from a hash of its id (never selected); the title screen lists the unselected papers whose id hash falls in the lower
/// 60% (the labeled days' screen dropped most papers). Comments are a fixed sentence of typical length.
/// </summary>
public static class CostMeasurement
{
    public static DateOnly Day { get; } = new(2025, 7, 8);

    public static ScoringCriteria Criteria { get; } = ScoringCriteria.Parse(ReferenceDigest.Load(1).Prompt);

    /// <summary>The selection rule of the labeled days: relevance 8 or more and novelty 7 or more.</summary>
    public static bool IsSelected(PaperScore score) => score.Relevance >= 8 && score.Novelty >= 7;

    /// <summary>A learned ranker trained on the other nine labeled days (what <c>--ranker MODEL</c> would load).</summary>
    public static LearnedRanker TrainRanker()
        => LearnedRanker.Train(LabeledDays.Days.Where(d => d != Day).SelectMany(LabeledDays.Load).Select(p => new LabeledExample(p.Paper, p.Selected)));

    public static async Task<CostRow> MeasureAsync(CostSetting setting, IReadOnlyList<LabeledPaper> day, LearnedRanker? ranker)
    {
        var verdicts = day.ToDictionary(p => p.Paper.Id.Id, StringComparer.Ordinal);
        await using var server = await ChatCompletionsServer.StartAsync(request => Answer(request, verdicts));
        server.Billing = new OpenAIBilling();
        server.BatchPollsUntilDone = 0;
        var clientOptions = new OpenAIChatClientOptions { Endpoint = server.BaseUri, ApiKey = "sk-test", Model = "gpt-4o", MaxRetryAttempts = 0 };
        using var chat = OpenAIChatClientFactory.Create(clientOptions);
        var batchClient = OpenAIChatClientFactory.CreateBatchClient(clientOptions);
        using var disposeBatch = (IDisposable)batchClient;
        IPaperScorer scorer = setting.BatchApi
            ? chat.AsBatchPaperScorer(batchClient, Criteria, setting.Options, new BatchApiOptions { PollInterval = TimeSpan.FromMilliseconds(5), MaxPollInterval = TimeSpan.FromMilliseconds(20) })
            : chat.AsPaperScorer(Criteria, setting.Options);
        if (setting.Prescreen)
        {
            scorer = scorer.WithPrescreen(ranker!, new PrescreenOptions { Seed = Day.DayNumber, Share = setting.PrescreenShare, ExplorationShare = setting.Exploration });
        }

        var result = await scorer.ScoreAsync([.. day.Select(p => p.Paper)]);
        var t = server.Billing.Totals;
        return new CostRow(setting.Name, server.Billing.Dollars, t.Input, t.Cached, t.Output, t.BatchInput, t.BatchOutput, t.Requests, t.BatchRequests, result.Scores.Where(IsSelected).Select(s => s.PaperId.Id).ToHashSet(StringComparer.Ordinal));
    }

    public static string Table(IEnumerable<CostRow> rows, CostRow plain)
    {
        var sb = new StringBuilder("| setting | $ / day | × plain | input tokens | cached | output | batch in | batch out | requests | selections kept |\n|---|---|---|---|---|---|---|---|---|---|\n");
        foreach (var r in rows)
        {
            double kept = plain.Selected.Count == 0 ? 1 : r.Selected.Count(plain.Selected.Contains) / (double)plain.Selected.Count;
            sb.Append(CultureInfo.InvariantCulture, $"| {r.Name} | {r.Dollars:0.000} | {r.Dollars / plain.Dollars:0.00} | {r.Input:N0} | {r.CachedShare:P0} | {r.Output:N0} | {r.BatchInput:N0} | {r.BatchOutput:N0} | {r.Requests}+{r.BatchRequests} | {kept:P0} ({r.Selected.Count}) |\n");
        }

        return sb.ToString();
    }

    private static ChatCompletionsReply Answer(ChatCompletionsRequest request, Dictionary<string, LabeledPaper> verdicts)
    {
        if (request.IsTitleScreen)
        {
            var dropped = request.PaperIds.Where(id => verdicts.TryGetValue(id, out var v) && !v.Selected && Hash(id) % 10 < 6).ToList();
            return ChatCompletionsReply.Completion(dropped.Count == 0 ? "NONE" : string.Join('\n', dropped));
        }

        var sb = new StringBuilder();
        foreach (string id in request.PaperIds)
        {
            var (relevance, novelty) = verdicts.TryGetValue(id, out var v) && v.Selected
                ? (v.Relevance ?? 8, v.Novelty ?? 7)
                : ((int)(Hash(id) % 6) + 1, (int)(Hash(id) / 6 % 9) + 1);
            sb.Append(CultureInfo.InvariantCulture, $$"""{"arxivId": "{{id}}", "comment": "Closest to the reader's topic on efficient inference of large models; the method is a modest variation.", "relevance": {{relevance}}, "novelty": {{novelty}}}""").Append('\n');
        }

        // A model takes a while to answer: requests sent together are in flight together, so none of them can read
        // another's prefix from the cache (the billing server records a prefix when a request finishes).
        return ChatCompletionsReply.Completion(sb.ToString()) with { Delay = TimeSpan.FromMilliseconds(150) };
    }

    private static uint Hash(string id)
    {
        uint hash = 2166136261;
        foreach (char c in id)
        {
            hash = (hash ^ c) * 16777619;
        }

        return hash;
    }
}
