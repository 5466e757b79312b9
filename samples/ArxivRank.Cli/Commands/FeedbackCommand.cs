using System.CommandLine;
using System.Globalization;
using ArxivRank.Pipeline;
using ArxivRank.Ranking;
using ArxivRank.Sqlite;

namespace ArxivRank.Cli.Commands;

/// <summary>
/// <c>arxivrank feedback --like ID[,ID] --dislike ID[,ID] [--store PATH]</c>: records the reader's likes and dislikes in
/// the store; the learned ranker weighs them above the LLM's judgments the next time it is trained.
/// </summary>
internal static class FeedbackCommand
{
    public static Command Create(CliContext context)
    {
        var like = new Option<string[]>("--like")
        {
            Description = "Papers you want more of: arXiv ids or URLs, separated by commas or spaces.",
            HelpName = "ID",
            Arity = ArgumentArity.ZeroOrMore,
            AllowMultipleArgumentsPerToken = true,
        };
        var dislike = new Option<string[]>("--dislike")
        {
            Description = "Papers you want fewer of: arXiv ids or URLs, separated by commas or spaces.",
            HelpName = "ID",
            Arity = ArgumentArity.ZeroOrMore,
            AllowMultipleArgumentsPerToken = true,
        };
        var store = StoreOption();
        var command = new Command("feedback", "Record papers you liked or disliked; the learned ranker learns from them (they outweigh the LLM's judgments).")
        {
            like,
            dislike,
            store,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            context,
            parseResult.GetValue(like) ?? [],
            parseResult.GetValue(dislike) ?? [],
            parseResult.GetValue(store),
            cancellationToken));
        return command;
    }

    /// <summary>The <c>--store PATH</c> option shared by the learned-ranker commands.</summary>
    internal static Option<string?> StoreOption() => new("--store")
    {
        Description = "The ArxivRank store (SQLite file); default: arxivrank/arxivrank.db in your local data folder.",
        HelpName = "PATH",
    };

    private static async Task<int> RunAsync(CliContext context, string[] likes, string[] dislikes, string? storePath, CancellationToken cancellationToken)
    {
        var error = context.Error;
        var verdicts = new List<(ArxivId Id, Feedback Feedback)>();
        var bad = new List<string>();
        foreach (var (values, feedback) in new[] { (likes, Feedback.Like), (dislikes, Feedback.Dislike) })
        {
            foreach (string token in values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
            {
                if (ArxivId.TryParse(token, out var id))
                {
                    verdicts.Add((id.WithoutVersion(), feedback));
                }
                else
                {
                    bad.Add(token);
                }
            }
        }

        if (bad.Count > 0)
        {
            await error.WriteLineAsync($"feedback: not an arXiv id: {string.Join(", ", bad.Select(b => $"'{b}'"))}; nothing was recorded.");
            return ExitCodes.Usage;
        }

        if (verdicts.Count == 0)
        {
            await error.WriteLineAsync("feedback: give papers with --like ID[,ID] and/or --dislike ID[,ID].");
            return ExitCodes.Usage;
        }

        var both = verdicts.GroupBy(v => v.Id).Where(g => g.Select(v => v.Feedback).Distinct().Count() > 1).Select(g => g.Key.ToString()).ToList();
        if (both.Count > 0)
        {
            await error.WriteLineAsync($"feedback: liked and disliked at once: {string.Join(", ", both)}; nothing was recorded.");
            return ExitCodes.Usage;
        }

        try
        {
            using var store = new SqliteArxivRankStore(new SqliteStoreOptions { Path = storePath });
            foreach (var (id, feedback) in verdicts.Distinct())
            {
                await store.RecordFeedbackAsync(id, feedback, cancellationToken);
            }

            int liked = verdicts.Distinct().Count(v => v.Feedback == Feedback.Like);
            int disliked = verdicts.Distinct().Count(v => v.Feedback == Feedback.Dislike);
            await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"feedback: recorded {liked} like(s) and {disliked} dislike(s) in {store.Path}"));
            return ExitCodes.Success;
        }
        catch (DigestStoreException ex)
        {
            await error.WriteLineAsync($"feedback: {ex.Message}");
            return ExitCodes.Failure;
        }
    }
}
