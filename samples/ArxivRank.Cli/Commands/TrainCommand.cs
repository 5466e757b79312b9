using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using ArxivRank.Ranking;

namespace ArxivRank.Cli.Commands;

/// <summary>
/// <c>arxivrank train --labels FILE… [--out MODEL]</c>: learns the reader's taste from labeled days (papers with the LLM's
/// verdicts) and writes the learned ranker model (JSON). A short summary goes to stderr.
/// </summary>
internal static class TrainCommand
{
    public static Command Create(CliContext context)
    {
        var labels = new Option<string[]>("--labels")
        {
            Description = "Labeled-day files (JSON lines: id, title, abstract, authors, categories, selected, relevance, novelty), plain or gzip; '-' reads stdin.",
            HelpName = "FILE",
            Arity = ArgumentArity.ZeroOrMore,
            AllowMultipleArgumentsPerToken = true,
        };
        var output = new Option<string?>("--out")
        {
            Description = "Where to write the model (JSON). Without it the model goes to stdout.",
            HelpName = "MODEL",
        };
        var command = new Command("train", "Train the learned ranker (tf-idf + logistic regression) from labeled days and write the model.")
        {
            labels,
            output,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(context, parseResult.GetValue(labels) ?? [], parseResult.GetValue(output), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, string[] files, string? output, CancellationToken cancellationToken)
    {
        var error = context.Error;
        if (files.Length == 0)
        {
            await error.WriteLineAsync("train: give one or more labeled-day files with --labels FILE… (training from the store is not available yet).");
            return ExitCodes.Usage;
        }

        var examples = new List<LabeledExample>();
        int skipped = 0;
        foreach (string file in files)
        {
            try
            {
                var lines = file == "-"
                    ? LabeledDayReader.ReadAsync(context.OpenStdin(), cancellationToken: cancellationToken)
                    : LabeledDayReader.ReadFileAsync(file, cancellationToken);
                await foreach (var line in lines)
                {
                    if (line.Example is { } example)
                    {
                        examples.Add(example);
                    }
                    else
                    {
                        skipped++;
                        await error.WriteLineAsync($"train: {Display(file)}:{line.LineNumber}: skipped: {line.Error}");
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                await error.WriteLineAsync($"train: cannot read {Display(file)}: {ex.Message}");
                return ExitCodes.Failure;
            }
        }

        int positives = examples.Count(e => e.Positive);
        await error.WriteLineAsync(Invariant($"train: read {examples.Count} papers ({positives} selected) from {files.Length} file(s); {skipped} line(s) skipped"));

        LearnedRanker ranker;
        var stopwatch = Stopwatch.StartNew();
        try
        {
            ranker = LearnedRanker.Train(examples, cancellationToken: cancellationToken);
        }
        catch (LearnedRankerException ex)
        {
            await error.WriteLineAsync($"train: {ex.Message}");
            return ExitCodes.Failure;
        }

        stopwatch.Stop();
        var training = ranker.Training;
        await error.WriteLineAsync(Invariant(
            $"train: vocabulary {ranker.VocabularySize} terms; trained in {stopwatch.Elapsed.TotalSeconds:0.00} s ({training.Iterations} iterations, {(training.Converged ? "converged" : "not converged")})"));

        using var model = new MemoryStream();
        await ranker.SaveAsync(model, cancellationToken);
        if (output is null)
        {
            await context.Out.WriteLineAsync(Encoding.UTF8.GetString(model.GetBuffer(), 0, (int)model.Length));
            await context.Out.FlushAsync(cancellationToken);
            return ExitCodes.Success;
        }

        string temporary = output + ".tmp";
        try
        {
            await File.WriteAllBytesAsync(temporary, model.ToArray(), cancellationToken);
            File.Move(temporary, output, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            await error.WriteLineAsync($"train: cannot write {output}: {ex.Message}");
            return ExitCodes.Failure;
        }

        await error.WriteLineAsync(Invariant($"train: wrote {output} ({model.Length / 1024.0:0} KB)"));
        return ExitCodes.Success;
    }

    private static string Display(string file) => file == "-" ? "stdin" : file;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: the message about the failed write matters more.
        }
    }
}
