using ArxivRank.Rendering;
using ArxivRank.Selection;

namespace ArxivRank.Scoring;

/// <summary>Turns a <see cref="ScoringResult"/> into something to print: each paper paired with its score, best first.</summary>
public static class ScoringResultExtensions
{
    /// <summary>
    /// Pairs every scored paper with its score (matched by id, whatever the version) and orders them the way a digest does:
    /// papers included by a rule (followed authors, keyword rules) first, then by relevance + novelty (or the given order),
    /// ties by relevance, then the scorer's continuous <see cref="PaperScore.Score"/>, then id. No cut-off and no top-K is applied.
    /// </summary>
    /// <param name="result">The scorer's result.</param>
    /// <param name="papers">The papers that were scored (unscored ones are left out: see <see cref="ScoringResult.Unscored"/>).</param>
    /// <param name="order">The primary order.</param>
    /// <returns>The scored papers with their scores, best first.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="result"/> or <paramref name="papers"/> is <see langword="null"/>.</exception>
    /// <example>
    /// <code>
    /// foreach (var (paper, score) in result.Rank(papers).Take(10))
    ///     Console.WriteLine($"{score.Relevance,2}  {paper.Id}  {paper.Title}");
    /// </code>
    /// </example>
    public static IReadOnlyList<DigestEntry> Rank(this ScoringResult result, IEnumerable<Paper> papers, RankingOrder order = RankingOrder.RelevancePlusNovelty)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(papers);
        var scores = new Dictionary<ArxivId, PaperScore>(ArxivId.VersionIgnoringComparer);
        foreach (var score in result.Scores)
        {
            if (score is not null)
            {
                scores.TryAdd(score.PaperId, score);
            }
        }

        var entries = new List<DigestEntry>();
        var done = new HashSet<ArxivId>(ArxivId.VersionIgnoringComparer);
        foreach (var paper in papers)
        {
            if (paper is not null && done.Add(paper.Id) && scores.TryGetValue(paper.Id, out var score))
            {
                entries.Add(new DigestEntry(paper, score));
            }
        }

        var everything = new SelectionOptions { MinRelevance = null, MinNovelty = null, TopK = null, OfflineTopK = int.MaxValue, RankBy = order };
        return new PaperSelector(everything).Select(entries).Selected;
    }
}
