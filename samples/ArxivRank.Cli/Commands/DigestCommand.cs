using System.CommandLine;
using System.Globalization;
using ArxivRank.Cli.Daily;
using ArxivRank.Cli.Snapshot;
using ArxivRank.OpenAI;
using ArxivRank.Pipeline;
using ArxivRank.Ranking;
using ArxivRank.Rendering;
using ArxivRank.Scoring;
using ArxivRank.Sources;
using ArxivRank.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace ArxivRank.Cli.Commands;

/// <summary>
/// <c>arxivrank digest</c>: today's ranked digest (fetch → dedupe → seen → score → select → render → store) as Markdown,
/// HTML and JSON in <c>./digests/</c>, plus the month pages and the archive index. Options and exit codes: docs/cli.md.
/// </summary>
internal static class DigestCommand
{
    internal const string DefaultChatModel = "gpt-4o-mini";
    internal const string DefaultKeyVariable = "OPENAI_API_KEY";
    internal const string StoreVariable = "ARXIVRANK_STORE";
    private static readonly Uri OpenAIEndpoint = new("https://api.openai.com/v1");

    public static Command Create(CliContext context)
    {
        var config = new Option<string?>("--config") { Description = "A JSON file with any of these settings (docs/cli.md); command-line flags win.", HelpName = "FILE" };
        var categories = new Option<string?>("--categories") { Description = "Comma-separated categories (default cs.LG).", HelpName = "LIST" };
        var criteria = new Option<string?>("--criteria") { Description = "Your research interests (docs/criteria.md); default: the built-in example.", HelpName = "FILE" };
        var scorer = new Option<string?>("--scorer") { Description = "llm, lexical (offline) or learned (--ranker MODEL). Default: llm when an API key or --llm-base-url is set, else lexical." };
        scorer.AcceptOnlyFromAmong("llm", "lexical", "learned");
        var ranker = new Option<string?>("--ranker") { Description = "The learned ranker model file (arxivrank train) for --scorer learned.", HelpName = "MODEL" };
        var model = new Option<string?>("--model") { Description = $"The chat model (default {DefaultChatModel}).", HelpName = "M" };
        var llmBaseUrl = new Option<string?>("--llm-base-url") { Description = "An OpenAI-compatible endpoint (Ollama, vLLM, Azure…; docs/providers.md). A local server needs no key.", HelpName = "URL" };
        var keyVariable = new Option<string?>("--api-key-env") { Description = $"The environment variable holding the API key (default {DefaultKeyVariable}). The key is never printed.", HelpName = "NAME" };
        var source = new Option<string?>("--source") { Description = "rss (today's announcement, default), api (with --date: rebuild that day) or snapshot (a built-in real day, no network)." };
        source.AcceptOnlyFromAmong("rss", "api", "snapshot");
        var baseUrl = new Option<string?>("--base-url") { Description = "Send arXiv requests to this host instead (a mirror, a proxy, a test server).", HelpName = "URL" };
        var date = new Option<string?>("--date") { Description = "The announcement day (yyyy-MM-dd) to rebuild; needs --source api.", HelpName = "DAY" };
        var force = new Option<bool>("--force") { Description = "Regenerate a digest for an announcement already processed (from cached scores: no new tokens)." };
        var output = new Option<string?>("--out") { Description = "The folder the digest files go to (default ./digests).", HelpName = "DIR" };
        var store = new Option<string?>("--store") { Description = $"The store file (history and score cache; default ${StoreVariable}, else {{local app data}}/arxivrank/arxivrank.db).", HelpName = "PATH" };
        var formats = new Option<string?>("--format") { Description = "Comma-separated formats: markdown, html, json, slack (default markdown,html,json).", HelpName = "LIST" };
        var topK = new Option<int?>("--top-k") { Description = "At most this many papers in the digest (default: all above the cut-offs).", HelpName = "N" };
        var batchSize = new Option<int?>("--batch-size") { Description = "llm: papers per request (default 20).", HelpName = "N" };
        var concurrency = new Option<int?>("--concurrency") { Description = "llm: requests in flight at once (default 4).", HelpName = "N" };
        var maxCost = new Option<decimal?>("--max-cost") { Description = "llm: estimate the cost first (docs/cli.md) and stop, calling no model, if it exceeds this many USD.", HelpName = "USD" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Fetch and estimate tokens and cost; call no model and write nothing." };
        var noNewExitCode = new Option<int?>("--no-new-exit-code") { Description = "The exit code for 'no new announcement' (default 3; 0 suits cron).", HelpName = "CODE" };
        var wait = new Option<int?>("--wait") { Description = "Seconds to wait for another digest run that holds the store (default 0: exit at once with code 6).", HelpName = "SECONDS" };
        wait.Require<int>(v => v is not (< 0 or > 86_400), "--wait must be 0 to 86400 seconds.");
        var pacing = new Option<int?>("--arxiv-pacing-ms") { Description = "Least milliseconds between two arXiv requests (default 3000, arXiv's rule; lower it only for a mirror or a local server).", HelpName = "MS" };
        batchSize.Require<int>(v => v is not (< 1), "--batch-size must be 1 or more.");
        concurrency.Require<int>(v => v is not (< 1 or > 64), "--concurrency must be 1 to 64.");
        topK.Require<int>(v => v is not (< 1), "--top-k must be 1 or more.");
        var prescreen = new Option<double?>("--prescreen") { Description = "llm: send only this share of the day (e.g. 0.35) to the model, ranked by the learned model in the store; the rest is scored by that model (docs/learned-ranker.md).", HelpName = "SHARE" };
        prescreen.Require<double>(v => v is not (<= 0 or > 1), "--prescreen must be a share above 0 and at most 1, such as 0.35.");
        var noAutoTrain = new Option<bool>("--no-auto-train") { Description = "Do not retrain the learned ranker from the store after an LLM digest." };
        maxCost.Require<decimal>(v => v is not (< 0), "--max-cost must not be negative.");
        noNewExitCode.Require<int>(v => v is not (< 0 or > 255), "--no-new-exit-code must be 0 to 255.");
        pacing.Require<int>(v => v is not (< 0 or > 3_600_000), "--arxiv-pacing-ms must be 0 to 3600000.");

        var command = new Command("digest", "Write today's ranked digest (Markdown, HTML, JSON) into ./digests/, with the month pages and the archive index.");
        foreach (var option in new Option[] { config, categories, criteria, scorer, ranker, model, llmBaseUrl, keyVariable, source, baseUrl, date, force, output, store, formats, topK, batchSize, concurrency, maxCost, prescreen, noAutoTrain, dryRun, noNewExitCode, wait, pacing })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            DigestSettings settings;
            try
            {
                var file = parseResult.GetValue(config) is { } configPath ? DigestConfig.Load(configPath) : new DigestConfig();
                settings = DigestSettings.Merge(
                    file,
                    new DigestConfig
                    {
                        Categories = Split(parseResult.GetValue(categories)),
                        Criteria = parseResult.GetValue(criteria),
                        Scorer = parseResult.GetValue(scorer),
                        Ranker = parseResult.GetValue(ranker),
                        Model = parseResult.GetValue(model),
                        LlmBaseUrl = parseResult.GetValue(llmBaseUrl),
                        ApiKeyEnv = parseResult.GetValue(keyVariable),
                        Source = parseResult.GetValue(source),
                        BaseUrl = parseResult.GetValue(baseUrl),
                        Out = parseResult.GetValue(output),
                        Store = parseResult.GetValue(store),
                        Formats = Split(parseResult.GetValue(formats)),
                        TopK = parseResult.GetValue(topK),
                        BatchSize = parseResult.GetValue(batchSize),
                        Concurrency = parseResult.GetValue(concurrency),
                        MaxCost = parseResult.GetValue(maxCost),
                        Prescreen = parseResult.GetValue(prescreen),
                        AutoTrain = parseResult.GetValue(noAutoTrain) ? false : null,
                        NoNewExitCode = parseResult.GetValue(noNewExitCode),
                        Wait = parseResult.GetValue(wait),
                        Arxiv = new ArxivTuning { RequestIntervalMs = parseResult.GetValue(pacing) },
                    },
                    parseResult.GetValue(date),
                    parseResult.GetValue(force),
                    parseResult.GetValue(dryRun),
                    context.GetEnvironmentVariable);
            }
            catch (DigestConfigException ex)
            {
                await context.Error.WriteLineAsync("digest: " + ex.Message);
                return ExitCodes.Usage;
            }

            return await new DigestRun(context, settings).RunAsync(cancellationToken);
        });
        return command;
    }

    private static List<string>? Split(string? text)
        => text is null ? null : [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
