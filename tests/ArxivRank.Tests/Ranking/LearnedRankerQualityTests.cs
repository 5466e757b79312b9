using System.Globalization;
using ArxivRank.Ranking;
using ArxivRank.Scoring;
using ArxivRank.TestUtilities;
using Xunit.Abstractions;

namespace ArxivRank.Tests.Ranking;

/// <summary>
/// The honest measurement of docs/learned-ranker.md: learn on the first six labeled days (2025-05-15 … 2025-06-23),
/// rank each of the last four (2025-06-26 … 2025-07-08), compare with the LLM's selections, with a random ranking and
/// with the lexical scorer (BM25 of the reader's criteria, taken from the reference digests).
/// </summary>
public class LearnedRankerQualityTests(LearnedRankerQualityTests.Measurement measurement, ITestOutputHelper output)
    : IClassFixture<LearnedRankerQualityTests.Measurement>
{
    public const int TrainingDays = 6;

    [Fact]
    public void LaterDays_LearnedRanking_BeatsRandomClearly()
    {
        output.WriteLine(measurement.Table());

        // Clearly: at least three times random's precision@20 and 25 points more recall within the top 30%, on average and on every day.
        measurement.Average(d => d.PrecisionAt20).Should().BeGreaterThan(3 * measurement.Average(d => d.RandomPrecisionAt20));
        measurement.Average(d => d.RecallAt30).Should().BeGreaterThan(measurement.Average(d => d.RandomRecallAt30) + 0.25);
        measurement.Days.Should().OnlyContain(d => d.PrecisionAt20 > d.RandomPrecisionAt20 && d.RecallAt30 > d.RandomRecallAt30);
    }

    [Fact]
    public void LaterDays_LearnedPrecisionAt20_NotBelowLexicalScorer()
    {
        output.WriteLine(measurement.LexicalTable());

        measurement.Average(d => d.PrecisionAt20).Should().BeGreaterThanOrEqualTo(measurement.Average(d => d.Lexical.PrecisionAt20));
    }

    [Fact]
    public void LaterDays_SelectionsLieMostlyInTheTopHalf()
    {
        measurement.Average(d => d.RecallAt50).Should().BeGreaterThan(0.75);
        measurement.Days.Should().OnlyContain(d => d.RecallAt20 <= d.RecallAt30 && d.RecallAt30 <= d.RecallAt50);
    }

    [Fact]
    public void LaterDays_HighRelevance_IsMostlyLlmSelections()
    {
        // The 1–10 mapping (tenths of the probability) should mean something: at 7 and above, most papers are selections.
        var scored = measurement.TestPapers.Select(p => (Score: measurement.Ranker.Score(p.Paper), p.Selected)).ToList();
        var high = scored.Where(s => s.Score.Relevance >= 7).ToList();
        output.WriteLine(string.Join(
            Environment.NewLine,
            Enumerable.Range(1, 10).Select(r => $"relevance {r}: {scored.Count(s => s.Score.Relevance == r)} papers, {scored.Count(s => s.Score.Relevance == r && s.Selected)} selected")));

        high.Should().NotBeEmpty();
        high.Count(s => s.Selected).Should().BeGreaterThan(high.Count / 2);
    }

    /// <summary>Trains once on the first days and measures every later day.</summary>
    public sealed class Measurement
    {
        public Measurement()
        {
            var training = LabeledDays.Days.Take(TrainingDays).SelectMany(LabeledDays.Load).Select(p => new LabeledExample(p.Paper, p.Selected));
            Ranker = LearnedRanker.Train(training);
            var days = new List<DayMetrics>();
            var testPapers = new List<LabeledPaper>();
            var lexical = PaperScorers.CreateLexical(ScoringCriteria.Parse(ReferenceDigest.Load(1).Prompt));
            foreach (var day in LabeledDays.Days.Skip(TrainingDays))
            {
                var papers = LabeledDays.Load(day);
                var lexicalScores = lexical.ScoreAsync(papers.Select(p => p.Paper).ToList()).GetAwaiter().GetResult().Scores;
                var lexicalRanked = papers.Zip(lexicalScores)
                    .OrderByDescending(p => p.Second.Relevance ?? 0)
                    .ThenByDescending(p => p.Second.Score ?? 0)
                    .Select(p => p.First.Selected)
                    .ToList();
                testPapers.AddRange(papers);
                var ranked = papers
                    .Select(p => (p.Selected, Probability: Ranker.PredictProbability(p.Paper)))
                    .OrderByDescending(p => p.Probability)
                    .Select(p => p.Selected)
                    .ToList();
                var random30 = RankingMetrics.Random(ranked, 20, 0.3);
                days.Add(new DayMetrics(
                    day,
                    ranked.Count,
                    ranked.Count(s => s),
                    RankingMetrics.PrecisionAtK(ranked, 20),
                    RankingMetrics.RecallAtShare(ranked, 0.2),
                    RankingMetrics.RecallAtShare(ranked, 0.3),
                    RankingMetrics.RecallAtShare(ranked, 0.5),
                    random30.PrecisionAtK,
                    RankingMetrics.Random(ranked, 20, 0.2).RecallAtShare,
                    random30.RecallAtShare,
                    RankingMetrics.Random(ranked, 20, 0.5).RecallAtShare,
                    new Agreement(
                        RankingMetrics.PrecisionAtK(lexicalRanked, 20),
                        RankingMetrics.RecallAtShare(lexicalRanked, 0.2),
                        RankingMetrics.RecallAtShare(lexicalRanked, 0.3),
                        RankingMetrics.RecallAtShare(lexicalRanked, 0.5))));
            }

            Days = days;
            TestPapers = testPapers;
        }

        public LearnedRanker Ranker { get; }

        public IReadOnlyList<DayMetrics> Days { get; }

        public IReadOnlyList<LabeledPaper> TestPapers { get; }

        public double Average(Func<DayMetrics, double> metric) => Days.Average(metric);

        /// <summary>The learned-versus-lexical table of docs/learned-ranker.md.</summary>
        public string LexicalTable()
        {
            var lines = new List<string>
            {
                "| day | learned P@20 | lexical P@20 | learned recall 20% / 30% / 50% | lexical recall 20% / 30% / 50% |",
                "|---|---:|---:|---:|---:|",
            };
            lines.AddRange(Days.Select(d => Row(d.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), d.PrecisionAt20, d.Lexical.PrecisionAt20, d.RecallAt20, d.RecallAt30, d.RecallAt50, d.Lexical.RecallAt20, d.Lexical.RecallAt30, d.Lexical.RecallAt50)));
            lines.Add(Row("**mean**", Average(d => d.PrecisionAt20), Average(d => d.Lexical.PrecisionAt20), Average(d => d.RecallAt20), Average(d => d.RecallAt30), Average(d => d.RecallAt50), Average(d => d.Lexical.RecallAt20), Average(d => d.Lexical.RecallAt30), Average(d => d.Lexical.RecallAt50)));
            return string.Join(Environment.NewLine, lines);

            static string Row(string day, double p, double lp, double r20, double r30, double r50, double lr20, double lr30, double lr50) =>
                string.Create(CultureInfo.InvariantCulture, $"| {day} | {p:0.00} | {lp:0.00} | {r20:0.00} / {r30:0.00} / {r50:0.00} | {lr20:0.00} / {lr30:0.00} / {lr50:0.00} |");
        }

        /// <summary>The Markdown table of docs/learned-ranker.md.</summary>
        public string Table()
        {
            var lines = new List<string>
            {
                "| day | papers | selected | P@20 | recall top 20% | recall top 30% | recall top 50% | random P@20 | random recall 20% / 30% / 50% |",
                "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
            };
            lines.AddRange(Days.Select(d => Row(d.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), d.Papers.ToString(CultureInfo.InvariantCulture), d.Selected.ToString(CultureInfo.InvariantCulture), d.PrecisionAt20, d.RecallAt20, d.RecallAt30, d.RecallAt50, d.RandomPrecisionAt20, d.RandomRecallAt20, d.RandomRecallAt30, d.RandomRecallAt50)));
            lines.Add(Row("**mean**", Days.Sum(d => d.Papers).ToString(CultureInfo.InvariantCulture), Days.Sum(d => d.Selected).ToString(CultureInfo.InvariantCulture), Average(d => d.PrecisionAt20), Average(d => d.RecallAt20), Average(d => d.RecallAt30), Average(d => d.RecallAt50), Average(d => d.RandomPrecisionAt20), Average(d => d.RandomRecallAt20), Average(d => d.RandomRecallAt30), Average(d => d.RandomRecallAt50)));
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"training: {Ranker.Training.Papers} papers, {Ranker.Training.Positives} selected, vocabulary {Ranker.VocabularySize}, {Ranker.Training.Iterations} iterations"));
            lines.Add("strongest terms for: " + string.Join(", ", Ranker.StrongestTerms(15, positive: true).Select(t => t.Term)));
            lines.Add("strongest terms against: " + string.Join(", ", Ranker.StrongestTerms(15, positive: false).Select(t => t.Term)));
            return string.Join(Environment.NewLine, lines);

            static string Row(string day, string papers, string selected, double p, double r20, double r30, double r50, double rp, double rr20, double rr30, double rr50) =>
                string.Create(CultureInfo.InvariantCulture, $"| {day} | {papers} | {selected} | {p:0.00} | {r20:0.00} | {r30:0.00} | {r50:0.00} | {rp:0.00} | {rr20:0.00} / {rr30:0.00} / {rr50:0.00} |");
        }
    }

    public sealed record DayMetrics(
        DateOnly Day,
        int Papers,
        int Selected,
        double PrecisionAt20,
        double RecallAt20,
        double RecallAt30,
        double RecallAt50,
        double RandomPrecisionAt20,
        double RandomRecallAt20,
        double RandomRecallAt30,
        double RandomRecallAt50,
        Agreement Lexical);

    /// <summary>Another ranking's agreement with the LLM's selections on one day.</summary>
    public sealed record Agreement(double PrecisionAt20, double RecallAt20, double RecallAt30, double RecallAt50);
}
