using ArxivRank.Parsing;

namespace ArxivRank.Tests.Parsing;

public class ScoreResponseParserSmokeTests
{
    [Fact]
    public void Parse_OneObjectPerLine_ReturnsEveryScore()
    {
        const string answer = "{\"ARXIVID\": \"2502.12851v2\", \"COMMENT\": \"Matches criterion 1.\", \"RELEVANCE\": 10, \"NOVELTY\": 9}\n{\"arxiv_id\": \"2502.18435\", \"reason\": \"x\", \"relevance\": \"8/10\", \"novelty\": 7.5}\n";

        var result = new ScoreResponseParser().Parse(answer, [ArxivId.Parse("2502.12851"), ArxivId.Parse("2502.18435"), ArxivId.Parse("2502.11111")]);

        result.Diagnostics.Should().BeEmpty();
        result.Scores.Should().HaveCount(2);
        result.Scores[0].PaperId.Should().Be(ArxivId.Parse("2502.12851v2"));
        result.Scores[0].Relevance.Should().Be(10);
        result.Scores[1].Relevance.Should().Be(8);
        result.Scores[1].Novelty.Should().Be(8);
        result.MissingIds.Should().Equal(ArxivId.Parse("2502.11111"));
    }
}
