using ArxivRank.Pipeline;
using ArxivRank.Scoring;
using ArxivRank.TestUtilities.Chat;

namespace ArxivRank.Tests.Scoring;

/// <summary>How the scorers name themselves to the pipeline's score cache (<see cref="IScorerFingerprint"/>).</summary>
public class ScorerFingerprintTests
{
    [Fact]
    public void LlmScorer_Fingerprint_IsTheModelAndTheCriteriaHash()
    {
        var scorer = new TestChatClient().AsPaperScorer(ScoringFixtures.Criteria, new LlmScorerOptions { ModelId = "gpt-4o" });

        var fingerprint = scorer.Should().BeAssignableTo<IScorerFingerprint>().Subject;
        fingerprint.ModelId.Should().Be("gpt-4o");
        fingerprint.CriteriaHash.Should().MatchRegex("^[0-9a-f]{32}$");
    }

    [Fact]
    public void OfflineScorers_NameTheirModelButAreNotCacheable()
    {
        var lexical = (IScorerFingerprint)PaperScorers.CreateLexical(ScoringFixtures.Criteria);
        var embedding = (IScorerFingerprint)new TestEmbeddingGenerator().AsPaperScorer(ScoringFixtures.Criteria);

        lexical.ModelId.Should().Be("lexical");
        lexical.CriteriaHash.Should().BeEmpty("run-relative scores must not be cached");
        embedding.ModelId.Should().Be("test-embedding");
        embedding.CriteriaHash.Should().BeEmpty();
    }

    [Fact]
    public void RulesScorer_AddsTheRulesToTheInnerHash()
    {
        var inner = new TestChatClient().AsPaperScorer(ScoringFixtures.Criteria, new LlmScorerOptions { ModelId = "gpt-4o" });

        var a = (IScorerFingerprint)inner.WithRules(new PaperRules { BlockedAuthors = ["Spam Author"] });
        var b = (IScorerFingerprint)inner.WithRules(new PaperRules { BlockedAuthors = ["Other Author"] });
        var lexical = (IScorerFingerprint)PaperScorers.CreateLexical(ScoringFixtures.Criteria).WithRules(new PaperRules { BlockedAuthors = ["Spam Author"] });

        a.ModelId.Should().Be("gpt-4o");
        a.CriteriaHash.Should().NotBe(((IScorerFingerprint)inner).CriteriaHash).And.NotBe(b.CriteriaHash);
        lexical.CriteriaHash.Should().BeEmpty();
    }

    [Fact]
    public async Task PipelineScoreCache_OverTheLlmScorer_SpendsZeroTokensOnTheSecondRun()
    {
        var papers = ScoringFixtures.Papers(30);
        var client = new TestChatClient { GetResponseAsyncCallback = FakeScoringModel.WellBehaved() };
        var cache = new InMemoryScoreCache();
        var scorer = client.AsPaperScorer(ScoringFixtures.Criteria, new LlmScorerOptions { ModelId = "gpt-4o", TitleScreen = false })
            .WithRules(new PaperRules { FollowedAuthors = ["Nobody Here"] })
            .WithScoreCache(cache);

        var first = await scorer.ScoreAsync(papers);
        int calls = client.CallCount;
        var second = await scorer.ScoreAsync(papers);

        calls.Should().BePositive();
        client.CallCount.Should().Be(calls);
        second.Usage.Should().BeEmpty();
        second.Scores.Should().BeEquivalentTo(first.Scores);
    }
}
