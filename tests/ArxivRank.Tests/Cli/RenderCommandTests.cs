using System.Text.Json;
using ArxivRank.Rendering;
using ArxivRank.Tests.Rendering;
using ArxivRank.TestUtilities.Digests;

namespace ArxivRank.Tests.Cli;

public sealed class RenderCommandTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("arxivrank-render-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private static string DayFile => RenderingTestHelpers.RenderingData("2025-02-26-output.json");

    [Fact]
    public async Task Render_PythonDayFileToMarkdown_TakesTheDateFromTheNameAndWritesStdout()
    {
        var run = await CliRunner.RunAsync(["render", "--input", DayFile, "--format", "markdown"]);

        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stdout.Should().StartWith("# Personalized Daily Arxiv Papers 02/26/2025").And.Contain("Total relevant papers: 37");
        run.Stderr.Should().BeEmpty();
    }

    [Fact]
    public async Task Render_OurJsonDigestToHtmlFile_WritesThePage()
    {
        string input = Path.Combine(_temp, "digest.json");
        await using (var stream = File.Create(input))
        {
            await DigestJson.WriteAsync(TestDigests.FromReference(1), stream);
        }

        string output = Path.Combine(_temp, "site", "today.html");
        var run = await CliRunner.RunAsync(["render", "--input", input, "--format", "html", "--out", output]);

        run.ExitCode.Should().Be(0, run.Stderr);
        File.ReadAllText(output).Should().StartWith("<!DOCTYPE html>").And.Contain("Mechanistic PDE Networks");
        run.Stdout.Should().BeEmpty();
    }

    [Fact]
    public async Task Render_ToAFolder_WritesTheNamedOutputs()
    {
        string folder = Path.Combine(_temp, "out") + "/";

        var run = await CliRunner.RunAsync(["render", "-i", DayFile, "-f", "json", "-o", folder]);

        run.ExitCode.Should().Be(0, run.Stderr);
        File.Exists(Path.Combine(folder, "2025-02-26.json")).Should().BeTrue();
    }

    [Fact]
    public async Task Render_SlackToStdout_WritesOneMessagePerLine()
    {
        var run = await CliRunner.RunAsync(["render", "--input", DayFile, "--format", "slack"]);

        run.ExitCode.Should().Be(0, run.Stderr);
        run.StdoutLines.Should().HaveCountGreaterThan(1);
        foreach (string line in run.StdoutLines)
        {
            using var message = JsonDocument.Parse(line);
            message.RootElement.GetProperty("blocks").GetArrayLength().Should().BeInRange(1, 50);
        }
    }

    [Fact]
    public async Task Render_SlackToAFolder_WritesNumberedMessages()
    {
        string folder = Path.Combine(_temp, "slack-out");

        var run = await CliRunner.RunAsync(["render", "--input", DayFile, "--format", "slack", "--out", folder]);

        run.ExitCode.Should().Be(0, run.Stderr);
        Directory.GetFiles(Path.Combine(folder, "slack")).Select(Path.GetFileName).Should().Contain("2025-02-26-001.json").And.Contain("2025-02-26-002.json");
    }

    [Fact]
    public async Task Render_DayFileWithoutDateInName_NeedsDate()
    {
        string input = Path.Combine(_temp, "output.json");
        File.Copy(DayFile, input);

        var without = await CliRunner.RunAsync(["render", "--input", input, "--format", "markdown"]);
        var with = await CliRunner.RunAsync(["render", "--input", input, "--format", "markdown", "--date", "2025-03-04"]);

        without.ExitCode.Should().Be(2);
        without.Stderr.Should().Contain("--date");
        with.ExitCode.Should().Be(0, with.Stderr);
        with.Stdout.Should().StartWith("# Personalized Daily Arxiv Papers 03/04/2025");
    }

    [Fact]
    public async Task Render_DayFileFromStdin_UsesDate()
    {
        var run = await CliRunner.RunAsync(["render", "--input", "-", "--format", "markdown", "--date", "2025-02-26"], stdin: File.ReadAllText(DayFile));

        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stdout.Should().Contain("Total relevant papers: 37");
    }

    [Fact]
    public async Task Render_MalformedDayFile_RendersWhatItCanAndWarnsOnStderr()
    {
        var run = await CliRunner.RunAsync(["render", "--input", RenderingTestHelpers.RenderingData("2025-03-01-output.json"), "--format", "markdown"]);

        run.ExitCode.Should().Be(0, run.Stderr);
        run.StderrLines.Should().HaveCount(11).And.OnlyContain(l => l.StartsWith("render: warning: ", StringComparison.Ordinal));
        run.Stdout.Should().Contain("Total relevant papers: 5");
    }

    [Theory]
    [InlineData("not json", "*not valid JSON*")]
    [InlineData("[1, 2]", "*neither an ArxivRank digest*")]
    [InlineData("{\"schemaVersion\": 9, \"date\": \"2025-02-26\"}", "*schemaVersion 9*")]
    public async Task Render_BadInput_FailsWithAClearMessage(string content, string message)
    {
        string input = Path.Combine(_temp, "2025-02-26-output.json");
        await File.WriteAllTextAsync(input, content);

        var run = await CliRunner.RunAsync(["render", "--input", input, "--format", "html"]);

        run.ExitCode.Should().Be(1);
        run.Stderr.Should().Match(message);
        run.Stdout.Should().BeEmpty();
    }

    [Fact]
    public async Task Render_MissingFile_Fails()
    {
        var run = await CliRunner.RunAsync(["render", "--input", Path.Combine(_temp, "nope.json"), "--format", "json"]);

        run.ExitCode.Should().Be(1);
        run.Stderr.Should().Contain("cannot read");
    }

    [Fact]
    public async Task Render_UnknownFormatOrBadDate_IsAUsageError()
    {
        var format = await CliRunner.RunAsync(["render", "--input", DayFile, "--format", "pdf"]);
        var date = await CliRunner.RunAsync(["render", "--input", DayFile, "--format", "json", "--date", "26.02.2025"]);

        format.ExitCode.Should().NotBe(0);
        format.Stderr.Should().Contain("pdf");
        date.ExitCode.Should().Be(2);
        date.Stderr.Should().Contain("YYYY-MM-DD");
    }
}
