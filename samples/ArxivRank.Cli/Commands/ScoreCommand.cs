using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ArxivRank.OpenAI;
using ArxivRank.Pipeline;
using ArxivRank.Ranking;
using ArxivRank.Sqlite;
using ArxivRank.Scoring;

namespace ArxivRank.Cli.Commands;

/// <summary>
/// <c>arxivrank score --papers FILE [--criteria FILE] [--scorer llm|lexical|embedding|learned] [--model M] [--llm-base-url URL]
/// [--ranker MODEL] [--store PATH] [--batch-size N] [--concurrency N] [--api-key-env NAME] [--no-title-screen] [--structured-output]</c>:
/// papers (as <c>fetch</c> writes them) in, one JSON score per line out, in input order.
/// </summary>
internal static class ScoreCommand
{
    private const string DefaultChatModel = "gpt-4o-mini";
    private const string DefaultEmbeddingModel = "text-embedding-3-small";
    private const string DefaultKeyVariable = "OPENAI_API_KEY";

    public static Command Create(CliContext context)
    {
        var papers = new Option<string>("--papers") { Description = "The papers as JSON lines (what 'arxivrank fetch' writes); '-' reads stdin.", Required = true, HelpName = "FILE" };
        var criteria = new Option<string?>("--criteria") { Description = "The reader's criteria (docs/criteria.md). Required by llm and embedding; lexical uses the built-in example when omitted.", HelpName = "FILE" };
        var scorer = new Option<string>("--scorer") { Description = "Which scorer: llm (any OpenAI-compatible model), lexical (offline BM25, no key), embedding (an embedding model), learned (the learned ranker: --ranker MODEL or the store's model).", DefaultValueFactory = _ => "lexical" };
        scorer.AcceptOnlyFromAmong("llm", "lexical", "embedding", "learned");
        var ranker = new Option<string?>("--ranker") { Description = "learned: the model file ('arxivrank train --out'); default: the model kept in the store.", HelpName = "MODEL" };
        var store = FeedbackCommand.StoreOption();
        var model = new Option<string?>("--model") { Description = $"The model (default {DefaultChatModel} for llm, {DefaultEmbeddingModel} for embedding).", HelpName = "M" };
        var baseUrl = new Option<string?>("--llm-base-url") { Description = "The OpenAI-compatible endpoint (default https://api.openai.com/v1; see docs/providers.md).", HelpName = "URL" };
        var batchSize = new Option<int?>("--batch-size") { Description = "Papers per request (llm default 20, embedding default 64).", HelpName = "N" };
        var concurrency = new Option<int?>("--concurrency") { Description = "Requests in flight at once (llm, default 4).", HelpName = "N" };
        var keyVariable = new Option<string?>("--api-key-env") { Description = $"The environment variable holding the API key (default {DefaultKeyVariable}). The key is never printed.", HelpName = "NAME" };
        var noScreen = new Option<bool>("--no-title-screen") { Description = "llm: skip the title-only screen and score every abstract." };
        var structured = new Option<bool>("--structured-output") { Description = "llm: ask for a JSON schema answer (OpenAI models; not every server supports it)." };
        var batchApi = new Option<bool>("--batch-api") { Description = "llm: score through the provider's Batch API (half price, answers within hours). Without --store it waits until the batch is done; with --store a pending batch exits 5 after --max-wait and the next run collects it." };
        var batchPoll = new Option<int?>("--batch-poll-seconds") { Description = "--batch-api: first wait between polls (default 30, growing to at most 300).", HelpName = "N" };
        var maxWait = new Option<int?>("--max-wait") { Description = "--batch-api with --store: seconds to wait for the batch (default 3600), then exit 5.", HelpName = "SECONDS" };
        batchPoll.Require<int>(v => v is >= 1 and <= 3600, "--batch-poll-seconds must be 1 to 3600.");
        maxWait.Require<int>(v => v is >= 0 and <= 86_400, "--max-wait must be 0 to 86400.");
        batchSize.Require<int>(v => v is not (< 1), "--batch-size must be 1 or more.");
        concurrency.Require<int>(v => v is not (< 1 or > 64), "--concurrency must be 1 to 64.");

        var command = new Command("score", "Score papers against your criteria; writes one JSON object per line (arxivId, relevance, novelty, comment, score) in input order.")
        {
            papers, criteria, scorer, model, baseUrl, batchSize, concurrency, keyVariable, noScreen, structured, ranker, store, batchApi, batchPoll, maxWait,
        };

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var settings = new Settings(
                parseResult.GetValue(papers)!,
                parseResult.GetValue(criteria),
                parseResult.GetValue(scorer)!,
                parseResult.GetValue(model),
                parseResult.GetValue(baseUrl),
                parseResult.GetValue(batchSize),
                parseResult.GetValue(concurrency),
                parseResult.GetValue(keyVariable),
                parseResult.GetValue(noScreen),
                parseResult.GetValue(structured),
                parseResult.GetValue(ranker),
                parseResult.GetValue(store))
            {
                BatchApi = parseResult.GetValue(batchApi),
                BatchPollSeconds = parseResult.GetValue(batchPoll),
                MaxWait = parseResult.GetValue(maxWait),
            };
            return await RunAsync(context, settings, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, Settings settings, CancellationToken cancellationToken)
    {
        var error = context.Error;

        // Criteria first: a missing or empty criteria file is a mistake worth reporting before reading any paper.
        ScoringCriteria criteria;
        if (settings.CriteriaPath is null)
        {
            if (settings.Scorer is not ("lexical" or "learned"))
            {
                await error.WriteLineAsync($"score: --criteria FILE is required with --scorer {settings.Scorer}: the scorer judges papers against your interests (format: docs/criteria.md).");
                return ExitCodes.Usage;
            }

            criteria = ScoringCriteria.Example;
            if (settings.Scorer == "lexical")
            {
                await error.WriteLineAsync("score: no --criteria given; using the built-in example criteria (efficient and well-understood deep learning). Write your own: docs/criteria.md.");
            }
        }
        else
        {
            try
            {
                criteria = await ScoringCriteria.LoadAsync(settings.CriteriaPath, cancellationToken);
            }
            catch (CriteriaException ex)
            {
                await error.WriteLineAsync($"score: {ex.Message}");
                return ExitCodes.Failure;
            }

            foreach (string warning in criteria.Warnings)
            {
                await error.WriteLineAsync($"score: criteria: {warning}");
            }
        }

        Uri? endpoint = null;
        if (settings.BaseUrl is not null && (!Uri.TryCreate(settings.BaseUrl, UriKind.Absolute, out endpoint) || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps)))
        {
            await error.WriteLineAsync($"score: --llm-base-url '{settings.BaseUrl}' is not an absolute http(s) URL.");
            return ExitCodes.Usage;
        }

        string? apiKey = null;
        if (settings.Scorer is "llm" or "embedding")
        {
            string variable = settings.KeyVariable ?? DefaultKeyVariable;
            apiKey = context.GetEnvironmentVariable(variable);
            if (string.IsNullOrWhiteSpace(apiKey))
            {
                await error.WriteLineAsync($"score: the API key is missing: set the environment variable {variable}{(settings.KeyVariable is null ? " (or name another one with --api-key-env)" : string.Empty)}.");
                return ExitCodes.Usage;
            }
        }

        LearnedRanker? learned = null;
        if (settings.Scorer == "learned")
        {
            learned = await LoadRankerAsync(context, settings.RankerPath, settings.StorePath, cancellationToken);
            if (learned is null)
            {
                return ExitCodes.Failure;
            }
        }

        var input = await ReadPapersAsync(context, settings.PapersPath, cancellationToken);
        if (input is null)
        {
            return ExitCodes.Failure;
        }

        if (input.Count == 0)
        {
            await error.WriteLineAsync("score: no papers to score.");
            return ExitCodes.Success;
        }

        IDisposable? client = null;
        try
        {
            IPaperScorer paperScorer;
            switch (settings.Scorer)
            {
                case "llm":
                {
                    var clientOptions = new OpenAIChatClientOptions { Endpoint = endpoint ?? new Uri("https://api.openai.com/v1"), ApiKey = apiKey, Model = settings.Model ?? DefaultChatModel };
                    var chat = OpenAIChatClientFactory.Create(clientOptions);
                    client = chat;
                    var options = new LlmScorerOptions
                    {
                        ModelId = settings.Model ?? DefaultChatModel,
                        TitleScreen = !settings.NoTitleScreen,
                        UseStructuredOutput = settings.StructuredOutput,
                    };
                    options.BatchSize = settings.BatchSize ?? options.BatchSize;
                    options.MaxConcurrency = settings.Concurrency ?? options.MaxConcurrency;
                    if (!settings.BatchApi)
                    {
                        paperScorer = chat.AsPaperScorer(criteria, options);
                        break;
                    }

                    // Without --store there is nowhere to keep the batch ids: wait until the batch is done.
                    var batchClient = OpenAIChatClientFactory.CreateBatchClient(clientOptions);
                    var jobStore = settings.StorePath is { } path ? new SqliteArxivRankStore(new SqliteStoreOptions { Path = path }) : null;
                    client = new Disposables(chat, (IDisposable)batchClient, jobStore);
                    var poll = TimeSpan.FromSeconds(settings.BatchPollSeconds ?? 30);
                    var batchOptions = new BatchApiOptions
                    {
                        PollInterval = poll,
                        MaxPollInterval = poll > TimeSpan.FromMinutes(5) ? poll : TimeSpan.FromMinutes(5),
                        MaxWait = jobStore is null ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(settings.MaxWait ?? 3600),
                        Metadata = { ["client"] = "arxivrank score" },
                    };
                    paperScorer = chat.AsBatchPaperScorer(batchClient, criteria, options, batchOptions, jobStore, cache: jobStore);
                    break;
                }

                case "embedding":
                {
                    var generator = OpenAIChatClientFactory.CreateEmbeddingGenerator(new OpenAIChatClientOptions { Endpoint = endpoint ?? new Uri("https://api.openai.com/v1"), ApiKey = apiKey, Model = settings.Model ?? DefaultEmbeddingModel });
                    client = generator;
                    var options = new EmbeddingScorerOptions { ModelId = settings.Model ?? DefaultEmbeddingModel };
                    options.BatchSize = Math.Min(2048, settings.BatchSize ?? options.BatchSize);
                    paperScorer = generator.AsPaperScorer(criteria, options);
                    break;
                }

                case "learned":
                    paperScorer = learned!.AsScorer();
                    break;

                default:
                    paperScorer = PaperScorers.CreateLexical(criteria);
                    break;
            }

            paperScorer = paperScorer.WithRules(PaperRules.FromCriteria(criteria));
            ScoringResult result;
            int exitCode = ExitCodes.Success;
            try
            {
                result = await paperScorer.ScoreAsync(input, progress: null, cancellationToken);
            }
            catch (BatchPendingException ex)
            {
                await error.WriteLineAsync($"score: batch pending: {ex.Message}");
                return ExitCodes.BatchPending;
            }
            catch (ScoringException ex)
            {
                await error.WriteLineAsync($"score: {ex.Message}");
                result = ex.PartialResult ?? new ScoringResult();
                exitCode = ExitCodes.Failure;
            }

            foreach (var score in result.Scores)
            {
                await context.Out.WriteLineAsync(ToJson(score));
            }

            foreach (var unscored in result.Unscored)
            {
                await error.WriteLineAsync($"score: unscored {unscored.Paper.Id}: {unscored.Reason}");
            }

            foreach (var usage in result.Usage)
            {
                await error.WriteLineAsync(DescribeUsage(usage));
            }

            await context.Out.FlushAsync(cancellationToken);
            return exitCode;
        }
        finally
        {
            client?.Dispose();
        }
    }

    private static async Task<List<Paper>?> ReadPapersAsync(CliContext context, string path, CancellationToken cancellationToken)
    {
        TextReader reader;
        try
        {
            reader = path == "-" ? context.OpenStdin() : new StreamReader(path, Encoding.UTF8);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            await context.Error.WriteLineAsync($"score: cannot read the papers file '{path}': {ex.Message}");
            return null;
        }

        var papers = new List<Paper>();
        using (reader)
        {
            await foreach (var line in PaperJsonLines.ReadAsync(reader, cancellationToken))
            {
                if (line.Paper is { } paper)
                {
                    papers.Add(paper);
                }
                else
                {
                    await context.Error.WriteLineAsync($"score: {(path == "-" ? "stdin" : path)} line {line.LineNumber} is not a paper and is skipped: {line.Error}");
                }
            }
        }

        return papers;
    }

    private static string ToJson(PaperScore score)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("arxivId", score.PaperId.ToString());
            WriteNumber(writer, "relevance", score.Relevance);
            WriteNumber(writer, "novelty", score.Novelty);
            writer.WriteString("comment", score.Comment);
            if (score.Score is { } value)
            {
                writer.WriteNumber("score", value);
            }

            if (score.Origin != ScoreOrigin.Scored)
            {
                writer.WriteString("origin", score.Origin == ScoreOrigin.AuthorMatch ? "author-match" : "keyword-rule");
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, int? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static string DescribeUsage(ModelUsage usage)
    {
        string cost = usage.TotalCost is { } total ? "$" + total.ToString("0.0000", CultureInfo.InvariantCulture) : "unknown (model not in the pricing table)";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"score: {usage.ModelId}: {usage.Requests} requests, {usage.InputTokens:N0} input tokens ({usage.CachedInputTokens:N0} cached), {usage.OutputTokens:N0} output tokens, cost {cost}.");
    }

    private static async Task<LearnedRanker?> LoadRankerAsync(CliContext context, string? rankerPath, string? storePath, CancellationToken cancellationToken)
    {
        var error = context.Error;
        try
        {
            if (rankerPath is not null)
            {
                await using var file = File.OpenRead(rankerPath);
                return await LearnedRanker.LoadAsync(file, cancellationToken);
            }

            using var store = new SqliteArxivRankStore(new SqliteStoreOptions { Path = storePath });
            var model = await store.LoadModelAsync(cancellationToken);
            if (model is null)
            {
                await error.WriteLineAsync($"score: the store {store.Path} has no learned ranker yet; train one ('arxivrank train') or pass --ranker MODEL.");
            }

            return model;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"score: cannot read the model {rankerPath}: {ex.Message}");
            return null;
        }
        catch (Exception ex) when (ex is LearnedRankerException or DigestStoreException)
        {
            await error.WriteLineAsync($"score: {ex.Message}");
            return null;
        }
    }

    private sealed record Settings(string PapersPath, string? CriteriaPath, string Scorer, string? Model, string? BaseUrl, int? BatchSize, int? Concurrency, string? KeyVariable, bool NoTitleScreen, bool StructuredOutput, string? RankerPath = null, string? StorePath = null)
    {
        public bool BatchApi { get; init; }

        public int? BatchPollSeconds { get; init; }

        public int? MaxWait { get; init; }
    }

    /// <summary>Disposes several clients as one.</summary>
    private sealed class Disposables(params IDisposable?[] items) : IDisposable
    {
        public void Dispose()
        {
            foreach (var item in items)
            {
                item?.Dispose();
            }
        }
    }
}
