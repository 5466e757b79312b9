using System.Globalization;
using ArxivRank.Scoring;
using ArxivRank.TestUtilities;

namespace ArxivRank.Tests.Scoring;

/// <summary>Papers and criteria shared by the scoring tests.</summary>
internal static class ScoringFixtures
{
    public static ScoringCriteria Criteria { get; } = ScoringCriteria.Parse(ReferenceDigest.Load(1).Prompt);

    /// <summary><paramref name="count"/> distinct papers with ids 2503.10000, 2503.10001, … (version 1).</summary>
    public static List<Paper> Papers(int count, int first = 0)
        => [.. Enumerable.Range(first, count).Select(i => new Paper
        {
            Id = ArxivId.Parse(string.Create(CultureInfo.InvariantCulture, $"2503.{10000 + i}v1")),
            Title = string.Create(CultureInfo.InvariantCulture, $"Paper number {i} on sparse mixture of experts"),
            Authors = ["Ada Lovelace", "Alan Turing"],
            Abstract = string.Create(CultureInfo.InvariantCulture, $"We study topic {i}. Quantization and pruning of transformers."),
        })];

    public static SyncProgress Progress(List<ScoringProgress> sink) => new(sink);

    /// <summary>Records progress synchronously (<see cref="Progress{T}"/> posts to the thread pool, too late for assertions).</summary>
    internal sealed class SyncProgress(List<ScoringProgress> sink) : IProgress<ScoringProgress>
    {
        public void Report(ScoringProgress value)
        {
            lock (sink)
            {
                sink.Add(value);
            }
        }
    }
}
