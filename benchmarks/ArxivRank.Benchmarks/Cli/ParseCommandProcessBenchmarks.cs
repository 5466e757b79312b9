using System.Diagnostics;
using System.Globalization;
using System.Text;
using ArxivRank.Benchmarks.Parsing;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace ArxivRank.Benchmarks.Cli;

/// <summary>
/// <c>arxivrank parse</c> as a user runs it: a new process from start to exit on a 60 MB model answer (~237,000 records,
/// the parser benchmarks' generator), stdout and stderr drained through pipes. The baseline is the same process on an
/// empty answer: start-up and exit alone. Each published CLI is a parameter: <c>ARXIVRANK_CLI</c> (default: a
/// <c>dotnet publish -c Release samples/ArxivRank.Cli -o artifacts/cli</c> in the repository) and, when set,
/// <c>ARXIVRANK_CLI_COMPARE</c> (another build, e.g. the previous release or a ReadyToRun/AOT publish). See docs/performance.md.
/// </summary>
[Config(typeof(ProcessConfig))]
public class ParseCommandProcessBenchmarks
{
    private const int AnswerMegabytes = 60;

    private static readonly Lazy<string> AnswerFile = new(() =>
    {
        string path = Path.Combine(Path.GetTempPath(), $"arxivrank-answer-{AnswerMegabytes}mb.txt");
        if (!File.Exists(path))
        {
            File.WriteAllText(path, ScoreParserBenchmarks.Generate(AnswerMegabytes * 1024 * 1024).Text, new UTF8Encoding(false));
        }

        return path;
    });

    private string _emptyFile = string.Empty;

    /// <summary>Gets or sets the CLI build under test: its name and the path of its apphost.</summary>
    [ParamsSource(nameof(Builds))]
    public CliBuild Cli { get; set; } = null!;

    public static IEnumerable<CliBuild> Builds()
    {
        yield return new CliBuild("current", Environment.GetEnvironmentVariable("ARXIVRANK_CLI") ?? Path.Combine(RepositoryRoot(), "artifacts", "cli", "ArxivRank.Cli"));
        if (Environment.GetEnvironmentVariable("ARXIVRANK_CLI_COMPARE") is { Length: > 0 } other)
        {
            yield return new CliBuild(Environment.GetEnvironmentVariable("ARXIVRANK_CLI_COMPARE_NAME") ?? "compare", other);
        }
    }

    [GlobalSetup]
    public void Setup()
    {
        if (!File.Exists(Cli.Path))
        {
            throw new InvalidOperationException($"No CLI at {Cli.Path}: run `dotnet publish -c Release samples/ArxivRank.Cli -o artifacts/cli` or set ARXIVRANK_CLI.");
        }

        _emptyFile = Path.GetTempFileName();
        long bytes = new FileInfo(AnswerFile.Value).Length;
        long lines = Run(AnswerFile.Value);
        Console.WriteLine($"// {Cli}: answer {bytes:N0} bytes -> {lines:N0} score lines");
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_emptyFile);

    /// <summary>Start-up and exit: <c>arxivrank parse</c> of an empty answer.</summary>
    [Benchmark(Baseline = true)]
    public long StartAndExit() => Run(_emptyFile);

    /// <summary><c>arxivrank parse answer-60mb.txt</c>: MB/s = 60 / the mean in seconds.</summary>
    [Benchmark]
    public long Parse60MB() => Run(AnswerFile.Value);

    private long Run(string answer)
    {
        var start = new ProcessStartInfo(Cli.Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("parse");
        start.ArgumentList.Add(answer);
        using var process = Process.Start(start)!;
        var errors = process.StandardError.BaseStream.CopyToAsync(Stream.Null);
        long lines = 0;
        var buffer = new byte[64 * 1024];
        int read;
        var stdout = process.StandardOutput.BaseStream;
        while ((read = stdout.Read(buffer)) > 0)
        {
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
        }

        errors.GetAwaiter().GetResult();
        process.WaitForExit();
        return process.ExitCode == 0 ? lines : throw new InvalidOperationException($"{Cli} exited with {process.ExitCode.ToString(CultureInfo.InvariantCulture)}");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ArxivRank.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }

    /// <summary>Each invocation is a whole process of a second or more: one warm-up and five measured runs, in-process (the harness only launches the CLI).</summary>
    private sealed class ProcessConfig : ManualConfig
    {
        public ProcessConfig() => AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(5).WithToolchain(InProcessEmitToolchain.Instance));
    }

    /// <summary>A published CLI: a short name for the table, and the apphost's path.</summary>
    public sealed record CliBuild(string Name, string Path)
    {
        public override string ToString() => Name;
    }
}
