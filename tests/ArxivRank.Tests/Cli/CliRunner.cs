using ArxivRank.Cli;

namespace ArxivRank.Tests.Cli;

/// <summary>Runs the <c>arxivrank</c> command line in-process with captured output.</summary>
internal static class CliRunner
{
    public static async Task<CliRun> RunAsync(string[] args, string? stdin = null, IReadOnlyDictionary<string, string?>? environment = null, CancellationToken cancellationToken = default)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var context = new CliContext
        {
            Out = stdout,
            Error = stderr,
            OpenStdin = () => new StringReader(stdin ?? string.Empty),
            GetEnvironmentVariable = name => environment is not null && environment.TryGetValue(name, out var value) ? value : null,
            ListEnvironmentVariables = () => environment ?? new Dictionary<string, string?>(),
        };
        int exitCode = await CliApp.RunAsync(args, context, cancellationToken);
        return new CliRun(exitCode, stdout.ToString(), stderr.ToString());
    }
}

internal sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    public IReadOnlyList<string> StdoutLines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public IReadOnlyList<string> StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
