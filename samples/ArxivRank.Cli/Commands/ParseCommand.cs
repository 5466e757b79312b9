using System.CommandLine;

namespace ArxivRank.Cli.Commands;

/// <summary><c>arxivrank parse [--ids FILE] [FILE|-]</c>: a raw model answer in, one clean score per line out.</summary>
internal static class ParseCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("parse", "Parse a model's raw JSONL answer into one JSON score per line (stdout) and one diagnostic per line (stderr).");
        command.SetAction((_, _) => context.Error.WriteLineAsync("parse: not implemented yet").ContinueWith(_ => ExitCodes.Failure, TaskScheduler.Default));
        return command;
    }
}
