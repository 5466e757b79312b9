using ArxivRank.Scoring;
using ArxivRank.Sources;
using ArxivRank.TestUtilities.Arxiv;

namespace ArxivRank.Tests.Readme;

/// <summary>The library example in README.md, run against the loopback arXiv double so it cannot rot.</summary>
public class ReadmeExampleTests
{
    [Fact]
    public async Task ReadmeLibraryExample_FetchesAndRanksTheDay()
    {
        await using var arxiv = await ArxivDouble.StartAsync();
        var lines = new List<string>();

        // --- as in README.md (only BaseUrl and the pacing interval differ, to reach the double quickly) ---
        var criteria = ScoringCriteria.Example;
        IArxivSource source = ArxivSources.CreateRss(new ArxivSourceOptions { Contact = "you@example.org", BaseUrl = arxiv.BaseUrl, MinRequestInterval = TimeSpan.Zero });
        var day = await source.FetchAsync(new ArxivQuery { Categories = ["cs.LG"] });

        IPaperScorer scorer = PaperScorers.CreateLexical(criteria);
        var result = await scorer.ScoreAsync(day.Papers);
        foreach (var (paper, score) in result.Rank(day.Papers).Take(10))
        {
            lines.Add($"{score.Relevance,2}  {paper.Id}  {score.Comment}");
        }

        // ---
        day.Papers.Should().NotBeEmpty();
        result.Scores.Should().HaveCount(day.Papers.Count);
        lines.Should().HaveCount(Math.Min(10, day.Papers.Count));
    }
}
