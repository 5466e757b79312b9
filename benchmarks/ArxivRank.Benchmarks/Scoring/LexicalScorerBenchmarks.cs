using ArxivRank.Scoring;
using BenchmarkDotNet.Attributes;

namespace ArxivRank.Benchmarks.Scoring;

/// <summary>
/// The offline scorer over 1,000 real papers. Baseline: the naive way, counting each keyword's occurrences in the
/// lower-cased title and abstract with <see cref="string.IndexOf(string, StringComparison)"/>.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class LexicalScorerBenchmarks
{
    private List<Paper> _papers = null!;
    private IPaperScorer _lexical = null!;
    private List<string> _keywords = null!;

    [GlobalSetup]
    public void Setup()
    {
        _papers = ScoringBenchmarkData.Papers(1000);
        _lexical = PaperScorers.CreateLexical(ScoringBenchmarkData.Criteria);
        _keywords = [.. ScoringBenchmarkData.Criteria.RelevantKeywords.Concat(ScoringBenchmarkData.Criteria.Topics.Select(t => t.Name)).Select(k => k.ToLowerInvariant())];
    }

    [Benchmark(Baseline = true, Description = "naive keyword count")]
    public int NaiveKeywordCount()
    {
        int total = 0;
        foreach (var paper in _papers)
        {
            string text = (paper.Title + " " + paper.Abstract).ToLowerInvariant();
            foreach (string keyword in _keywords)
            {
                for (int at = text.IndexOf(keyword, StringComparison.Ordinal); at >= 0; at = text.IndexOf(keyword, at + 1, StringComparison.Ordinal))
                {
                    total++;
                }
            }
        }

        return total;
    }

    [Benchmark(Description = "BM25 lexical scorer")]
    public Task<ScoringResult> Lexical() => _lexical.ScoreAsync(_papers);
}
