using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using ArxivRank.Pipeline;
using ArxivRank.Ranking;
using ArxivRank.Sqlite;

namespace ArxivRank.Cli.Commands;

/// <summary>
/// <c>arxivrank train [--labels FILE…] [--out MODEL] [--store PATH]</c>: learns the reader's taste from labeled days (papers
/// with the LLM's verdicts) or, without <c>--labels</c>, from the store's judged papers and the reader's feedback, and
/// writes the learned ranker model (JSON): to MODEL, else (from files) to stdout, else (from the store) into the store.
/// A short summary goes to stderr.
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
            Description = "Where to write the model (JSON). Without it: into the store when training from the store, else to stdout.",
            HelpName = "MODEL",
        };
        var store = FeedbackCommand.StoreOption();
        var command = new Command("train", "Train the learned ranker (tf-idf + logistic regression) from labeled days or the store, and write the model.")
        {
            labels,
            output,
            store,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            context, parseResult.GetValue(labels) ?? [], parseResult.GetValue(output), parseResult.GetValue(store), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, string[] files, string? output, string? storePath, CancellationToken cancellationToken)
    {
        if (files.Length == 0)
        {
            return await TrainFromStoreAsync(context, output, storePath, cancellationToken);
        }

        var error = context.Error;
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

        var ranker = await TrainAsync(context, examples, cancellationToken);
        return ranker is null ? ExitCodes.Failure : await WriteAsync(context, ranker, output, cancellationToken);
    }

    private static async Task<int> TrainFromStoreAsync(CliContext context, string? output, string? storePath, CancellationToken cancellationToken)
    {
        var error = context.Error;
        try
        {
            using var store = new SqliteArxivRankStore(new SqliteStoreOptions { Path = storePath });
            var labels = await TrainingLabels.FromStoreAsync(store, cancellationToken: cancellationToken);
            await error.WriteLineAsync(Invariant(
                $"train: read {labels.Examples.Count - labels.FeedbackUsed} judged papers ({labels.Positives} positive) from {labels.Days} day(s) and {labels.FeedbackUsed} feedback verdict(s) from {store.Path}"));
            if (labels.FeedbackWithoutPaper > 0)
            {
                await error.WriteLineAsync(Invariant($"train: {labels.FeedbackWithoutPaper} feedback verdict(s) name papers the store has not judged (no text to learn from); not used"));
            }

            if (labels.Examples.Count == 0)
            {
                await error.WriteLineAsync("train: the store has no judged papers yet; run a few digests first, or give labeled-day files with --labels FILE….");
                return ExitCodes.Failure;
            }

            var ranker = await TrainAsync(context, labels.Examples, cancellationToken);
            if (ranker is null)
            {
                return ExitCodes.Failure;
            }

            if (output is not null)
            {
                return await WriteAsync(context, ranker, output, cancellationToken);
            }

            await store.SaveModelAsync(ranker, cancellationToken);
            await error.WriteLineAsync($"train: saved the model in {store.Path}");
            return ExitCodes.Success;
        }
        catch (DigestStoreException ex)
        {
            await error.WriteLineAsync($"train: {ex.Message}");
            return ExitCodes.Failure;
        }
    }

    private static async Task<LearnedRanker?> TrainAsync(CliContext context, IReadOnlyList<LabeledExample> examples, CancellationToken cancellationToken)
    {
        var error = context.Error;
        LearnedRanker ranker;
        var stopwatch = Stopwatch.StartNew();
        try
        {
            ranker = LearnedRanker.Train(examples, cancellationToken: cancellationToken);
        }
        catch (LearnedRankerException ex)
        {
            await error.WriteLineAsync($"train: {ex.Message}");
            return null;
        }

        stopwatch.Stop();
        var training = ranker.Training;
        await error.WriteLineAsync(Invariant(
            $"train: vocabulary {ranker.VocabularySize} terms; trained in {stopwatch.Elapsed.TotalSeconds:0.00} s ({training.Iterations} iterations, {(training.Converged ? "converged" : "not converged")})"));
        return ranker;
    }

    private static async Task<int> WriteAsync(CliContext context, LearnedRanker ranker, string? output, CancellationToken cancellationToken)
    {
        var error = context.Error;

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
