using ArxivRank.Pipeline;
using ArxivRank.Ranking;
using ArxivRank.Rendering;
using ArxivRank.TestUtilities;
using ArxivRank.TestUtilities.Pipeline;

namespace ArxivRank.Tests.Ranking;

public class PrescreenPipelineTests(LearnedRankerQualityTests.Measurement measurement) : IClassFixture<LearnedRankerQualityTests.Measurement>
{
    [Fact]
    public async Task RunAsync_PrescreenedDigestThenRecordRunAndAutoTrain_RecordsEveryPaperAndTrainsWhenEnough()
    {
        // Arrange: a real later day, the "LLM" answers with its real verdicts, the learned model screens first.
        var day = new DateOnly(2025, 7, 8);
        var labeled = LabeledDays.Load(day);
        var llm = FakePaperScorer.FromLabels(labeled);
        var reports = new List<PrescreenReport>();
        var store = new InMemoryArxivRankStore();
        var pipeline = DigestPipeline.CreateBuilder()
            .UseSource(FakeArxivSource.ForDay(day, [.. labeled.Select(p => p.Paper)]))
            .UseScorer(llm.WithPrescreen(measurement.Ranker, new PrescreenOptions { Seed = 1 }, reports.Add))
            .UseStore(store)
            .AddRenderer(new RecordingRenderer())
            .Build();

        // Act
        var result = await pipeline.RunAsync(new MemoryDigestOutput());
        int recorded = await store.RecordRunAsync(result);
        var training = await AutoTrainer.TryTrainAsync(store, new AutoTrainingOptions { MinDays = 1, MinPositives = 10 });

        var report = PrescreenReport.Sum(reports);

        // Assert: every paper is accounted for, only the sent ones were paid for, and the digest holds no guesses.
        result.Status.Should().Be(DigestRunStatus.Written);
        result.Statistics.Scored.Should().Be(labeled.Count);
        reports.Should().HaveCount(7, "the pipeline scores in chunks of 100");
        report.Candidates.Should().Be(labeled.Count);
        llm.PapersSent.Should().Be(report.Sent).And.BeLessThan(labeled.Count / 2);
        result.Digest!.Papers.Should().OnlyContain(e => e.Score.ScoredBy != LearnedRanker.ScorerName);
        recorded.Should().Be(labeled.Count);
        training.Trained.Should().BeTrue(training.Message);
        training.Labels.Examples.Should().HaveCount(report.Sent, "the learned ranker's own guesses are not labels");
        (await store.LoadModelAsync()).Should().NotBeNull();
    }
}
