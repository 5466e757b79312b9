using ArxivRank.Parsing;
using static ArxivRank.Parsing.ScoreParseDiagnosticCodes;
using static ArxivRank.Tests.Parsing.ModelAnswers;

namespace ArxivRank.Tests.Parsing;

/// <summary>Every shape real models give their answer in: each test renders real reference verdicts that way.</summary>
public class ScoreResponseParserShapeTests
{
    private readonly ScoreResponseParser _parser = new();

    [Fact]
    public void Parse_OneObjectPerLine_ReturnsEveryRecordInOrder()
    {
        var records = Digest1;
        string answer = JsonLines(records);

        var result = _parser.Parse(answer);

        result.Found().Should().Equal(Expected(records));
        result.Scores.Should().OnlyContain(s => s.Origin == ArxivRank.Scoring.ScoreOrigin.Scored && s.ExtraProperties.Count == 0);
        result.Diagnostics.Should().BeEmpty();
        result.MissingIds.Should().BeEmpty();
    }

    [Fact]
    public void Parse_PrettyPrintedObjects_ReturnsEveryRecord()
    {
        var records = Take(6);
        string answer = string.Join("\n\n", records.Select(r => Pretty(r))) + "\n";

        var result = _parser.Parse(answer);

        result.Found().Should().Equal(Expected(records));
        result.Diagnostics.Should().BeEmpty();
    }

    [Fact]
    public void Parse_JsonArrayOnOneLine_ReturnsEveryElement()
    {
        var records = Take(5);
        string answer = "[" + string.Join(", ", records.Select(r => Line(r, KeyStyle.Camel))) + "]";

        var result = _parser.Parse(answer);

        result.Found().Should().Equal(Expected(records));
        result.Diagnostics.Should().BeEmpty();
    }

    [Fact]
    public void Parse_JsonArrayOverManyLines_ReturnsEveryElement()
    {
        var records = Take(5);
        string answer = "[\n" + string.Join(",\n", records.Select(r => Pretty(r, "  "))) + "\n]\n";

        var result = _parser.Parse(answer);

        result.Found().Should().Equal(Expected(records));
        result.Diagnostics.Should().BeEmpty();
    }

    [Theory]
    [InlineData(" ")]
    [InlineData(", ")]
    [InlineData("")]
    [InlineData(" ; ")]
    public void Parse_SeveralObjectsOnOneLine_ReturnsEachObject(string separator)
    {
        var records = Take(6);
        string answer = string.Join(separator, records.Take(3).Select(r => Line(r))) + "\n" + string.Join(separator, records.Skip(3).Select(r => Line(r))) + "\n";

        var result = _parser.Parse(answer);

        result.Found().Should().Equal(Expected(records));
        result.Diagnostics.Should().BeEmpty();
    }

    [Theory]
    [InlineData("scores")]
    [InlineData("papers")]
    [InlineData("results")]
    public void Parse_WrapperObjectOnOneLine_ReturnsEveryElement(string key)
    {
        var records = Take(4);
        string answer = $"{{\"{key}\": [" + string.Join(",", records.Select(r => Line(r, KeyStyle.Camel))) + "]}";

        var result = _parser.Parse(answer);

        result.Found().Should().Equal(Expected(records));
        result.Diagnostics.Should().BeEmpty();
    }

    [Fact]
    public void Parse_WrapperObjectPrettyPrinted_ReturnsEveryElementWithItsLine()
    {
        var records = Take(3);
        string answer = "{\n  \"scores\": [\n" + string.Join(",\n", records.Select(r => Pretty(r, "    "))) + "\n  ]\n}\n";

        var result = _parser.Parse(answer);

        result.Found().Should().Equal(Expected(records));
        result.Diagnostics.Should().BeEmpty();
    }

    [Fact]
    public void Parse_WrapperWithArrayAfterOtherKeys_ReturnsEveryElement()
    {
        var records = Take(4);
        string oneLine = "{\"date\": \"2025-02-26\", \"count\": 4, \"scores\": [" + string.Join(",", records.Select(r => Line(r))) + "]}";
        string pretty = "{\n  \"date\": \"2025-02-26\",\n  \"scores\": [\n" + string.Join(",\n", records.Select(r => Pretty(r, "    "))) + "\n  ]\n}";

        var fromOneLine = _parser.Parse(oneLine);
        var fromPretty = _parser.Parse(pretty);

        fromOneLine.Found().Should().Equal(Expected(records));
        fromOneLine.Diagnostics.Should().BeEmpty();
        fromPretty.Found().Should().Equal(Expected(records));
        fromPretty.Diagnostics.Should().BeEmpty();
    }

    [Fact]
    public void Parse_TwoArraysInOneWrapper_ReturnsTheElementsOfBoth()
    {
        var records = Take(4);
        string answer = "{\"relevant\": [" + Line(records[0]) + ", " + Line(records[1]) + "], \"note\": \"a } and a [ in a string\", \"others\": [" + Line(records[2]) + ", " + Line(records[3]) + "]}";

        var result = _parser.Parse(answer);

        result.Found().Should().Equal(Expected(records));
        result.Diagnostics.Should().BeEmpty();
    }

    [Theory]
    [InlineData("jsonl")]
    [InlineData("json")]
    [InlineData("")]
    [InlineData("JSON")]
    [InlineData("JsonL")]
    public void Parse_MarkdownFence_IsSkippedWhateverItsLanguageTag(string language)
    {
        var records = Take(4);
        string answer = Fenced(JsonLines(records), language);

        var result = _parser.Parse(answer);

        result.Found().Should().Equal(Expected(records));
        result.Diagnostics.Should().BeEmpty();
    }

    [Fact]
    public void Parse_SeveralFencedBlocksWithProse_ReturnsRecordsOfEveryBlock()
    {
        var records = Take(4);
        string answer = "Here are the first two papers:\n" + Fenced(JsonLines(records.Take(2))) + "\nAnd the rest: (note: \"scores\" are 1-10)\n" + Fenced(JsonLines(records.Skip(2)), "json");

        var result = _parser.Parse(answer);

        result.Found().Should().Equal(Expected(records));
        result.Diagnostics.Should().BeEmpty();
    }

    [Fact]
    public void Parse_ProseBeforeAndAfter_IsIgnoredWithoutDiagnostics()
    {
        var records = Take(3);
        string answer = "Sure! Here are the scores for the papers you gave me, based on your criteria: \"efficiency\", [MoE] and more.\n\n"
            + JsonLines(records)
            + "\nLet me know if you'd like me to explain any of these ratings, e.g. why 2502.12851 got a 10.\n";

        var result = _parser.Parse(answer);

        result.Found().Should().Equal(Expected(records));
        result.Diagnostics.Should().BeEmpty();
    }

    [Theory]
    [InlineData("- ")]
    [InlineData("* ")]
    [InlineData("• ")]
    [InlineData("1. ")]
    [InlineData("2) ")]
    [InlineData("> ")]
    public void Parse_BulletedRecords_ReturnsEveryRecord(string bullet)
    {
        var records = Take(3);
        string answer = string.Join("\n", records.Select(r => bullet + Line(r))) + "\n";

        var result = _parser.Parse(answer);

        result.Found().Should().Equal(Expected(records));
        result.Diagnostics.Should().BeEmpty();
    }

    [Fact]
    public void Parse_BlankAndWhitespaceLines_AreSkipped()
    {
        var records = Take(3);
        string answer = "\n\n   \n" + string.Join("\n\n\t\n", records.Select(r => Line(r))) + "\n\n\n";

        var result = _parser.Parse(answer);

        result.Found().Should().Equal(Expected(records));
        result.Diagnostics.Should().BeEmpty();
    }

    [Fact]
    public void Parse_CrLfLineEnds_ReadsRecordsAndCountsLinesLikeLf()
    {
        var records = Take(3);
        string answer = "```json\r\n" + string.Join("\r\n", records.Select(r => Pretty(r, newLine: "\r\n"))) + "\r\n2\r\n```\r\n";

        var result = _parser.Parse(answer);

        result.Found().Should().Equal(Expected(records));
        result.Diagnostics.Should().ContainSingle().Which.LineNumber.Should().Be(20);
    }

    [Fact]
    public void Parse_Utf8ByteOrderMark_IsIgnored()
    {
        var records = Take(2);
        string answer = "\uFEFF" + JsonLines(records);

        var result = _parser.Parse(answer);

        result.Found().Should().Equal(Expected(records));
        result.Diagnostics.Should().BeEmpty();
    }

    [Fact]
    public void Parse_TruncatedLastObject_ReportsItAndKeepsTheRecordsBefore()
    {
        var records = Take(4);
        string last = Line(records[3]);
        string answer = JsonLines(records.Take(3)) + last[..(last.Length / 2)];

        var result = _parser.Parse(answer);

        result.Found().Should().Equal(Expected(records.Take(3)));
        var diagnostic = result.Diagnostics.Should().ContainSingle().Subject;
        diagnostic.Code.Should().Be(Truncated);
        diagnostic.LineNumber.Should().Be(4);
        diagnostic.RawText.Should().Be(last[..(last.Length / 2)].Trim());
    }

    [Fact]
    public void Parse_TruncatedWrapper_ReportsTheCutAndKeepsCompleteElements()
    {
        var records = Take(3);
        string third = Line(records[2]);
        string answer = "{\"scores\": [" + Line(records[0]) + ", " + Line(records[1]) + ", " + third[..20];

        var result = _parser.Parse(answer);

        result.Found().Should().Equal(Expected(records.Take(2)));
        result.Diagnostics.Select(d => d.Code).Should().Equal(Truncated, Truncated);
        result.Diagnostics[0].RawText.Should().Be(third[..20]);
        result.Diagnostics[1].RawText.Should().Be("{\"scores\": [");
    }

    [Fact]
    public void Parse_TrailingCommasAfterAndInsideObjects_AreAccepted()
    {
        var records = Take(4);
        string answer = string.Join("\n", records.Select(r => Line(r, trailingComma: true) + ",")) + "\n[" + Line(records[0] with { Id = ArxivId.Parse("2502.18435") }, trailingComma: true) + ",]\n";

        var result = _parser.Parse(answer);

        result.Found().Should().Equal(Expected([.. records, records[0] with { Id = ArxivId.Parse("2502.18435") }]));
        result.Diagnostics.Should().BeEmpty();
    }

    [Theory]
    [InlineData("Uses }, {\"arxivId\": \"2502.18435\", \"relevance\": 10, \"novelty\": 10} as a trick, then ]}")]
    [InlineData("A \"quoted\" word, a path C:\\tmp\\ and // no comment /* none */")]
    [InlineData("Ends with a backslash \\")]
    [InlineData("Unicode: Gonçalves, \u00e9, emoji 🚀, tab\tand newline\n escaped")]
    public void Parse_BracesCommasAndEscapesInsideStrings_StayPartOfTheString(string comment)
    {
        var record = Take(1)[0] with { Comment = comment };
        string answer = Line(record) + "\n" + Line(Take(2)[1]) + "\n";

        var result = _parser.Parse(answer, [record.Id, Take(2)[1].Id]);

        result.Found().Should().Equal(Expected([record, Take(2)[1]]));
        result.Diagnostics.Should().BeEmpty();
    }

    [Fact]
    public void Parse_CommentsInsideObjects_AreSkipped()
    {
        var records = Take(2);
        string answer = $"{{\"arxivId\": \"{records[0].Id}\", // the id\n \"comment\": {Json(records[0].Comment)}, /* scores: */ \"relevance\": {records[0].Relevance}, \"novelty\": {records[0].Novelty}}}\n" + Line(records[1]);

        var result = _parser.Parse(answer);

        result.Found().Should().Equal(Expected(records));
        result.Diagnostics.Should().BeEmpty();
    }

    [Theory]
    [InlineData("2", "number")]
    [InlineData("-1.5e3", "number")]
    [InlineData("null", "null")]
    [InlineData("true", "boolean")]
    [InlineData("\"2502.12851: relevance 9\"", "string")]
    [InlineData("- null", "null")]
    [InlineData("[1]", "number")]
    [InlineData("\"a\",", "string")]
    public void Parse_LineWithAJsonValueThatIsNotAnObject_ReportsItAndGoesOn(string line, string kind)
    {
        var records = Take(2);
        string answer = Line(records[0]) + "\n" + line + "\n" + Line(records[1]) + "\n";

        var result = _parser.Parse(answer);

        result.Found().Should().Equal(Expected(records));
        var diagnostic = result.Diagnostics.Should().ContainSingle().Subject;
        diagnostic.Should().BeEquivalentTo(new { LineNumber = 2, Code = NotAnObject, RawText = line });
        diagnostic.Reason.Should().Contain(kind);
    }

    [Theory]
    [InlineData("Here are the scores:")]
    [InlineData("1.")]
    [InlineData("**Scores**")]
    [InlineData("---")]
    [InlineData("]")]
    [InlineData("2 papers are relevant.")]
    public void Parse_ProseLine_IsIgnoredSilently(string line)
    {
        var records = Take(2);
        string answer = Line(records[0]) + "\n" + line + "\n" + Line(records[1]);

        var result = _parser.Parse(answer);

        result.Found().Should().Equal(Expected(records));
        result.Diagnostics.Should().BeEmpty();
    }

    [Fact]
    public void Parse_ObjectMissingItsClosingBrace_IsReportedAndTheNextRecordIsStillRead()
    {
        var records = Take(3);
        string broken = Line(records[0])[..^1];
        string answer = broken + "\n" + Line(records[1]) + "\n" + Line(records[2]) + "\n";

        var result = _parser.Parse(answer);

        result.Found().Should().Equal(Expected(records.Skip(1)));
        result.Diagnostics.Should().ContainSingle().Which.Should().BeEquivalentTo(new { LineNumber = 1, Code = UnclosedObject, RawText = broken });
    }

    [Fact]
    public void Parse_StringMissingItsClosingQuote_DoesNotSwallowTheLinesAfter()
    {
        var records = Take(3);
        string broken = $"{{\"arxivId\": \"{records[0].Id}\", \"comment\": \"unterminated, \"relevance\": 8, \"novelty\": 6}}";
        string answer = broken + "\n" + Line(records[1]) + "\n" + Line(records[2]) + "\n";

        var result = _parser.Parse(answer);

        result.Found().Should().Equal(Expected(records.Skip(1)));
        result.Diagnostics.Should().ContainSingle().Which.Code.Should().Be(UnclosedObject);
    }

    [Fact]
    public void Parse_FenceClosingAnUnclosedObject_ReportsItAndReadsTheNextBlock()
    {
        var records = Take(2);
        string answer = "```json\n{\"arxivId\": \"" + records[0].Id + "\", \"relevance\": 8,\n```\nSorry, again:\n```json\n" + Line(records[1]) + "\n```\n";

        var result = _parser.Parse(answer);

        result.Found().Should().Equal(Expected(records.Skip(1)));
        result.Diagnostics.Should().ContainSingle().Which.Should().BeEquivalentTo(new { LineNumber = 2, Code = UnclosedObject });
    }

    [Fact]
    public void Parse_InvalidJsonObject_ReportsTheReaderErrorWithTheLineOfTheObject()
    {
        var records = Take(2);
        string bad = $"{{'arxivId': '{records[0].Id}', relevance: 8}}";
        string answer = Pretty(records[1]) + "\n" + bad + "\n";

        var result = _parser.Parse(answer);

        result.Found().Should().Equal(Expected(records.Skip(1)));
        result.Diagnostics.Should().ContainSingle().Which.Should().BeEquivalentTo(new { LineNumber = 7, Code = InvalidJson, RawText = bad });
        result.Diagnostics[0].Reason.Should().StartWith("The object is not valid JSON: line 7, column 2: ").And.NotContain("LineNumber").And.NotContain("BytePositionInLine");
    }

    [Fact]
    public void Parse_InvalidJsonInsideAnIndentedPrettyObject_ReportsTheAnswersLineAndColumn()
    {
        // Pretty: the bad token is on answer line 4, column 16. On one line: the object starts at column 5, after "  - ".
        string answer = "Scores:\n\n  - {\"arxivId\": \"2502.12851\",\n  \"relevance\": eight, \"novelty\": 7}\n";
        string withOffset = "Scores:\n\n  - {\"arxivId\": \"2502.12851\", \"relevance\": x}\n";

        var multiLine = _parser.Parse(answer).Diagnostics.Should().ContainSingle().Subject;
        var sameLine = _parser.Parse(withOffset).Diagnostics.Should().ContainSingle().Subject;

        multiLine.Code.Should().Be(InvalidJson);
        multiLine.LineNumber.Should().Be(3, "the diagnostic names the line where the object starts");
        multiLine.Reason.Should().Contain("line 4, column 16:");
        sameLine.Reason.Should().Contain("line 3, column 44:");
    }

    [Fact]
    public void Parse_EmptyOrProseOnlyAnswer_ReturnsNothingAndMissesTheWholeBatch()
    {
        var batch = Take(3).Select(r => r.Id).ToList();

        var empty = _parser.Parse(string.Empty, batch);
        var prose = _parser.Parse("I'm sorry, I cannot rate these papers.", batch);

        empty.Scores.Should().BeEmpty();
        empty.MissingIds.Should().Equal(batch);
        prose.Scores.Should().BeEmpty();
        prose.Diagnostics.Should().BeEmpty();
        prose.MissingIds.Should().Equal(batch);
    }

    [Fact]
    public void Parse_MessyAnswerMixingEveryShape_ReturnsEveryRecord()
    {
        var records = Take(12);
        string answer = "\uFEFFSure — here you go:\r\n\r\n```jsonl\r\n"
            + Line(records[0], KeyStyle.Upper) + "\r\n"
            + "- " + Line(records[1], KeyStyle.Snake, trailingComma: true) + ",\r\n"
            + Line(records[2], KeyStyle.Short) + " " + Line(records[3], KeyStyle.Camel) + "\r\n"
            + "```\r\n\r\nA few more, pretty-printed:\r\n```json\r\n"
            + "[\r\n" + Pretty(records[4], "  ", newLine: "\r\n") + ",\r\n" + Pretty(records[5], "  ", KeyStyle.Upper, "\r\n") + "\r\n]\r\n```\r\n"
            + "{\"scores\": [" + string.Join(", ", records.Skip(6).Take(4).Select(r => Line(r))) + "]}\r\n"
            + "1. " + Line(records[10]) + "\r\n2. " + Line(records[11]) + "\r\nHope this helps!";

        var result = _parser.Parse(answer, [.. records.Select(r => r.Id)]);

        result.Found().Should().Equal(Expected(records));
        result.Diagnostics.Should().BeEmpty();
        result.MissingIds.Should().BeEmpty();
    }
}
