using ArxivRank.Scoring;
using ArxivRank.TestUtilities;

namespace ArxivRank.Tests.Scoring;

public class LexicalScorerTests
{
    private static readonly Paper OnTopic = new()
    {
        Id = ArxivId.Parse("2507.00001"),
        Title = "Quantization and Pruning of Sparse Mixture-of-Experts Transformers",
        Abstract = "We compress mixture of experts models with low-rank quantization and pruning, and study the KV cache.",
    };

    private static readonly Paper OffTopic = new()
    {
        Id = ArxivId.Parse("2507.00002"),
        Title = "Federated Reinforcement Learning for Medical Imaging",
        Abstract = "We apply federated learning and reinforcement learning to medical imaging segmentation in hospitals.",
    };

    private static readonly Paper Neutral = new()
    {
        Id = ArxivId.Parse("2507.00003"),
        Title = "A Survey of Graph Databases",
        Abstract = "Graph databases store vertices and relations.",
    };

    [Fact]
    public async Task ScoreAsync_OnAndOffTopicPapers_RanksTheOnTopicPaperFirst()
    {
        var result = await PaperScorers.CreateLexical(ScoringFixtures.Criteria).ScoreAsync([OffTopic, Neutral, OnTopic]);

        var byId = result.Scores.ToDictionary(s => s.PaperId);
        byId[OnTopic.Id].Score.Should().BeGreaterThan(byId[Neutral.Id].Score!.Value);
        byId[Neutral.Id].Score.Should().BeGreaterThan(byId[OffTopic.Id].Score!.Value);
        byId[OnTopic.Id].Relevance.Should().Be(10);
        byId[OffTopic.Id].Relevance.Should().Be(1);
        result.Scores.Should().OnlyContain(s => s.Novelty == null && s.ScoredBy == "lexical" && s.Origin == ScoreOrigin.Scored);
        result.Usage.Should().BeEmpty();
    }

    [Fact]
    public async Task ScoreAsync_Comment_NamesTheMatchedTermsAndWhereTheyMatched()
    {
        var result = await PaperScorers.CreateLexical(ScoringFixtures.Criteria).ScoreAsync([OnTopic, OffTopic, Neutral]);

        result.Scores[0].Comment.Should().StartWith("Matched: ").And.Contain("(title)").And.Contain("quantization");
        result.Scores[1].Comment.Should().Contain("Against: ").And.Contain("medical imaging (title)");
        result.Scores[2].Comment.Should().Be("No term of the criteria matched.");
    }

    [Fact]
    public async Task ScoreAsync_SameInputTwice_GivesIdenticalResults()
    {
        var papers = LabeledDays.Load(LabeledDays.Days[0]).Select(l => l.Paper).ToList();
        var scorer = PaperScorers.CreateLexical(ScoringFixtures.Criteria);

        var first = await scorer.ScoreAsync(papers);
        var second = await PaperScorers.CreateLexical(ScoringFixtures.Criteria).ScoreAsync(papers);

        second.Scores.Should().BeEquivalentTo(first.Scores, o => o.WithStrictOrdering());
        first.Scores.Select(s => s.PaperId).Should().Equal(papers.Select(p => p.Id));
    }

    [Fact]
    public async Task ScoreAsync_ContinuousScore_BreaksTiesOfTheOneToTenScale()
    {
        var papers = LabeledDays.Load(LabeledDays.Days[^1]).Select(l => l.Paper).ToList();

        var result = await PaperScorers.CreateLexical(ScoringFixtures.Criteria).ScoreAsync(papers);

        int distinctRelevance = result.Scores.Select(s => s.Relevance).Distinct().Count();
        int distinctScores = result.Scores.Select(s => s.Score).Distinct().Count();
        distinctRelevance.Should().BeLessThanOrEqualTo(10);
        distinctScores.Should().BeGreaterThan(papers.Count / 2, "the BM25 value separates papers the integer scale ties");
    }

    [Fact]
    public async Task ScoreAsync_PaperWithoutText_IsScoredNotDropped()
    {
        var empty = new Paper { Id = ArxivId.Parse("2507.00009"), Title = string.Empty };

        var result = await PaperScorers.CreateLexical(ScoringFixtures.Criteria).ScoreAsync([empty, OnTopic]);

        result.Scores.Should().HaveCount(2);
        result.Scores[0].Should().BeEquivalentTo(new PaperScore { PaperId = empty.Id, Relevance = 1, Score = 0, Comment = "No term of the criteria matched.", ScoredBy = "lexical" });
    }

    [Fact]
    public async Task ScoreAsync_NoPapers_ReturnsEmpty()
    {
        var result = await PaperScorers.CreateLexical(ScoringFixtures.Criteria).ScoreAsync([]);

        result.Scores.Should().BeEmpty();
    }

    [Fact]
    public void Query_ReadsKeywordsTopicsPhrasesAndIrrelevantHints()
    {
        var weights = ((LexicalPaperScorer)PaperScorers.CreateLexical(ScoringFixtures.Criteria)).QueryWeights;

        weights["moe"].Should().BePositive();
        weights["mixtur expert"].Should().BePositive("a phrase keyword also counts as a phrase");
        weights["quantiz"].Should().BePositive();
        weights["federat learn"].Should().BeNegative();
        weights["medical imag"].Should().BeNegative();
        weights.Should().NotContainKey("paper").And.NotContainKey("the").And.NotContainKey("learn");
    }

    [Theory]
    [InlineData("sparse", "sparsity")]
    [InlineData("quantized", "quantization")]
    [InlineData("pruning", "pruned")]
    [InlineData("experts", "expert")]
    [InlineData("modelling", "modeling")]
    [InlineData("compression", "compressed")]
    public void Stem_RelatedForms_Meet(string a, string b)
        => TextAnalysis.Stem(a).Should().Be(TextAnalysis.Stem(b));

    [Fact]
    public void CreateLexical_BadOption_ThrowsNamingIt()
    {
        var act = () => PaperScorers.CreateLexical(ScoringFixtures.Criteria, new LexicalScorerOptions { B = 2 });

        act.Should().Throw<ArgumentException>().WithMessage("LexicalScorerOptions.B *");
    }

    [Fact]
    public async Task Example_Criteria_WorkOfflineOnARealDay()
    {
        var day = LabeledDays.Load(LabeledDays.Days[^1]);

        var result = await PaperScorers.CreateLexical(ScoringCriteria.Example).ScoreAsync([.. day.Select(l => l.Paper)]);

        result.Scores.Should().HaveCount(day.Count);
        result.Scores.Count(s => s.Score > 0).Should().BeGreaterThan(day.Count / 4);
    }
}
