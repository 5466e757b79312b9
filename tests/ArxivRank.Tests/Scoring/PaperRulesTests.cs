using ArxivRank.Scoring;
using ArxivRank.TestUtilities;

namespace ArxivRank.Tests.Scoring;

public class PaperRulesTests
{
    [Theory]
    [InlineData("Christopher Ré", "Christopher R\\'e")]
    [InlineData("Christopher Re", "Christopher R\\'{e}")]
    [InlineData("Lukasz Kusmierz", "{\\L}ukasz Ku\\'smierz")]
    [InlineData("Emre Kiciman", "Emre K{\\i}c{\\i}man")]
    [InlineData("Yoshua Bengio", "Y. Bengio")]
    [InlineData("Y. Bengio", "Yoshua Bengio")]
    [InlineData("Bengio, Yoshua", "Yoshua Bengio")]
    [InlineData("Charlie Tan", "Charlie B. Tan")]
    [InlineData("C. B. Tan", "Charlie B. Tan")]
    [InlineData("Jean-Luc Godard", "Jean Luc Godard")]
    [InlineData("J.-L. Godard", "Jean-Luc Godard")]
    [InlineData("yann lecun", "Yann LeCun")]
    [InlineData("Bengio", "Samy Bengio")]
    public void NamesMatch_TolerantVariants_Match(string rule, string author)
        => PaperRuleEngine.NamesMatch(rule, author).Should().BeTrue();

    [Theory]
    [InlineData("Yoshua Bengio", "Samy Bengio")]
    [InlineData("Charlie B. Tan", "Charlie Tan")]
    [InlineData("Yann LeCun", "Yann Dauphin")]
    [InlineData("Tan", "Charlie Tang")]
    [InlineData("", "Charlie Tan")]
    public void NamesMatch_DifferentPeople_DoNotMatch(string rule, string author)
        => PaperRuleEngine.NamesMatch(rule, author).Should().BeFalse();

    [Fact]
    public void Evaluate_FollowedAuthorInATexName_IsAnAuthorMatch()
    {
        var paper = Paper("A Fokker-Planck loss", "Zhixin Lu", "{\\L}ukasz Ku\\'smierz", "Stefan Mihalas");
        var engine = new PaperRuleEngine(new PaperRules { FollowedAuthors = ["Łukasz Kuśmierz"] });

        var verdict = engine.Evaluate(paper);

        verdict.Should().BeEquivalentTo(new PaperScore { PaperId = paper.Id, Comment = "Author match", Origin = ScoreOrigin.AuthorMatch, ScoredBy = "rules" });
    }

    [Fact]
    public void Evaluate_RulesInOrder_BlockedBeatsFollowedBeatsExcludeBeatsInclude()
    {
        var rules = new PaperRules
        {
            FollowedAuthors = ["Ada Lovelace"],
            BlockedAuthors = ["Spam Author"],
            IncludeKeywords = ["mixture of experts"],
            ExcludeKeywords = ["federated learning"],
        };
        var engine = new PaperRuleEngine(rules);

        engine.Evaluate(Paper("Mixture of experts", "Ada Lovelace", "Spam Author"))!.Comment.Should().Be("Excluded by rule: blocked author Spam Author.");
        engine.Evaluate(Paper("Federated learning of mixture of experts", "Ada Lovelace"))!.Origin.Should().Be(ScoreOrigin.AuthorMatch);
        var excluded = engine.Evaluate(Paper("Federated Learning with a Mixture-of-Experts", "Someone Else"))!;
        excluded.Relevance.Should().Be(1);
        excluded.Comment.Should().Be("Excluded by rule: keyword \"federated learning\".");
        var included = engine.Evaluate(Paper("Sparse Mixture-of-Experts routing", "Someone Else"))!;
        included.Origin.Should().Be(ScoreOrigin.KeywordRule);
        included.Relevance.Should().BeNull();
        engine.Evaluate(Paper("Graph neural networks", "Someone Else")).Should().BeNull();
    }

    [Fact]
    public void Evaluate_KeywordInsideAnotherWord_DoesNotMatch()
    {
        var engine = new PaperRuleEngine(new PaperRules { ExcludeKeywords = ["RL"] });

        engine.Evaluate(Paper("Curl-free fields in URLs", "A B")).Should().BeNull();
        engine.Evaluate(Paper("Offline RL at scale", "A B")).Should().NotBeNull();
    }

    [Fact]
    public async Task WithRules_MixedPapers_ScoresOnlyTheRestAndKeepsInputOrder()
    {
        var papers = new[]
        {
            Paper("Plain paper one", "Someone"),
            Paper("Paper by a followed author", "Yoshua Bengio"),
            Paper("Plain paper two", "Someone"),
        };
        var inner = new RecordingScorer();
        var progress = new List<ScoringProgress>();
        var scorer = inner.WithRules(new PaperRules { FollowedAuthors = ["Y. Bengio"] });

        var result = await scorer.ScoreAsync(papers, new SyncProgress(progress));

        inner.Seen.Should().Equal(papers[0], papers[2]);
        result.Scores.Select(s => s.PaperId).Should().Equal(papers.Select(p => p.Id));
        result.Scores[1].Comment.Should().Be("Author match");
        progress[0].Should().Be(new ScoringProgress(1, 3));
        progress[^1].Should().Be(new ScoringProgress(3, 3));
    }

    [Fact]
    public async Task WithRules_InnerScorerFails_PartialResultIncludesTheRuleVerdicts()
    {
        var paper = Paper("By a followed author", "Ada Lovelace");
        var other = Paper("Other", "Someone");
        var inner = new RecordingScorer { Fail = true };

        var act = () => inner.WithRules(new PaperRules { FollowedAuthors = ["Ada Lovelace"] }).ScoreAsync([paper, other]);

        var thrown = (await act.Should().ThrowAsync<ScoringException>()).Which;
        thrown.PartialResult!.Scores.Should().ContainSingle(s => s.Origin == ScoreOrigin.AuthorMatch);
        thrown.PartialResult.Unscored.Should().ContainSingle(u => u.Paper == other);
    }

    [Fact]
    public void WithRules_NoRules_ReturnsTheSameScorer()
    {
        var inner = new RecordingScorer();

        inner.WithRules(new PaperRules()).Should().BeSameAs(inner);
    }

    [Fact]
    public void FromCriteria_ReadsFollowedAndBlockedAuthors()
    {
        var criteria = ScoringCriteria.Parse(TestData.ReadText("scoring/criteria-variants.md"));

        var rules = PaperRules.FromCriteria(criteria);

        rules.FollowedAuthors.Should().HaveCount(2);
        rules.BlockedAuthors.Should().Equal("Spam Author", "Another Spammer");
    }

    [Fact]
    public void ReferenceDigest_AuthorMatchEntry_IsFoundByTheRule()
    {
        var entry = ReferenceDigest.Load(1).Entries.Single(e => e.IsAuthorMatch);
        var engine = new PaperRuleEngine(new PaperRules { FollowedAuthors = ["Samy Bengio"] });

        engine.Evaluate(entry.Paper)!.Comment.Should().Be(entry.Comment);
    }

    private static Paper Paper(string title, params string[] authors)
        => new() { Id = ArxivId.Parse($"2502.{Math.Abs(title.GetHashCode(StringComparison.Ordinal)) % 90000 + 10000}"), Title = title, Authors = authors };

    private sealed class SyncProgress(List<ScoringProgress> sink) : IProgress<ScoringProgress>
    {
        public void Report(ScoringProgress value) => sink.Add(value);
    }

    private sealed class RecordingScorer : IPaperScorer
    {
        public List<Paper> Seen { get; } = [];

        public bool Fail { get; init; }

        public Task<ScoringResult> ScoreAsync(IReadOnlyList<Paper> papers, IProgress<ScoringProgress>? progress = null, CancellationToken cancellationToken = default)
        {
            Seen.AddRange(papers);
            progress?.Report(new ScoringProgress(papers.Count, papers.Count));
            if (Fail)
            {
                throw new ScoringException("inner failed") { PartialResult = new ScoringResult { Unscored = [.. papers.Select(p => new UnscoredPaper(p, "x"))] } };
            }

            return Task.FromResult(new ScoringResult { Scores = [.. papers.Select(p => new PaperScore { PaperId = p.Id, Relevance = 5 })] });
        }
    }
}
