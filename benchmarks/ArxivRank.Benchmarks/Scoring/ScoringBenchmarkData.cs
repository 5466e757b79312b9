using System.Globalization;
using ArxivRank.Scoring;
using ArxivRank.TestUtilities;
using ArxivRank.TestUtilities.Chat;
using Microsoft.Extensions.AI;

namespace ArxivRank.Benchmarks.Scoring;

/// <summary>Shared inputs: 1,000 real papers (the labeled days, in order) and a fake model with precomputed answers.</summary>
internal static class ScoringBenchmarkData
{
    public static ScoringCriteria Criteria { get; } = ScoringCriteria.Parse(ReferenceDigest.Load(1).Prompt);

    public static List<Paper> Papers(int count)
        => [.. LabeledDays.Days.SelectMany(d => LabeledDays.Load(d)).Select(l => l.Paper).DistinctBy(p => p.Id.Id).Take(count)];

    /// <summary>
    /// A chat client whose answers are computed before the measurement (keyed by the first id of each batch), so the
    /// benchmark measures the scorer, not the fake. Answers every paper of the batch.
    /// </summary>
    public static TestChatClient FakeModel(IReadOnlyList<Paper> papers, int batchSize, TimeSpan latency)
    {
        var answers = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < papers.Count; i += batchSize)
        {
            var batch = papers.Skip(i).Take(batchSize).Select(p => p.Id.Id).ToList();
            answers[batch[0]] = FakeScoringModel.JsonLines(batch);
        }

        var usage = new UsageDetails { InputTokenCount = 6_000, CachedInputTokenCount = 1_000, OutputTokenCount = 800 };
        return new TestChatClient
        {
            GetResponseAsyncCallback = async (messages, _, cancellationToken) =>
            {
                if (latency > TimeSpan.Zero)
                {
                    await Task.Delay(latency, cancellationToken);
                }

                string text = ((IList<ChatMessage>)messages)[^1].Text;
                int start = text.IndexOf("<paper id=\"", StringComparison.Ordinal) + 11;
                string first = text[start..text.IndexOf('"', start)];
                return FakeScoringModel.Response(answers[first], usage: FakeScoringModel.Copy(usage), modelId: "gpt-4o-mini");
            },
        };
    }

    public static string Describe(int papers, int batchSize) => string.Create(CultureInfo.InvariantCulture, $"{papers} papers, batches of {batchSize}");
}
