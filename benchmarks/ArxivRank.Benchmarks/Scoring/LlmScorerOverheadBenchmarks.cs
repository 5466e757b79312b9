using ArxivRank.Scoring;
using ArxivRank.TestUtilities.Chat;
using BenchmarkDotNet.Attributes;

namespace ArxivRank.Benchmarks.Scoring;

/// <summary>
/// Our own overhead: 1,000 papers through the LLM scorer with a zero-latency fake model (prompt building, parsing,
/// bookkeeping, usage and cost). Target: under 50 ms. Baseline: one batch at a time, as the Python tool does.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class LlmScorerOverheadBenchmarks
{
    private const int PaperCount = 1000;
    private const int BatchSize = 20;
    private List<Paper> _papers = null!;
    private TestChatClient _client = null!;

    [GlobalSetup]
    public void Setup()
    {
        _papers = ScoringBenchmarkData.Papers(PaperCount);
        _client = ScoringBenchmarkData.FakeModel(_papers, BatchSize, TimeSpan.Zero);
    }

    [Benchmark(Baseline = true, Description = "sequential (concurrency 1)")]
    public Task<ScoringResult> Sequential() => Score(1);

    [Benchmark(Description = "concurrency 4")]
    public Task<ScoringResult> Concurrent() => Score(4);

    private Task<ScoringResult> Score(int concurrency)
        => _client.AsPaperScorer(ScoringBenchmarkData.Criteria, new LlmScorerOptions { ModelId = "gpt-4o-mini", BatchSize = BatchSize, MaxConcurrency = concurrency, TitleScreen = false })
            .ScoreAsync(_papers);
}
