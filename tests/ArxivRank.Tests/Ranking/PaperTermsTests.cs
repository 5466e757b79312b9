using ArxivRank.Ranking;

namespace ArxivRank.Tests.Ranking;

public class PaperTermsTests
{
    [Fact]
    public void Extract_TexTitle_NormalizesToLowerCaseUnicodeWords()
    {
        var paper = new Paper { Id = ArxivId.Parse("2501.00001"), Title = "Schr\\\"odinger Bridges", Abstract = string.Empty };

        var terms = Collect(paper, titleWeight: 1, wordPairs: false);

        terms.Keys.Should().BeEquivalentTo("schrödinger", "bridges");
    }

    [Fact]
    public void Extract_WordPairs_PairAdjacentWordsWithinOneFieldOnly()
    {
        var paper = new Paper { Id = ArxivId.Parse("2501.00001"), Title = "Graph Neural Networks", Abstract = "Message passing." };

        var terms = Collect(paper, titleWeight: 1, wordPairs: true);

        terms.Keys.Should().BeEquivalentTo("graph", "neural", "networks", "graph neural", "neural networks", "message", "passing", "message passing");
        terms.Should().NotContainKey("networks message");
    }

    [Fact]
    public void Extract_TitleWeight_CountsTitleOccurrencesMore()
    {
        var paper = new Paper { Id = ArxivId.Parse("2501.00001"), Title = "Diffusion", Abstract = "Diffusion models and diffusion." };

        var terms = Collect(paper, titleWeight: 3, wordPairs: false);

        terms["diffusion"].Should().Be(3 + 1 + 1);
        terms["models"].Should().Be(1);
    }

    [Fact]
    public void Extract_ShortAndOverlongRuns_AreSkippedWithoutBreakingPairs()
    {
        string longRun = new('x', PaperTerms.MaxWordLength + 1);
        var paper = new Paper { Id = ArxivId.Parse("2501.00001"), Title = "A 3D-aware model", Abstract = $"Large {longRun} language (o) models" };

        var terms = Collect(paper, titleWeight: 1, wordPairs: true);

        terms.Keys.Should().BeEquivalentTo("3d", "aware", "model", "3d aware", "aware model", "large", "language", "models", "large language", "language models");
    }

    [Fact]
    public void Extract_EmptyPaper_YieldsNothing()
    {
        var paper = new Paper { Id = ArxivId.Parse("2501.00001"), Title = string.Empty };

        Collect(paper, titleWeight: 2, wordPairs: true).Should().BeEmpty();
    }

    private static Dictionary<string, float> Collect(Paper paper, float titleWeight, bool wordPairs)
    {
        var sink = new CollectingSink(new Dictionary<string, float>());
        PaperTerms.Extract(paper, titleWeight, wordPairs, ref sink);
        return sink.Terms;
    }

    private readonly struct CollectingSink(Dictionary<string, float> terms) : ITermSink
    {
        public Dictionary<string, float> Terms { get; } = terms;

        public void Add(ReadOnlySpan<char> term, float count)
        {
            string key = term.ToString();
            Terms[key] = Terms.GetValueOrDefault(key) + count;
        }
    }
}
