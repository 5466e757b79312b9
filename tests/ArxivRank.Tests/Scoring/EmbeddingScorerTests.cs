using ArxivRank.Scoring;
using ArxivRank.TestUtilities.Chat;
using Microsoft.Extensions.AI;

namespace ArxivRank.Tests.Scoring;

public class EmbeddingScorerTests
{
    private static readonly ScoringCriteria Criteria = ScoringCriteria.Parse("""
        ## Topics

        1. Model compression
           - Relevant: quantization, pruning, sparsity of large language models

        ## Irrelevant domains

        robotics, autonomous driving
        """);

    private static readonly Paper Compression = new() { Id = ArxivId.Parse("2507.00001"), Title = "Quantization and pruning for large language models", Abstract = "Sparsity and quantization of language models." };
    private static readonly Paper Robotics = new() { Id = ArxivId.Parse("2507.00002"), Title = "Robotics for autonomous driving", Abstract = "Robots drive cars." };
    private static readonly Paper Other = new() { Id = ArxivId.Parse("2507.00003"), Title = "Protein folding kinetics", Abstract = "Proteins fold." };

    [Fact]
    public async Task ScoreAsync_CloserPaper_ScoresHigherOnTheContinuousAndTheOneToTenScale()
    {
        var generator = new TestEmbeddingGenerator();

        var result = await generator.AsPaperScorer(Criteria).ScoreAsync([Robotics, Compression, Other]);

        result.Scores.Select(s => s.PaperId).Should().Equal(Robotics.Id, Compression.Id, Other.Id);
        result.Scores[1].Score.Should().BeGreaterThan(result.Scores[2].Score!.Value);
        result.Scores[2].Score.Should().BeGreaterThan(result.Scores[0].Score!.Value, "closeness to an irrelevant domain pulls a paper down");
        result.Scores[1].Relevance.Should().Be(10);
        result.Scores[0].Relevance.Should().Be(1);
        result.Scores[1].Comment.Should().StartWith("Closest to topic 'Model compression' (cosine ");
        result.Scores.Should().OnlyContain(s => s.Novelty == null && s.ScoredBy == "test-embedding");
    }

    [Fact]
    public async Task ScoreAsync_LikedPaper_PullsSimilarPapersUp()
    {
        var generator = new TestEmbeddingGenerator();
        var liked = new Paper { Id = ArxivId.Parse("2401.00001"), Title = "Protein folding with kinetics", Abstract = "Protein fold kinetics." };

        var without = await generator.AsPaperScorer(Criteria).ScoreAsync([Other, Compression]);
        var with = await generator.AsPaperScorer(Criteria, new EmbeddingScorerOptions { LikedPapers = [liked] }).ScoreAsync([Other, Compression]);

        with.Scores[0].Score.Should().BeGreaterThan(without.Scores[0].Score!.Value);
        with.Scores[0].Comment.Should().Contain("liked paper 2401.00001");
    }

    [Fact]
    public async Task ScoreAsync_BatchesAndSumsUsage()
    {
        var generator = new TestEmbeddingGenerator();
        var papers = ScoringFixtures.Papers(10);

        var result = await generator.AsPaperScorer(Criteria, new EmbeddingScorerOptions { BatchSize = 4 }).ScoreAsync(papers);

        generator.CallCount.Should().Be(1 + 3);
        result.Usage.Single().Requests.Should().Be(4);
        result.Usage.Single().InputTokens.Should().BePositive();
        result.Usage.Single().TotalCost.Should().BeNull("the test model has no price");
    }

    [Fact]
    public async Task ScoreAsync_OneBatchFails_LeavesItsPapersUnscoredWithTheReason()
    {
        var generator = new TestEmbeddingGenerator();
        var inner = generator.GenerateAsyncCallback;
        generator.GenerateAsyncCallback = (values, options, ct) =>
            values.Any(v => v.StartsWith("Paper number 0 ", StringComparison.Ordinal)) ? throw new HttpRequestException("503") : inner(values, options, ct);
        var papers = ScoringFixtures.Papers(10);

        var result = await generator.AsPaperScorer(Criteria, new EmbeddingScorerOptions { BatchSize = 2 }).ScoreAsync(papers);

        result.Scores.Should().HaveCount(8);
        result.Unscored.Select(u => u.Paper).Should().Equal(papers[0], papers[1]);
        result.Unscored.Should().OnlyContain(u => u.Reason == "the embedding request failed (HttpRequestException: 503)");
    }

    [Fact]
    public async Task ScoreAsync_TooManyFailures_ThrowsWithThePartialResult()
    {
        var generator = new TestEmbeddingGenerator();
        var inner = generator.GenerateAsyncCallback;
        int calls = 0;
        generator.GenerateAsyncCallback = (values, options, ct) => Interlocked.Increment(ref calls) > 1 ? throw new HttpRequestException("401") : inner(values, options, ct);

        var act = () => generator.AsPaperScorer(Criteria).ScoreAsync(ScoringFixtures.Papers(5));

        var failure = (await act.Should().ThrowAsync<ScoringException>()).Which;
        failure.Message.Should().Contain("5 of 5 papers could not be embedded");
        failure.PartialResult!.Unscored.Should().HaveCount(5);
    }

    [Fact]
    public async Task ScoreAsync_InterestsCannotBeEmbedded_ThrowsAndLosesNoPaper()
    {
        var generator = new TestEmbeddingGenerator { GenerateAsyncCallback = (_, _, _) => throw new HttpRequestException("401 Unauthorized") };

        var act = () => generator.AsPaperScorer(Criteria).ScoreAsync(ScoringFixtures.Papers(3));

        var failure = (await act.Should().ThrowAsync<ScoringException>()).Which;
        failure.Message.Should().Contain("401 Unauthorized");
        failure.PartialResult!.Unscored.Should().HaveCount(3);
    }

    [Fact]
    public async Task ScoreAsync_WrongNumberOfEmbeddings_IsAFailureNotACrash()
    {
        var generator = new TestEmbeddingGenerator();
        var inner = generator.GenerateAsyncCallback;
        int calls = 0;
        generator.GenerateAsyncCallback = async (values, options, ct) =>
        {
            var result = await inner(values, options, ct);
            return Interlocked.Increment(ref calls) == 1 ? result : new GeneratedEmbeddings<Embedding<float>>(result.Take(1));
        };

        var outcome = await generator.AsPaperScorer(Criteria, new EmbeddingScorerOptions { MaxFailureShare = 1 }).ScoreAsync(ScoringFixtures.Papers(3));

        outcome.Unscored.Should().HaveCount(3).And.OnlyContain(u => u.Reason.Contains("returned 1 embeddings for 3 texts", StringComparison.Ordinal));
    }

    [Fact]
    public void Cosine_KnownVectors_GivesTheTextbookValue()
    {
        EmbeddingPaperScorer.Cosine([1, 0], [0, 1]).Should().Be(0);
        EmbeddingPaperScorer.Cosine([1, 2], [2, 4]).Should().BeApproximately(1, 1e-12);
        EmbeddingPaperScorer.Cosine([0, 0], [1, 1]).Should().Be(0);
    }

    [Fact]
    public void AsPaperScorer_BadOption_ThrowsNamingIt()
    {
        var act = () => new TestEmbeddingGenerator().AsPaperScorer(Criteria, new EmbeddingScorerOptions { BatchSize = 0 });

        act.Should().Throw<ArgumentException>().WithMessage("EmbeddingScorerOptions.BatchSize *");
    }
}
