using System.Globalization;
using System.Text;
using ArxivRank.Scoring;
using ArxivRank.TestUtilities;
using ArxivRank.TestUtilities.Chat;
using Xunit.Abstractions;

namespace ArxivRank.Tests.Scoring;

/// <summary>
/// Agreement of the offline scorers with the LLM's picks on the ten labeled days (the numbers in docs/scoring.md):
/// precision@20 and the recall of the picks within the top 30% of the ranking, per day and averaged, against random.
/// </summary>
public class OfflineScorerQualityTests(ITestOutputHelper output)
{
    private const int K = 20;
    private const double Share = 0.3;

    /// <summary>The criteria the labeled days were judged with (the fullest copy, in reference digest 001).</summary>
    private static ScoringCriteria Criteria => ScoringCriteria.Parse(ReferenceDigest.Load(1).Prompt);

    [Fact]
    public async Task Lexical_OnTheTenLabeledDays_BeatsRandomOnAverage()
    {
        var rows = await MeasureAsync(PaperScorers.CreateLexical(Criteria));

        output.WriteLine(Table("lexical (BM25)", rows));
        rows.Average(r => r.Precision).Should().BeGreaterThan(rows.Average(r => r.RandomPrecision));
        rows.Average(r => r.Recall).Should().BeGreaterThan(rows.Average(r => r.RandomRecall));
    }

    [Fact]
    public async Task Embedding_WithTheHashingFake_IsMeasuredTheSameWay()
    {
        // The fake embedding is a hashed bag of words: these numbers test the plumbing and say nothing about a real model.
        var rows = await MeasureAsync(new TestEmbeddingGenerator().AsPaperScorer(Criteria));

        output.WriteLine(Table("embedding (hashing fake)", rows));
        rows.Should().HaveCount(LabeledDays.Days.Count).And.OnlyContain(r => r.Precision >= 0 && r.Precision <= 1 && r.Recall >= 0 && r.Recall <= 1);
    }

    private static async Task<List<Row>> MeasureAsync(IPaperScorer scorer)
    {
        var rows = new List<Row>();
        foreach (var day in LabeledDays.Days)
        {
            var labeled = LabeledDays.Load(day);
            var result = await scorer.ScoreAsync([.. labeled.Select(l => l.Paper)]);
            var selected = labeled.ToDictionary(l => l.Paper.Id.Id, l => l.Selected);
            var ranked = result.Scores
                .Select((s, i) => (Score: s, Index: i))
                .OrderByDescending(x => x.Score.Score ?? double.MinValue)
                .ThenBy(x => x.Index)
                .Select(x => selected[x.Score.PaperId.Id])
                .ToList();
            var (randomPrecision, randomRecall) = RankingMetrics.Random([.. labeled.Select(l => l.Selected)], K, Share);
            rows.Add(new Row(day, labeled.Count, labeled.Count(l => l.Selected), RankingMetrics.PrecisionAtK(ranked, K), RankingMetrics.RecallAtShare(ranked, Share), randomPrecision, randomRecall));
        }

        return rows;
    }

    private static string Table(string name, List<Row> rows)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"{name}: day | papers | picks | P@20 | random P@20 | recall@30% | random recall@30%");
        foreach (var r in rows)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {r.Day:yyyy-MM-dd} | {r.Papers} | {r.Picks} | {r.Precision:0.00} | {r.RandomPrecision:0.00} | {r.Recall:0.00} | {r.RandomRecall:0.00} |");
        }

        sb.AppendLine(CultureInfo.InvariantCulture, $"| average | {rows.Average(r => r.Papers):0} | {rows.Average(r => r.Picks):0} | {rows.Average(r => r.Precision):0.00} | {rows.Average(r => r.RandomPrecision):0.00} | {rows.Average(r => r.Recall):0.00} | {rows.Average(r => r.RandomRecall):0.00} |");
        return sb.ToString();
    }

    private sealed record Row(DateOnly Day, int Papers, int Picks, double Precision, double Recall, double RandomPrecision, double RandomRecall);
}
