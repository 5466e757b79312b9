using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ArxivRank.Tests.Cli;
using static ArxivRank.Tests.Parsing.ModelAnswers;

namespace ArxivRank.Tests.Parsing;

/// <summary><c>arxivrank parse [--ids FILE] [FILE|-]</c>, run in-process.</summary>
public sealed class ParseCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("arxivrank-parse-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Parse_StdinDash_WritesOneCleanJsonLinePerScore()
    {
        var record = All.First(r => r.Id.Id == "2502.12851");

        var run = await CliRunner.RunAsync(["parse", "-"], stdin: Fenced(Line(record)));

        run.ExitCode.Should().Be(0);
        run.StdoutLines.Should().Equal("{\"arxivId\":\"2502.12851\",\"relevance\":10,\"novelty\":9,\"comment\":\"The paper proposes a novel architecture, MeMo, with associative memory mechanisms for LLMs, which aligns with the model architecture criterion by introducing a new paradigm for memorization and transparency.\"}");
        run.Stderr.Should().BeEmpty();
    }

    [Fact]
    public async Task Parse_NoAnswerArgument_ReadsStdin()
    {
        var records = Take(5);

        var run = await CliRunner.RunAsync(["parse"], stdin: JsonLines(records));

        run.ExitCode.Should().Be(0);
        run.StdoutLines.Should().Equal(records.Select(Expected));
    }

    [Fact]
    public async Task Parse_AnswerFile_ReadsItWithBomAndCrLf()
    {
        var records = Take(4);
        string path = Path.Combine(_directory, "answer.txt");
        await File.WriteAllTextAsync(path, "Scores:\r\n" + JsonLines(records, newLine: "\r\n"), new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        var run = await CliRunner.RunAsync(["parse", path]);

        run.ExitCode.Should().Be(0);
        run.StdoutLines.Should().Equal(records.Select(Expected));
        run.Stderr.Should().BeEmpty();
    }

    [Fact]
    public async Task Parse_AnswerWithVersion_AddsTheVersionOnlyWhenTheAnswerCarriedOne()
    {
        var records = Take(2);
        string answer = Line(records[0] with { Id = records[0].Id.WithVersion(2) }) + "\n" + Line(records[1]);

        var run = await CliRunner.RunAsync(["parse"], stdin: answer);

        run.StdoutLines[0].Should().StartWith($"{{\"arxivId\":\"{records[0].Id}\",\"version\":2,\"relevance\":");
        run.StdoutLines[1].Should().StartWith($"{{\"arxivId\":\"{records[1].Id}\",\"relevance\":").And.NotContain("\"version\"");
    }

    [Theory]
    [InlineData("plain ASCII, with HTML <b>&</b> and 'quotes' + `ticks` {braces} [brackets] ~|^")]
    [InlineData("a \\\"quoted\\\" word and a back\\\\slash")]
    [InlineData("a tab\\there and a line\\nbreak and \\u0001 and DEL \\u007F")]
    [InlineData("non-ASCII: naïve Schrödinger, 量子, an emoji 🙂, a line separator \\u2028, an escaped \\u00e9")]
    [InlineData("")]
    public async Task Parse_CommentOfAnyText_IsWrittenAsUtf8JsonWriterWritesIt(string jsonComment)
    {
        string answer = $"{{\"arxivId\": \"hep-th/9901001v3\", \"relevance\": 7, \"novelty\": 4, \"comment\": \"{jsonComment}\"}}";
        string comment = JsonDocument.Parse(answer).RootElement.GetProperty("comment").GetString()!;
        var expected = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(expected, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("arxivId", "hep-th/9901001");
            writer.WriteNumber("version", 3);
            writer.WriteNumber("relevance", 7);
            writer.WriteNumber("novelty", 4);
            writer.WriteString("comment", comment);
            writer.WriteEndObject();
        }

        var run = await CliRunner.RunAsync(["parse"], stdin: answer);

        run.Stderr.Should().BeEmpty();
        run.StdoutLines.Should().Equal(Encoding.UTF8.GetString(expected.WrittenSpan));
    }

    [Fact]
    public async Task Parse_Diagnostics_GoToStderrOnePerLineAndTheExitCodeStaysZero()
    {
        var records = Take(3);
        string answer = Pretty(records[0]) + "\nnull\n" + Pretty(records[0]) + "\n" + Line(records[1])[..30];

        var run = await CliRunner.RunAsync(["parse"], stdin: answer);

        run.ExitCode.Should().Be(0);
        run.StdoutLines.Should().Equal(Expected(records[0]));
        run.StderrLines.Should().HaveCount(3);
        run.StderrLines[0].Should().StartWith("line 7: not-an-object: ").And.EndWith("| null");
        run.StderrLines[1].Should().StartWith("line 8: duplicate-id: ").And.Contain($"| {{ \"arxivId\": \"{records[0].Id}\", \"comment\":");
        run.StderrLines[2].Should().StartWith("line 14: truncated: ");
    }

    [Fact]
    public async Task Parse_WithIds_RejectsOtherPapersAndReportsTheMissingOnes()
    {
        var records = Take(4);
        string ids = Path.Combine(_directory, "ids.txt");
        await File.WriteAllTextAsync(ids, "# batch\n" + records[0].Id + "v1\n\n" + records[1].Id + "\n" + records[2].Id + "\n");
        string answer = JsonLines([records[0], records[1], records[3]]);

        var run = await CliRunner.RunAsync(["parse", "--ids", ids, "-"], stdin: answer);

        run.ExitCode.Should().Be(0);
        run.StdoutLines.Should().Equal(Expected(records[0]), Expected(records[1]));
        run.StderrLines.Should().HaveCount(2);
        run.StderrLines[0].Should().StartWith($"line 3: unknown-id: {records[3].Id} was not in the batch");
        run.StderrLines[1].Should().Be($"missing: {records[2].Id}: the answer has no usable score for this batch paper");
    }

    [Fact]
    public async Task Parse_UnreadableAnswerFile_FailsWithAClearMessage()
    {
        string path = Path.Combine(_directory, "no-such-answer.txt");

        var run = await CliRunner.RunAsync(["parse", path]);

        run.ExitCode.Should().Be(1);
        run.Stdout.Should().BeEmpty();
        run.StderrLines.Should().ContainSingle().Which.Should().StartWith($"arxivrank parse: cannot read the answer file '{path}': ");
    }

    [Fact]
    public async Task Parse_DirectoryAsAnswerFile_FailsWithAClearMessage()
    {
        var run = await CliRunner.RunAsync(["parse", _directory]);

        run.ExitCode.Should().Be(1);
        run.StderrLines.Should().ContainSingle().Which.Should().Contain($"cannot read the answer file '{_directory}'");
    }

    [Fact]
    public async Task Parse_UnreadableIdsFile_FailsBeforeReadingTheAnswer()
    {
        string ids = Path.Combine(_directory, "missing-ids.txt");

        var run = await CliRunner.RunAsync(["parse", "--ids", ids], stdin: JsonLines(Take(1)));

        run.ExitCode.Should().Be(1);
        run.Stdout.Should().BeEmpty();
        run.StderrLines.Should().ContainSingle().Which.Should().StartWith($"arxivrank parse: cannot read the --ids file '{ids}': ");
    }

    [Fact]
    public async Task Parse_IdsFileWithAnInvalidId_FailsNamingTheLine()
    {
        string ids = Path.Combine(_directory, "ids.txt");
        await File.WriteAllTextAsync(ids, "2502.12851\n# comment\nnot-an-id\n");

        var run = await CliRunner.RunAsync(["parse", "--ids", ids], stdin: JsonLines(Take(1)));

        run.ExitCode.Should().Be(1);
        run.StderrLines.Should().ContainSingle().Which.Should().StartWith($"arxivrank parse: the --ids file '{ids}' line 3 is not an arXiv id: ");
    }

    [Fact]
    public async Task Parse_EmptyStdin_SucceedsWithNoOutput()
    {
        var run = await CliRunner.RunAsync(["parse"], stdin: string.Empty);

        run.ExitCode.Should().Be(0);
        run.Stdout.Should().BeEmpty();
        run.Stderr.Should().BeEmpty();
    }

    [Fact]
    public async Task Parse_BundledExample_RecoversEveryUsableRecordAndExplainsTheRest()
    {
        string examples = Path.Combine(RepositoryRoot(), "samples", "ArxivRank.Cli", "examples");

        var run = await CliRunner.RunAsync(["parse", "--ids", Path.Combine(examples, "ids.txt"), Path.Combine(examples, "answer.txt")]);

        run.ExitCode.Should().Be(0);
        run.StdoutLines.Should().HaveCount(13);
        run.StdoutLines.Should().Contain(l => l.StartsWith("{\"arxivId\":\"2502.17941\",\"version\":2,", StringComparison.Ordinal));
        run.StdoutLines.Should().Contain(l => l.StartsWith("{\"arxivId\":\"2502.18428\",\"relevance\":9,", StringComparison.Ordinal), "\"9/10\" is read as 9");
        run.StderrLines.Select(l => l.Split(": ")[1]).Should().Equal("duplicate-id", "unknown-id", "invalid-score", "truncated", "2502.17501", "2502.18279", "2502.17665");
    }

    private static string Expected(ScoreRecord r) => $"{{\"arxivId\":\"{r.Id}\",\"relevance\":{r.Relevance},\"novelty\":{r.Novelty},\"comment\":{Json(r.Comment)}}}";

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ArxivRank.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (ArxivRank.sln) is not above the test assembly.");
    }
}
