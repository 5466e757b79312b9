using System.Text;
using ArxivRank.Benchmarks.Parsing;

// `-- --write-answer FILE MB` writes the generated model answer (the parse benchmarks' input) for whole-process runs.
if (args is ["--write-answer", string path, string megabytes])
{
    await File.WriteAllTextAsync(path, ScoreParserBenchmarks.Generate(int.Parse(megabytes, System.Globalization.CultureInfo.InvariantCulture) * 1024 * 1024).Text, new UTF8Encoding(false));
    return;
}

BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

public partial class Program { }
