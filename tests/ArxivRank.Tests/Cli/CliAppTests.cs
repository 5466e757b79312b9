using ArxivRank.Cli;

namespace ArxivRank.Tests.Cli;

public class CliAppTests
{
    [Theory]
    [InlineData("digest", "--no-such-option")]
    [InlineData("digest", "--scorer", "magic")]
    [InlineData("digest", "--top-k", "many")]
    [InlineData("digest", "--top-k", "0")]
    [InlineData("score", "--concurrency", "65")]
    [InlineData("no-such-command")]
    public async Task RunAsync_WrongCommandLine_ExitsUsageWithMessage(params string[] args)
    {
        var run = await CliRunner.RunAsync(args);

        run.ExitCode.Should().Be(ExitCodes.Usage);
        run.Stderr.Should().Contain("arxivrank:").And.Contain("--help");
        run.Stdout.Should().BeEmpty();
    }

    [Fact]
    public async Task RunAsync_Help_ExitsSuccessAndListsTheCommands()
    {
        var run = await CliRunner.RunAsync(["--help"]);

        run.ExitCode.Should().Be(ExitCodes.Success);
        run.Stdout.Should().Contain("digest").And.Contain("fetch").And.Contain("score").And.Contain("parse").And.Contain("render");
    }

    [Fact]
    public void BuildRoot_ArgumentsNameACommand_BuildsOnlyThatCommand()
    {
        var context = new CliContext { Out = TextWriter.Null, Error = TextWriter.Null, OpenStdin = () => TextReader.Null };

        var all = CliApp.BuildRoot(context);
        var parseOnly = CliApp.BuildRoot(context, ["parse", "answer.txt"]);
        var unknown = CliApp.BuildRoot(context, ["pars"]);
        var option = CliApp.BuildRoot(context, ["--version"]);

        all.Subcommands.Select(c => c.Name).Should().Equal("parse", "score", "render", "train", "feedback", "fetch", "digest", "deliver");
        parseOnly.Subcommands.Select(c => c.Name).Should().Equal("parse");
        unknown.Subcommands.Should().HaveCount(8);
        option.Subcommands.Should().HaveCount(8);
    }

    [Fact]
    public async Task RunAsync_CommandHelp_DescribesTheCommand()
    {
        var run = await CliRunner.RunAsync(["parse", "--help"]);

        run.ExitCode.Should().Be(ExitCodes.Success);
        run.Stdout.Should().Contain(" parse [<answer>] [options]").And.Contain("--ids");
    }
}
