using System.CommandLine;
using System.CommandLine.Parsing;
using ArxivRank.Cli.Daily;
using ArxivRank.Pipeline;
using ArxivRank.Profiles;

namespace ArxivRank.Cli.Commands;

/// <summary>
/// <c>arxivrank digest</c>: today's ranked digest (fetch → dedupe → seen → score → select → render → store) as Markdown,
/// HTML and JSON in <c>./digests/</c>, plus the month pages and the archive index. Options and exit codes: docs/cli.md.
/// </summary>
internal static class DigestCommand
{
    internal const string DefaultChatModel = ReaderProfile.DefaultModel;
    internal const string DefaultKeyVariable = ReaderProfile.DefaultApiKeyEnv;
    internal const string StoreVariable = "ARXIVRANK_STORE";

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
        var pacing = new Option<int?>("--arxiv-pacing-ms") { Description = "Least milliseconds between two arXiv requests (default 3000, arXiv's rule; lower it only for a mirror or a local server).", HelpName = "MS" };
        var prescreen = new Option<double?>("--prescreen") { Description = "llm: send only this share of the day (e.g. 0.35) to the model, ranked by the learned model in the store; the rest is scored by that model (docs/learned-ranker.md).", HelpName = "SHARE" };
        var noAutoTrain = new Option<bool>("--no-auto-train") { Description = "Do not retrain the learned ranker from the store after an LLM digest." };

        var command = new Command("digest", "Write today's ranked digest (Markdown, HTML, JSON) into ./digests/, with the month pages and the archive index.");
        foreach (var option in new Option[] { config, categories, criteria, scorer, ranker, model, llmBaseUrl, keyVariable, source, baseUrl, date, force, output, store, formats, topK, batchSize, concurrency, maxCost, prescreen, noAutoTrain, dryRun, noNewExitCode, pacing })
        {
            command.Options.Add(option);
        }

        // Every reader flag overrides one profile key (docs/cli.md); --config, --date, --force and --dry-run are per run.
        ReaderProfile Flags(SymbolResult r) => new()
        {
            Categories = Split(r.GetValue(categories)),
            Criteria = Full(r.GetValue(criteria)),
            Scorer = r.GetValue(scorer),
            Ranker = Full(r.GetValue(ranker)),
            Model = r.GetValue(model),
            LlmBaseUrl = r.GetValue(llmBaseUrl),
            ApiKeyEnv = r.GetValue(keyVariable),
            Source = r.GetValue(source),
            BaseUrl = r.GetValue(baseUrl),
            Out = r.GetValue(output),
            Store = r.GetValue(store),
            Formats = Split(r.GetValue(formats)),
            TopK = r.GetValue(topK),
            BatchSize = r.GetValue(batchSize),
            Concurrency = r.GetValue(concurrency),
            MaxCost = r.GetValue(maxCost),
            Prescreen = r.GetValue(prescreen),
            AutoTrain = r.GetValue(noAutoTrain) ? false : null,
            NoNewExitCode = r.GetValue(noNewExitCode),
            Arxiv = r.GetValue(pacing) is { } ms ? new ReaderArxivOptions { RequestIntervalMs = ms } : null,
        };
        var flagOf = new Dictionary<string, Option>(StringComparer.Ordinal)
        {
            ["categories"] = categories, ["criteria"] = criteria, ["scorer"] = scorer, ["ranker"] = ranker, ["model"] = model, ["llmBaseUrl"] = llmBaseUrl,
            ["apiKeyEnv"] = keyVariable, ["source"] = source, ["baseUrl"] = baseUrl, ["out"] = output, ["store"] = store, ["formats"] = formats, ["topK"] = topK,
            ["batchSize"] = batchSize, ["concurrency"] = concurrency, ["maxCost"] = maxCost, ["prescreen"] = prescreen, ["noNewExitCode"] = noNewExitCode, ["arxiv.requestIntervalMs"] = pacing,
        };

        // The flags' own values are checked by the profile's validator, as command-line errors that name the flag.
        command.Validators.Add(result =>
        {
            ReaderProfile given;
            try
            {
                given = Flags(result);
            }
            catch (InvalidOperationException)
            {
                return; // a value that is not a number: System.CommandLine reports it itself
            }

            var check = new ReaderProfileValidator().Validate(null, given);
            foreach (string failure in check.Failures ?? [])
            {
                string key = failure.Split(' ', 2)[0];
                if (flagOf.TryGetValue(key, out var flag) && !failure.Contains(" needs ", StringComparison.Ordinal))
                {
                    result.AddError(flag.Name + failure[key.Length..]);
                }
            }
        });

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var flags = Flags(parseResult.CommandResult);
            var run = new DigestRunRequest { Force = parseResult.GetValue(force), DryRun = parseResult.GetValue(dryRun) };
            return await new DigestRun(context).RunAsync(flags, parseResult.GetValue(config), parseResult.GetValue(date), run, cancellationToken);
        });
        return command;
    }

    private static string? Full(string? path) => path is null ? null : Path.GetFullPath(path);

    private static List<string>? Split(string? text)
        => text is null ? null : [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
