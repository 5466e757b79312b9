using System.Globalization;
using ArxivRank.Ranking;
using ArxivRank.Scoring;
using ArxivRank.TestUtilities;
using ArxivRank.TestUtilities.Pipeline;
using Xunit.Abstractions;

namespace ArxivRank.Tests.Ranking;

public class PrescreenTests(LearnedRankerQualityTests.Measurement measurement, ITestOutputHelper output)
    : IClassFixture<LearnedRankerQualityTests.Measurement>
{
    [Fact]
    public async Task WithPrescreen_LaterLabeledDays_SendsAboutTheTopShareAndKeepsTheLlmsSelections()
    {
        // Arrange: the model learned on the first six days; the "LLM" answers with its real verdicts of each later day.
        var lines = new List<string> { "| day | papers | sent | top share | unsure | rules | exploration | selections | kept | recall | tokens saved |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|" };
        int allSelected = 0, allKept = 0, allPapers = 0, allSent = 0;
        foreach (var day in LabeledDays.Days.Skip(LearnedRankerQualityTests.TrainingDays))
        {
            var labeled = LabeledDays.Load(day);
            var llm = FakePaperScorer.FromLabels(labeled);
            PrescreenReport? report = null;
            var scorer = llm.WithPrescreen(measurement.Ranker, new PrescreenOptions { Seed = day.DayNumber }, r => report = r);

            // Act
            var result = await scorer.ScoreAsync([.. labeled.Select(p => p.Paper)]);

            // Assert: the LLM saw only what the report says, every paper is accounted for once.
            var sentIds = llm.Calls.SelectMany(c => c).Select(p => p.Id.Id).ToHashSet();
            report!.Sent.Should().Be(sentIds.Count);
            report.Sent.Should().Be(report.TopShare + report.Unsure + report.RuleMatches + report.Exploration);
            report.Sent.Should().BeLessThanOrEqualTo((int)Math.Ceiling(0.35 * labeled.Count) + (int)(0.05 * labeled.Count) + (int)Math.Round(0.05 * labeled.Count) + 1);
            result.Scores.Select(s => s.PaperId.Id).Should().BeEquivalentTo(labeled.Select(p => p.Paper.Id.Id));
            result.Scores.Where(s => !sentIds.Contains(s.PaperId.Id)).Should().OnlyContain(s => s.ScoredBy == LearnedRanker.ScorerName && s.Relevance <= 6);

            int selected = labeled.Count(p => p.Selected);
            int kept = labeled.Count(p => p.Selected && sentIds.Contains(p.Paper.Id.Id));
            allSelected += selected;
            allKept += kept;
            allPapers += labeled.Count;
            allSent += report.Sent;
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"| {day:yyyy-MM-dd} | {labeled.Count} | {report.Sent} | {report.TopShare} | {report.Unsure} | {report.RuleMatches} | {report.Exploration} | {selected} | {kept} | {(double)kept / selected:0.00} | {report.EstimatedTokensSaved} |"));
        }

        lines.Add(string.Create(CultureInfo.InvariantCulture, $"| all | {allPapers} | {allSent} ({(double)allSent / allPapers:0.000}) | | | | | {allSelected} | {allKept} | {(double)allKept / allSelected:0.000} | |"));
        output.WriteLine(string.Join(Environment.NewLine, lines));

        // Most of the LLM's selections survive a pre-screen that sends well under half of the papers.
        ((double)allKept / allSelected).Should().BeGreaterThan(0.85);
        ((double)allSent / allPapers).Should().BeLessThan(0.5);
    }

    [Fact]
    public async Task WithPrescreen_FollowedAuthorRankedLow_IsAlwaysSent()
    {
        var ranker = LearnedRanker.Train(SyntheticPapers.Create(300, seed: 1));
        var papers = Enumerable.Range(0, 20).Select(i => SyntheticPapers.GraphPaper(i)).ToList();
        papers.Add(SyntheticPapers.ProteinPaper(100) with { Authors = ["Grace Hopper"] });
        var llm = new FakePaperScorer();
        PrescreenReport? report = null;
        var scorer = llm.WithPrescreen(
            ranker,
            new PrescreenOptions { Share = 0.25, ExplorationShare = 0, UnsureMargin = 0, Rules = new PaperRules { FollowedAuthors = ["Grace Hopper"] } },
            r => report = r);

        await scorer.ScoreAsync(papers);

        llm.Calls.SelectMany(c => c).Select(p => p.Id).Should().Contain(papers[^1].Id);
        report!.RuleMatches.Should().Be(1);
        report.TopShare.Should().Be(6);
        report.Sent.Should().Be(7);
    }

    [Fact]
    public async Task WithPrescreen_SameSeed_SameExplorationSample_OtherSeed_Different()
    {
        var ranker = LearnedRanker.Train(SyntheticPapers.Create(300, seed: 1));
        var papers = SyntheticPapers.Create(400, seed: 9).Select(e => e.Paper).ToList();

        async Task<HashSet<string>> SentAsync(int seed)
        {
            var llm = new FakePaperScorer();
            await llm.WithPrescreen(ranker, new PrescreenOptions { Seed = seed, UnsureMargin = 0, ExplorationShare = 0.2 }).ScoreAsync(papers);
            return llm.Calls.SelectMany(c => c).Select(p => p.Id.Id).ToHashSet();
        }

        var first = await SentAsync(1);
        (await SentAsync(1)).Should().BeEquivalentTo(first);
        (await SentAsync(2)).Should().NotBeEquivalentTo(first);
    }

    [Fact]
    public async Task WithPrescreen_InnerReportsUsage_EstimatesTokensAndCostSavedPerScreenedOutPaper()
    {
        var ranker = LearnedRanker.Train(SyntheticPapers.Create(300, seed: 1));
        var papers = SyntheticPapers.Create(100, seed: 4).Select(e => e.Paper).ToList();
        var llm = new FakePaperScorer { InputTokensPerPaper = 100, OutputTokensPerPaper = 20 };
        PrescreenReport? report = null;

        var result = await llm.WithPrescreen(ranker, new PrescreenOptions { Share = 0.3, ExplorationShare = 0, UnsureMargin = 0 }, r => report = r).ScoreAsync(papers);

        report!.Sent.Should().Be(30);
        report.ScreenedOut.Should().Be(70);
        report.EstimatedTokensSaved.Should().Be(70 * 120);
        report.EstimatedCostSaved.Should().Be(Math.Round(result.Usage.Sum(u => u.TotalCost!.Value) / 30 * 70, 6));
    }

    [Theory]
    [InlineData("Share")]
    [InlineData("ExplorationShare")]
    [InlineData("UnsureMargin")]
    [InlineData("MaxUnsureShare")]
    [InlineData("ScreenedOutMaxRelevance")]
    public void WithPrescreen_InvalidOption_ThrowsNamingIt(string option)
    {
        var ranker = LearnedRanker.Train(SyntheticPapers.Create(100, seed: 1));
        var options = option switch
        {
            "Share" => new PrescreenOptions { Share = 0 },
            "ExplorationShare" => new PrescreenOptions { ExplorationShare = 1.5 },
            "UnsureMargin" => new PrescreenOptions { UnsureMargin = -1 },
            "MaxUnsureShare" => new PrescreenOptions { MaxUnsureShare = double.NaN },
            _ => new PrescreenOptions { ScreenedOutMaxRelevance = 0 },
        };

        var act = () => new FakePaperScorer().WithPrescreen(ranker, options);

        act.Should().Throw<ArgumentException>().WithMessage($"*PrescreenOptions.{option} *");
    }
}
