using ArxivRank.Pipeline;
using ArxivRank.Scoring;
using ArxivRank.TestUtilities;
using ArxivRank.TestUtilities.Pipeline;

namespace ArxivRank.Tests.Pipeline;

public sealed class CachingPaperScorerTests
{
    private static readonly IReadOnlyList<Paper> Papers = [.. LabeledDays.Load(new DateOnly(2025, 5, 15)).Select(l => l.Paper)];

    [Fact]
    public async Task ScoreAsync_SecondRunOverTheSamePapers_SpendsZeroTokens()
    {
        // Arrange
        var inner = new FakePaperScorer();
        var scorer = inner.WithScoreCache(new InMemoryArxivRankStore());
        var first = await scorer.ScoreAsync(Papers);

        // Act
        var second = await scorer.ScoreAsync(Papers);

        // Assert
        inner.PapersSent.Should().Be(Papers.Count);
        second.Usage.Should().BeEmpty();
        second.Scores.Should().BeEquivalentTo(first.Scores);
    }

    [Fact]
    public async Task ScoreAsync_ManyPapers_HandsTheScorerChunksAndStoresEachAsItCompletes()
    {
        // Arrange: the process "dies" during the third chunk.
        var cache = new InMemoryArxivRankStore();
        var inner = new FakePaperScorer { BeforeCall = (i, _) => { if (i == 2) { throw new InvalidOperationException("process killed"); } } };
        var scorer = inner.WithScoreCache(cache, new ScoreCacheOptions { ChunkSize = 50 });
        await FluentActions.Awaiting(() => scorer.ScoreAsync(Papers)).Should().ThrowAsync<InvalidOperationException>();
        var restarted = new FakePaperScorer();

        // Act
        var result = await restarted.WithScoreCache(cache, new ScoreCacheOptions { ChunkSize = 50 }).ScoreAsync(Papers);

        // Assert
        inner.Calls.Select(c => c.Count).Should().Equal(50, 50, 50);
        cache.CachedScoreCount.Should().Be(Papers.Count);
        restarted.PapersSent.Should().Be(Papers.Count - 100);
        restarted.Calls[0].Should().Equal(Papers.Skip(100).Take(50));
        result.Scores.Select(s => s.PaperId).Should().Equal(Papers.Select(p => p.Id), "hits come first in input order, then the misses in order");
        result.Usage.Single().InputTokens.Should().Be(100L * (Papers.Count - 100));
    }

    [Fact]
    public async Task ScoreAsync_ScorerGivesUpWithPartialResult_CachesItAndReportsTheWholeRun()
    {
        // Arrange
        var cache = new InMemoryArxivRankStore();
        var inner = new ThrowingScorer(after: 1, Papers);
        var scorer = inner.WithScoreCache(cache, new ScoreCacheOptions { ChunkSize = 50, ModelId = "m", CriteriaHash = "h" });

        // Act
        var act = () => scorer.ScoreAsync(Papers);

        // Assert: chunk 1 scored in full; chunk 2 failed with 10 scored before the scorer gave up.
        var thrown = await act.Should().ThrowAsync<ScoringException>().WithMessage("too many failures");
        thrown.Which.PartialResult!.Scores.Should().HaveCount(60);
        thrown.Which.PartialResult.Unscored.Should().HaveCount(40);
        thrown.Which.PartialResult.Usage.Single().Requests.Should().Be(2);
        cache.CachedScoreCount.Should().Be(60);
    }

    [Fact]
    public async Task ScoreAsync_RuleMatchesAndUnscoredPapers_AreNotCached()
    {
        // Arrange
        var cache = new InMemoryArxivRankStore();
        var inner = new FakePaperScorer
        {
            ScoreCallback = p => p.Id == Papers[0].Id ? new PaperScore { PaperId = p.Id, Origin = ScoreOrigin.AuthorMatch, Comment = "Author match" }
                : p.Id == Papers[1].Id ? null
                : new PaperScore { PaperId = p.Id, Relevance = 7, Novelty = 6 },
        };
        var scorer = inner.WithScoreCache(cache);

        // Act
        await scorer.ScoreAsync(Papers.Take(3).ToList());
        var again = await scorer.ScoreAsync(Papers.Take(3).ToList());

        // Assert
        cache.CachedScoreCount.Should().Be(1);
        inner.Calls[1].Should().Equal(Papers[0], Papers[1]);
        again.Unscored.Should().ContainSingle(u => u.Paper == Papers[1]);
    }

    [Theory]
    [InlineData("version")]
    [InlineData("criteria")]
    [InlineData("model")]
    public async Task ScoreAsync_AnythingTheScoreDependsOnChanges_IsACacheMiss(string change)
    {
        // Arrange
        var cache = new InMemoryArxivRankStore();
        var paper = new Paper { Id = ArxivId.Parse("2505.01234v1"), Title = "t" };
        var inner = new FakePaperScorer();
        await inner.WithScoreCache(cache).ScoreAsync([paper]);
        if (change == "version")
        {
            paper = paper with { Id = ArxivId.Parse("2505.01234v2") };
        }
        else if (change == "criteria")
        {
            inner.CriteriaHash = ScoreCacheKeys.HashCriteria("other criteria");
        }
        else
        {
            inner.ModelId = "gpt-4o-mini";
        }

        // Act
        await inner.WithScoreCache(cache).ScoreAsync([paper]);

        // Assert
        inner.Calls.Should().HaveCount(2);
    }

    [Fact]
    public async Task ScoreAsync_CachedScoreWithoutVersion_IsReturnedForThePaperAsGiven()
    {
        // Arrange: the model answered without the version.
        var cache = new InMemoryArxivRankStore();
        var paper = new Paper { Id = ArxivId.Parse("2505.01234v3"), Title = "t" };
        var inner = new FakePaperScorer { ScoreCallback = p => new PaperScore { PaperId = p.Id.WithoutVersion(), Relevance = 9, Novelty = 9 } };
        var scorer = inner.WithScoreCache(cache);
        await scorer.ScoreAsync([paper]);

        // Act
        var again = await scorer.ScoreAsync([paper]);

        // Assert
        inner.Calls.Should().HaveCount(1);
        again.Scores.Single().PaperId.Should().Be(paper.Id);
    }

    [Fact]
    public async Task ScoreAsync_Progress_CountsCacheHitsThenEachChunk()
    {
        // Arrange
        var cache = new InMemoryArxivRankStore();
        var options = new ScoreCacheOptions { ChunkSize = 40 };
        await new FakePaperScorer().WithScoreCache(cache, options).ScoreAsync(Papers.Take(100).ToList());
        var progress = new RecordingProgress<ScoringProgress>();

        // Act
        await new FakePaperScorer().WithScoreCache(cache, options).ScoreAsync(Papers, progress);

        // Assert
        var completed = progress.Reports.Select(r => r.Completed).ToList();
        completed[0].Should().Be(100);
        completed.Should().BeInAscendingOrder().And.Contain([140, 180]).And.EndWith(Papers.Count);
        progress.Reports.Should().OnlyContain(r => r.Total == Papers.Count);
    }

    [Fact]
    public async Task ScoreAsync_UnknownPriceInOneChunk_KeepsTheTotalCostUnknown()
    {
        // Arrange
        int calls = 0;
        var inner = new FakePaperScorer();
        inner.BeforeCall = (_, _) => inner.InputPricePerToken = ++calls == 2 ? null : 0.000_001m;
        var scorer = inner.WithScoreCache(new InMemoryArxivRankStore(), new ScoreCacheOptions { ChunkSize = 100 });

        // Act
        var result = await scorer.ScoreAsync(Papers);

        // Assert
        var usage = result.Usage.Single();
        usage.Requests.Should().Be(2);
        usage.InputTokens.Should().Be(100L * Papers.Count);
        usage.InputCost.Should().BeNull();
        usage.TotalCost.Should().BeNull();
        usage.OutputCost.Should().Be(20m * Papers.Count * 0.000_01m);
    }

    [Fact]
    public void WithScoreCache_ScorerWithoutFingerprintAndNoOptions_ThrowsNamingTheOptions()
    {
        var act = () => new AnonymousScorer().WithScoreCache(new InMemoryArxivRankStore());

        act.Should().Throw<ArgumentException>().WithMessage("*ScoreCacheOptions.ModelId*ScoreCacheOptions.CriteriaHash*IScorerFingerprint*");
    }

    [Fact]
    public async Task WithScoreCache_OptionsNameTheModel_CachesAScorerWithoutFingerprint()
    {
        var inner = new AnonymousScorer();
        var scorer = inner.WithScoreCache(new InMemoryArxivRankStore(), new ScoreCacheOptions { ModelId = "lexical", CriteriaHash = ScoreCacheKeys.HashCriteria("x") });

        await scorer.ScoreAsync(Papers);
        await scorer.ScoreAsync(Papers);

        inner.Papers.Should().Be(Papers.Count);
    }

    [Fact]
    public void HashCriteria_SameTextAnyLineEndings_IsStableAndTellsPartsApart()
    {
        string a = ScoreCacheKeys.HashCriteria("topic 1\nkeywords", "rubric", "v1");

        ScoreCacheKeys.HashCriteria("topic 1\r\nkeywords", "rubric", "v1").Should().Be(a);
        ScoreCacheKeys.HashCriteria("topic 1\nkeywords", "rubric", "v2").Should().NotBe(a);
        ScoreCacheKeys.HashCriteria("topic 1\nkeywordsrubric", string.Empty, "v1").Should().NotBe(a);
        a.Should().MatchRegex("^[0-9a-f]{32}$");
    }

    private sealed class AnonymousScorer : IPaperScorer
    {
        public int Papers { get; private set; }

        public Task<ScoringResult> ScoreAsync(IReadOnlyList<Paper> papers, IProgress<ScoringProgress>? progress = null, CancellationToken cancellationToken = default)
        {
            Papers += papers.Count;
            return Task.FromResult(new ScoringResult { Scores = [.. papers.Select(p => new PaperScore { PaperId = p.Id, Relevance = 3, Score = 0.3 })] });
        }
    }

    /// <summary>Scores <c>after</c> chunks in full, then scores 10 papers of the next and gives up.</summary>
    private sealed class ThrowingScorer(int after, IReadOnlyList<Paper> all) : IPaperScorer
    {
        private int _calls;

        public Task<ScoringResult> ScoreAsync(IReadOnlyList<Paper> papers, IProgress<ScoringProgress>? progress = null, CancellationToken cancellationToken = default)
        {
            var usage = new ModelUsage { ModelId = "m", Requests = 1, InputTokens = 10 };
            if (_calls++ < after)
            {
                return Task.FromResult(new ScoringResult { Scores = [.. papers.Select(Score)], Usage = [usage] });
            }

            throw new ScoringException("too many failures")
            {
                PartialResult = new ScoringResult
                {
                    Scores = [.. papers.Take(10).Select(Score)],
                    Unscored = [.. papers.Skip(10).Select(p => new UnscoredPaper(p, "HTTP 500"))],
                    Usage = [usage],
                },
            };
        }

        private PaperScore Score(Paper p) => new() { PaperId = p.Id, Relevance = all.Count % 10, Novelty = 1 };
    }
}
