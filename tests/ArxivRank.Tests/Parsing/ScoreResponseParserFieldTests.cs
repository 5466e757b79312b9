using System.Text.Json;
using ArxivRank.Parsing;
using static ArxivRank.Parsing.ScoreParseDiagnosticCodes;
using static ArxivRank.Tests.Parsing.ModelAnswers;

namespace ArxivRank.Tests.Parsing;

/// <summary>How the keys and values of one record are read: aliases, score forms and rounding, id forms, extra keys.</summary>
public class ScoreResponseParserFieldTests
{
    private readonly ScoreResponseParser _parser = new();

    private static ScoreRecord Record => Digest1[0];

    [Theory]
    [InlineData("ARXIVID", "COMMENT", "RELEVANCE", "NOVELTY")]
    [InlineData("arxivId", "comment", "relevance", "novelty")]
    [InlineData("arxiv_id", "reason", "Relevance", "Novelty")]
    [InlineData("ArXiv-ID", "Comments", "relevance_score", "novelty_score")]
    [InlineData("id", "reasoning", "RelevanceScore", "NoveltyScore")]
    [InlineData("paper_id", "rationale", "RELEVANCE", "NOVELTY")]
    [InlineData("paperId", "COMMENTS", "relevance", "novelty")]
    [InlineData("arxiv", "Reason", "relevance", "novelty")]
    [InlineData("arxiv\\u005Fid", "comment", "relev\\u0061nce", "novelty")]
    public void Parse_KeysInAnyCaseAndCommonAliases_AreRecognized(string idKey, string commentKey, string relevanceKey, string noveltyKey)
    {
        string answer = $"{{\"{idKey}\": \"{Record.Id}\", \"{commentKey}\": {Json(Record.Comment)}, \"{relevanceKey}\": {Record.Relevance}, \"{noveltyKey}\": {Record.Novelty}}}";

        var result = _parser.Parse(answer);

        result.Found().Should().Equal(Record.Expected);
        result.Scores[0].ExtraProperties.Should().NotBeNull().And.BeEmpty();
        result.Diagnostics.Should().BeEmpty();
    }

    [Fact]
    public void Parse_ExtraKeys_AreKeptAsTheyCame()
    {
        string answer = $"{{\"arxivId\": \"{Record.Id}\", \"title\": \"MeMo\", \"relevance\": 9, \"novelty\": 8, \"comment\": \"c\", \"tags\": [\"moe\", 2], \"detail\": {{\"criterion\": 1}}, \"confidence\": 0.8}}";

        var result = _parser.Parse(answer);

        var extra = result.Scores.Should().ContainSingle().Subject.ExtraProperties;
        extra.Should().NotBeNull();
        extra!.Keys.Should().BeEquivalentTo("title", "tags", "detail", "confidence");
        extra["title"].GetString().Should().Be("MeMo");
        extra["tags"].GetRawText().Should().Be("[\"moe\", 2]");
        extra["detail"].GetProperty("criterion").GetInt32().Should().Be(1);
        extra["confidence"].GetDouble().Should().Be(0.8);
        result.Diagnostics.Should().BeEmpty();
    }

    [Fact]
    public void Parse_RepeatedKnownKey_UsesTheFirstAndKeepsTheLaterAsExtra()
    {
        string answer = $"{{\"arxivId\": \"{Record.Id}\", \"relevance\": 9, \"novelty\": 8, \"Relevance\": 3, \"comment\": \"first\", \"reason\": \"second\"}}";

        var result = _parser.Parse(answer);

        var score = result.Scores.Should().ContainSingle().Subject;
        score.Relevance.Should().Be(9);
        score.Comment.Should().Be("first");
        score.ExtraProperties!.Keys.Should().BeEquivalentTo("Relevance", "reason");
    }

    [Fact]
    public void Parse_SeveralIdKeys_PrefersArxivIdThenPaperIdThenIdAndKeepsTheOthers()
    {
        string answer = $"{{\"id\": 3, \"paper_id\": \"not an id\", \"arxiv_id\": \"{Record.Id}\", \"relevance\": 9, \"novelty\": 8}}\n"
            + "{\"id\": \"2502.18435\", \"arxivId\": \"garbage\", \"relevance\": 7, \"novelty\": 6}";

        var result = _parser.Parse(answer);

        result.Scores.Select(s => s.PaperId).Should().Equal(Record.Id, ArxivId.Parse("2502.18435"));
        result.Scores[0].ExtraProperties!.Keys.Should().BeEquivalentTo("id", "paper_id");
        result.Scores[0].ExtraProperties!["id"].GetInt32().Should().Be(3);
        result.Scores[1].ExtraProperties!.Keys.Should().BeEquivalentTo("arxivId");
        result.Diagnostics.Should().BeEmpty();
    }

    [Theory]
    [InlineData("8", 8)]
    [InlineData("\"8\"", 8)]
    [InlineData("\" 8 \"", 8)]
    [InlineData("\"8/10\"", 8)]
    [InlineData("\"8 / 10\"", 8)]
    [InlineData("\"4/5\"", 8)]
    [InlineData("\"17/20\"", 9)]
    [InlineData("8.5", 9)]
    [InlineData("7.5", 8)]
    [InlineData("\"7.5\"", 8)]
    [InlineData("8.49", 8)]
    [InlineData("9.6", 10)]
    [InlineData("1e1", 10)]
    [InlineData("10.0", 10)]
    [InlineData("0.5", 1)]
    [InlineData("\"9.5/10\"", 10)]
    public void Parse_ScoreAsNumberStringOrFraction_RoundsHalvesAwayFromZero(string json, int expected)
    {
        string answer = $"{{\"arxivId\": \"{Record.Id}\", \"relevance\": {json}, \"novelty\": {json}}}";

        var result = _parser.Parse(answer);

        var score = result.Scores.Should().ContainSingle().Subject;
        score.Relevance.Should().Be(expected);
        score.Novelty.Should().Be(expected);
        result.Diagnostics.Should().BeEmpty();
    }

    [Theory]
    [InlineData(MidpointRounding.ToEven, "8.5", 8)]
    [InlineData(MidpointRounding.ToEven, "7.5", 8)]
    [InlineData(MidpointRounding.ToZero, "7.5", 7)]
    [InlineData(MidpointRounding.ToPositiveInfinity, "7.5", 8)]
    public void Parse_RoundingOption_DecidesTheHalves(MidpointRounding rounding, string json, int expected)
    {
        var parser = new ScoreResponseParser(new ScoreParserOptions { Rounding = rounding });

        var result = parser.Parse($"{{\"arxivId\": \"{Record.Id}\", \"relevance\": {json}, \"novelty\": 5}}");

        result.Scores.Should().ContainSingle().Which.Relevance.Should().Be(expected);
    }

    [Theory]
    [InlineData("0", ScoreOutOfRange)]
    [InlineData("11", ScoreOutOfRange)]
    [InlineData("-3", ScoreOutOfRange)]
    [InlineData("10.5", ScoreOutOfRange)]
    [InlineData("\"12/10\"", ScoreOutOfRange)]
    [InlineData("1e400", ScoreOutOfRange)]
    [InlineData("\"high\"", InvalidScore)]
    [InlineData("\"\"", InvalidScore)]
    [InlineData("\"8/0\"", InvalidScore)]
    [InlineData("true", InvalidScore)]
    [InlineData("[8]", InvalidScore)]
    [InlineData("{\"value\": 8}", InvalidScore)]
    [InlineData("null", MissingScore)]
    public void Parse_UnusableRelevance_RejectsTheRecordWithADiagnosticNeverAZero(string json, string code)
    {
        string answer = $"{{\"arxivId\": \"{Record.Id}\", \"relevance\": {json}, \"novelty\": 7}}\n" + Line(Digest1[1]);

        var result = _parser.Parse(answer, [Record.Id, Digest1[1].Id]);

        result.Found().Should().Equal(Digest1[1].Expected);
        var diagnostic = result.Diagnostics.Should().ContainSingle().Subject;
        diagnostic.Code.Should().Be(code);
        diagnostic.LineNumber.Should().Be(1);
        diagnostic.Reason.Should().Contain("relevance").And.Contain(Record.Id.ToString());
        result.MissingIds.Should().Equal(Record.Id);
    }

    [Fact]
    public void Parse_MissingScores_NamesEveryProblemInOneDiagnostic()
    {
        var result = _parser.Parse($"{{\"arxivId\": \"{Record.Id}\", \"novelty\": 12, \"comment\": \"no relevance\"}}");

        result.Scores.Should().BeEmpty();
        var diagnostic = result.Diagnostics.Should().ContainSingle().Subject;
        diagnostic.Code.Should().Be(MissingScore);
        diagnostic.Reason.Should().Contain("relevance is missing").And.Contain("novelty 12 is outside 1–10");
    }

    [Fact]
    public void Parse_MissingNoveltyWhenNotRequired_AcceptsTheRecordWithoutNovelty()
    {
        var parser = new ScoreResponseParser(new ScoreParserOptions { RequireNovelty = false });
        string answer = $"{{\"arxivId\": \"{Record.Id}\", \"relevance\": 6}}";

        var strict = _parser.Parse(answer);
        var lenient = parser.Parse(answer);

        strict.Scores.Should().BeEmpty();
        strict.Diagnostics.Should().ContainSingle().Which.Code.Should().Be(MissingScore);
        lenient.Scores.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Relevance = 6, Novelty = (int?)null });
        lenient.Diagnostics.Should().BeEmpty();
    }

    [Fact]
    public void Parse_CustomScale_ChecksTheRangeAndScalesFractionsToIt()
    {
        var parser = new ScoreResponseParser(new ScoreParserOptions { MinScore = 0, MaxScore = 5 });
        string answer = $"{{\"arxivId\": \"2502.12851\", \"relevance\": \"8/10\", \"novelty\": 0}}\n{{\"arxivId\": \"2502.18435\", \"relevance\": 6, \"novelty\": 1}}";

        var result = parser.Parse(answer);

        result.Scores.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Relevance = 4, Novelty = 0 });
        result.Diagnostics.Should().ContainSingle().Which.Reason.Should().Contain("outside 0–5");
    }

    [Theory]
    [InlineData("\"2502.12851\"", "2502.12851", null)]
    [InlineData("\"2502.12851v2\"", "2502.12851", 2)]
    [InlineData("\"arXiv:2502.12851\"", "2502.12851", null)]
    [InlineData("\"https://arxiv.org/abs/2502.12851v1\"", "2502.12851", 1)]
    [InlineData("\"https://arxiv.org/pdf/2502.12851v3.pdf\"", "2502.12851", 3)]
    [InlineData("\"oai:arXiv.org:2502.12851v1\"", "2502.12851", 1)]
    [InlineData("\"hep-th/9901001\"", "hep-th/9901001", null)]
    [InlineData("\"math.GT/0309136v1\"", "math/0309136", 1)]
    [InlineData("2502.12851", "2502.12851", null)]
    [InlineData("2502.12850", "2502.12850", null)]
    public void Parse_IdInAnyArxivForm_IsNormalized(string json, string id, int? version)
    {
        var result = _parser.Parse($"{{\"id\": {json}, \"relevance\": 7, \"novelty\": 6}}");

        var score = result.Scores.Should().ContainSingle().Subject;
        score.PaperId.Id.Should().Be(id);
        score.PaperId.Version.Should().Be(version);
    }

    [Theory]
    [InlineData("\"2502.1285\"", "digits after the dot")]
    [InlineData("\"garbage\"", "not an arXiv identifier")]
    [InlineData("\"\"", "empty")]
    [InlineData("null", "null")]
    [InlineData("true", "boolean")]
    [InlineData("{\"id\": \"2502.12851\"}", "object")]
    [InlineData("3", "not an arXiv identifier")]
    public void Parse_InvalidId_IsReportedWithTheReason(string json, string reasonPart)
    {
        string answer = $"{{\"arxivId\": {json}, \"relevance\": 7, \"novelty\": 6}}";

        var result = _parser.Parse(answer);

        result.Scores.Should().BeEmpty();
        var diagnostic = result.Diagnostics.Should().ContainSingle().Subject;
        diagnostic.Code.Should().Be(InvalidId);
        diagnostic.Reason.Should().Contain(reasonPart);
        diagnostic.RawText.Should().Be(answer);
    }

    [Theory]
    [InlineData("{\"relevance\": 7, \"novelty\": 6, \"comment\": \"no id\"}")]
    [InlineData("{}")]
    [InlineData("{\"title\": \"MeMo\"}")]
    public void Parse_ObjectWithoutId_IsReported(string answer)
    {
        var result = _parser.Parse(answer);

        result.Scores.Should().BeEmpty();
        result.Diagnostics.Should().ContainSingle().Which.Should().BeEquivalentTo(new { LineNumber = 1, Code = MissingId, RawText = answer });
    }

    [Fact]
    public void Parse_NonStringComment_KeepsItAsExtraAndLeavesCommentEmpty()
    {
        var result = _parser.Parse($"{{\"arxivId\": \"{Record.Id}\", \"relevance\": 7, \"novelty\": 6, \"comment\": [\"a\", \"b\"]}}");

        var score = result.Scores.Should().ContainSingle().Subject;
        score.Comment.Should().BeNull();
        score.ExtraProperties!["comment"].ValueKind.Should().Be(JsonValueKind.Array);
    }

    [Fact]
    public void Parse_LongRawText_IsCutInDiagnostics()
    {
        string answer = "{\"comment\": \"" + new string('x', 5000) + "\"}";

        var result = _parser.Parse(answer);

        result.Diagnostics.Should().ContainSingle().Which.RawText.Should().HaveLength(2001).And.EndWith("…");
    }

    [Fact]
    public void Parse_ObjectOverSixteenMillionCharacters_IsReportedNotRead()
    {
        string huge = $"{{\"arxivId\": \"{Record.Id}\", \"relevance\": 8, \"novelty\": 7, \"comment\": \"" + new string('x', 16 * 1024 * 1024) + "\"}";

        var result = _parser.Parse(huge + "\n" + Line(Digest1[1]));

        result.Found().Should().Equal(Digest1[1].Expected);
        var diagnostic = result.Diagnostics.Should().ContainSingle().Subject;
        diagnostic.Code.Should().Be(InvalidJson);
        diagnostic.Reason.Should().Contain("are not read");
        diagnostic.RawText.Should().HaveLength(2001);
    }

    [Theory]
    [InlineData(-1, 10, "MinScore")]
    [InlineData(5, 5, "MaxScore")]
    [InlineData(1, 0, "MaxScore")]
    public void Constructor_OptionsOutOfRange_ThrowsNamingTheOption(int min, int max, string option)
    {
        var act = () => new ScoreResponseParser(new ScoreParserOptions { MinScore = min, MaxScore = max });

        act.Should().Throw<ArgumentException>().WithMessage($"*ScoreParserOptions.{option}*");
    }

    [Fact]
    public void Constructor_UndefinedRounding_ThrowsNamingTheOption()
    {
        var act = () => new ScoreResponseParser(new ScoreParserOptions { Rounding = (MidpointRounding)42 });

        act.Should().Throw<ArgumentException>().WithMessage("*ScoreParserOptions.Rounding*");
    }

    [Fact]
    public void Constructor_OptionsChangedLater_DoNotAffectTheParser()
    {
        var options = new ScoreParserOptions();
        var parser = new ScoreResponseParser(options);
        options.MaxScore = 100;

        var result = parser.Parse($"{{\"arxivId\": \"{Record.Id}\", \"relevance\": 50, \"novelty\": 6}}");

        result.Scores.Should().BeEmpty();
        result.Diagnostics.Should().ContainSingle().Which.Code.Should().Be(ScoreOutOfRange);
    }

    [Fact]
    public void Parse_NullResponse_Throws()
    {
        var act = () => _parser.Parse(null!);

        act.Should().Throw<ArgumentNullException>();
    }
}
