using System.CommandLine;
using ArxivRank.Cli.Commands;

namespace ArxivRank.Cli;

/// <summary>The <c>arxivrank</c> command line: builds the command tree and runs it against a <see cref="CliContext"/>.</summary>
internal static class CliApp
{
    /// <summary>The commands, by name, in the order <c>--help</c> lists them; each lives in Commands/&lt;Name&gt;Command.cs.</summary>
    private static readonly (string Name, Func<CliContext, Command> Create)[] Commands =
    [
        ("parse", ParseCommand.Create),
        ("score", ScoreCommand.Create),
        ("render", RenderCommand.Create),
        ("train", TrainCommand.Create),
        ("feedback", FeedbackCommand.Create),
        ("fetch", FetchCommand.Create),
        ("digest", DigestCommand.Create),
        ("deliver", DeliverCommand.Create),
    ];

    /// <summary>
    /// Builds the command tree. When <paramref name="args"/> name a command, only that command is built: a sub-command's
    /// parsing and help never involve its siblings, and building (and JIT-compiling) all eight costs a short command such as
    /// <c>parse</c> a measurable share of its start-up (docs/performance.md).
    /// </summary>
    public static RootCommand BuildRoot(CliContext context, IReadOnlyList<string>? args = null)
    {
        var root = new RootCommand("arxivrank: your personal, ranked daily arXiv digest, and each of its steps on its own.");
        string? named = args is [var first, ..] && Array.Exists(Commands, c => c.Name == first) ? first : null;
        foreach (var (name, create) in Commands)
        {
            if (named is null || name == named)
            {
                root.Subcommands.Add(create(context));
            }
        }

        return root;
    }

    /// <summary>Runs the command line and returns the process exit code (see <see cref="ExitCodes"/>).</summary>
    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var root = BuildRoot(context, args);
        var invocation = new InvocationConfiguration { Output = context.Out, Error = context.Error };
        try
        {
            var parseResult = root.Parse(args);
            if (parseResult.Errors.Count > 0)
            {
                // System.CommandLine would print these and exit 1; a wrong command line is a usage error (exit 2).
                foreach (var error in parseResult.Errors)
                {
                    await context.Error.WriteLineAsync($"arxivrank: {error.Message}");
                }

                await context.Error.WriteLineAsync("Run 'arxivrank --help' (or 'arxivrank <command> --help') for the usage.");
                return ExitCodes.Usage;
            }

            return await parseResult.InvokeAsync(invocation, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await context.Error.WriteLineAsync("arxivrank: canceled.");
            return ExitCodes.Canceled;
        }
    }
}

/// <summary>Where a command reads and writes, so tests can run the CLI in-process.</summary>
internal sealed class CliContext
{
    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    public required Func<TextReader> OpenStdin { get; init; }

    /// <summary>Gets the raw standard input, for commands that read bytes (<c>parse</c>); <see langword="null"/> to read <see cref="OpenStdin"/>.</summary>
    public Func<Stream>? OpenStdinStream { get; init; }

    /// <summary>Gets the raw standard output, for commands that write many lines (<c>parse</c>) through their own buffer; <see langword="null"/> to write to <see cref="Out"/>.</summary>
    public Func<Stream>? OpenStdoutStream { get; init; }

    /// <summary>Reads an environment variable (tests substitute their own).</summary>
    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>Lists the environment variables (the profile's environment layer; tests substitute their own).</summary>
    public Func<IEnumerable<KeyValuePair<string, string?>>> ListEnvironmentVariables { get; init; } = static ()
        => Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>().Select(e => KeyValuePair.Create((string)e.Key, (string?)e.Value));

    /// <summary>Gets a value indicating whether stderr is a terminal (progress bars) rather than redirected (plain lines).</summary>
    public bool IsInteractive { get; init; }

    public static CliContext FromConsole() => new()
    {
        Out = Console.Out,
        Error = Console.Error,
        OpenStdin = () => Console.In,
        OpenStdinStream = Console.OpenStandardInput,
        OpenStdoutStream = Console.OpenStandardOutput,
        IsInteractive = !Console.IsErrorRedirected,
    };
}

/// <summary>The process exit codes of <c>arxivrank</c>. Documented in docs/cli.md.</summary>
internal static class ExitCodes
{
    /// <summary>The command did its work (a parse with diagnostics still counts: the input was read).</summary>
    public const int Success = 0;

    /// <summary>The work failed: unreadable input, an unreachable service, a run where too many papers failed.</summary>
    public const int Failure = 1;

    /// <summary>The command line was wrong: an unknown option, a bad or missing value (see docs/cli.md).</summary>
    public const int Usage = 2;

    /// <summary>No new announcement today (weekend, holiday, or already processed).</summary>
    public const int NoNewAnnouncement = 3;

    /// <summary>The digest was written (files, store) but a delivery (Slack, email) failed; the next run retries it.</summary>
    public const int DeliveryFailed = 4;

    /// <summary>The Batch API has not finished within --max-wait: nothing rendered, the day not marked processed; the next run collects the batch.</summary>
    public const int BatchPending = 5;

    /// <summary>Another digest run holds the store (its run lease); nothing was scored or written.</summary>
    public const int StoreBusy = 6;

    /// <summary>Canceled (Ctrl+C).</summary>
    public const int Canceled = 130;
}
