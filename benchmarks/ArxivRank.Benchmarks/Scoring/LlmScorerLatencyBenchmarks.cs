using ArxivRank.Scoring;
using ArxivRank.TestUtilities.Chat;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace ArxivRank.Benchmarks.Scoring;

/// <summary>
/// Wall time of 1,000 papers (50 batches of 20) with a fake model that takes 200 ms per request. Ideal at concurrency 4:
/// ceil(50 / 4) × 200 ms = 2.6 s; one batch at a time (the baseline, as the Python tool does): 50 × 200 ms = 10 s.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class LlmScorerLatencyBenchmarks
{
    private const int PaperCount = 1000;
    private const int BatchSize = 20;
    private List<Paper> _papers = null!;
    private TestChatClient _client = null!;

    [GlobalSetup]
    public void Setup()
    {
        _papers = ScoringBenchmarkData.Papers(PaperCount);
        _client = ScoringBenchmarkData.FakeModel(_papers, BatchSize, TimeSpan.FromMilliseconds(200));
    }

    [Benchmark(Baseline = true, Description = "sequential (concurrency 1)")]
    public Task<ScoringResult> Sequential() => Score(1);

    [Benchmark(Description = "concurrency 4")]
    public Task<ScoringResult> Concurrent() => Score(4);

    private Task<ScoringResult> Score(int concurrency)
        => _client.AsPaperScorer(ScoringBenchmarkData.Criteria, new LlmScorerOptions { ModelId = "gpt-4o-mini", BatchSize = BatchSize, MaxConcurrency = concurrency, TitleScreen = false })
            .ScoreAsync(_papers);
}
