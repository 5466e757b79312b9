using System.Text.RegularExpressions;
using ArxivRank.Ranking;
using ArxivRank.Scoring;
using ArxivRank.TestUtilities;
using BenchmarkDotNet.Attributes;

namespace ArxivRank.Benchmarks.Ranking;

/// <summary>The ten labeled days (3,398 papers), repeated until there are enough papers.</summary>
internal static class LabeledCorpus
{
    public static List<LabeledExample> Examples(int count)
    {
        var all = LabeledDays.Days.SelectMany(LabeledDays.Load).Select(p => new LabeledExample(p.Paper, p.Selected)).ToList();
        return Enumerable.Range(0, count).Select(i => all[i % all.Count]).ToList();
    }
}

/// <summary>Training the learned ranker (default options) on 10,000 labeled papers, and on the 1,925 papers of the first six labeled days.</summary>
[MemoryDiagnoser]
[ShortRunJob]
public class LearnedRankerTrainingBenchmarks
{
    private List<LabeledExample> _tenThousand = [];
    private List<LabeledExample> _sixDays = [];

    [GlobalSetup]
    public void Setup()
    {
        _tenThousand = LabeledCorpus.Examples(10_000);
        _sixDays = LabeledDays.Days.Take(6).SelectMany(LabeledDays.Load).Select(p => new LabeledExample(p.Paper, p.Selected)).ToList();
    }

    [Benchmark(Baseline = true)]
    public LearnedRanker Train10000() => LearnedRanker.Train(_tenThousand);

    [Benchmark]
    public LearnedRanker TrainSixDays() => LearnedRanker.Train(_sixDays);
}

/// <summary>
/// Scoring 1,000 papers with a model trained on the first six labeled days. The baseline is the naive way: a regular
/// expression for words, a new string for every word pair, a new dictionary per paper.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public partial class LearnedRankerScoringBenchmarks
{
    private LearnedRanker _ranker = null!;
    private IPaperScorer _scorer = null!;
    private List<Paper> _papers = [];
    private Dictionary<string, int> _naiveIndex = [];
    private double _titleWeight;

    [GlobalSetup]
    public void Setup()
    {
        _ranker = LearnedRanker.Train(LabeledDays.Days.Take(6).SelectMany(LabeledDays.Load).Select(p => new LabeledExample(p.Paper, p.Selected)));
        _scorer = _ranker.AsScorer();
        _papers = LabeledDays.Days.Skip(6).SelectMany(LabeledDays.Load).Select(p => p.Paper).Concat(LabeledDays.Days.Take(6).SelectMany(LabeledDays.Load).Select(p => p.Paper)).Take(1000).ToList();
        _naiveIndex = _ranker.Terms.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i);
        _titleWeight = _ranker.Options.TitleWeight;
        double naive = NaiveScore1000(), fast = _papers.Sum(_ranker.PredictProbability);
        if (Math.Abs(naive - fast) > 1e-6)
        {
            throw new InvalidOperationException($"The naive baseline computes something else: {naive} vs {fast}.");
        }
    }

    [Benchmark(Baseline = true)]
    public double NaiveScore1000()
    {
        double sum = 0;
        foreach (var paper in _papers)
        {
            var counts = new Dictionary<string, double>();
            AddNaive(paper.Title, _titleWeight, counts);
            AddNaive(paper.Abstract, 1, counts);
            double norm = 0, dot = 0;
            foreach (var (term, count) in counts)
            {
                if (_naiveIndex.TryGetValue(term, out int c))
                {
                    double v = (1 + Math.Log(count)) * _ranker.Idf[c];
                    norm += v * v;
                    dot += v * _ranker.Weights[c];
                }
            }

            double z = _ranker.Intercept + (norm > 0 ? dot / Math.Sqrt(norm) : 0);
            sum += 1 / (1 + Math.Exp(-z));
        }

        return sum;
    }

    [Benchmark]
    public async Task<ScoringResult> Score1000() => await _scorer.ScoreAsync(_papers);

    private static void AddNaive(string text, double weight, Dictionary<string, double> counts)
    {
        var words = Word().Matches(TexText.ToUnicode(text).ToLowerInvariant()).Select(m => m.Value).Where(w => w.Length <= 40).ToList();
        for (int i = 0; i < words.Count; i++)
        {
            counts[words[i]] = counts.GetValueOrDefault(words[i]) + weight;
            if (i > 0)
            {
                string pair = words[i - 1] + " " + words[i];
                counts[pair] = counts.GetValueOrDefault(pair) + weight;
            }
        }
    }

    [GeneratedRegex(@"[\p{L}\p{Nd}]{2,}")]
    private static partial Regex Word();
}
