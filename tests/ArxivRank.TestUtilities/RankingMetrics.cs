namespace ArxivRank.TestUtilities;

/// <summary>Agreement of a ranking with the LLM's selections (ground truth), as reported in docs/.</summary>
public static class RankingMetrics
{
    /// <summary>Share of the top <paramref name="k"/> that the LLM selected.</summary>
    /// <param name="rankedSelected">For each paper in ranked order (best first), whether the LLM selected it.</param>
    public static double PrecisionAtK(IReadOnlyList<bool> rankedSelected, int k)
    {
        int n = Math.Min(k, rankedSelected.Count);
        return n == 0 ? 0 : rankedSelected.Take(n).Count(s => s) / (double)n;
    }

    /// <summary>Share of the LLM's selections that fall within the top <paramref name="share"/> of the ranking.</summary>
    /// <param name="rankedSelected">For each paper in ranked order (best first), whether the LLM selected it.</param>
    /// <param name="share">The share of the ranking, for example 0.3 for the top 30%.</param>
    public static double RecallAtShare(IReadOnlyList<bool> rankedSelected, double share)
    {
        int positives = rankedSelected.Count(s => s);
        int top = (int)Math.Ceiling(rankedSelected.Count * share);
        return positives == 0 ? 0 : rankedSelected.Take(top).Count(s => s) / (double)positives;
    }

    /// <summary>The expected precision@k and recall@share of a random ranking, averaged over <paramref name="trials"/> seeded shuffles.</summary>
    public static (double PrecisionAtK, double RecallAtShare) Random(IReadOnlyList<bool> selected, int k, double share, int trials = 200, int seed = 12345)
    {
        var rng = new System.Random(seed);
        double p = 0, r = 0;
        for (int t = 0; t < trials; t++)
        {
            var shuffled = selected.OrderBy(_ => rng.Next()).ToList();
            p += PrecisionAtK(shuffled, k);
            r += RecallAtShare(shuffled, share);
        }

        return (p / trials, r / trials);
    }
}
