using System.Globalization;
using ArxivRank.Cli.Commands;
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
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;

namespace ArxivRank.Cli.Daily;

/// <summary>One <c>arxivrank digest</c> run: builds source, scorer, renderers and store from the settings and runs the pipeline.</summary>
internal sealed class DigestRun(CliContext context, DigestSettings settings)
{
    private const string Name = "digest";
    private readonly TextWriter _error = context.Error;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await RunCoreAsync(cancellationToken);
        }
        catch (UsageException ex)
        {
            await _error.WriteLineAsync($"{Name}: {ex.Message}");
            return ExitCodes.Usage;
        }
    }

    private async Task<int> RunCoreAsync(CancellationToken cancellationToken)
    {
        // 1. Everything that can be wrong on the command line, before any network or file access.
        var renderers = settings.Formats.Select(CreateRenderer).ToList();
        var date = ParseDate(settings.Date);
        if (date is not null && settings.Source != "api")
        {
            throw new UsageException($"--date needs --source api (the RSS feed only shows today's announcement{(settings.Source == "snapshot" ? "; the snapshot is the announcement of " + Iso(SnapshotSource.AnnouncementDate) : string.Empty)}).");
        }

        if (settings.Source is not ("rss" or "api" or "snapshot"))
        {
            throw new UsageException($"source '{settings.Source}' is not one of rss, api, snapshot.");
        }

        var criteria = await LoadCriteriaAsync(cancellationToken);
        if (criteria is null)
        {
            return ExitCodes.Failure;
        }

        var plan = await PlanScorerAsync(criteria.Value.Criteria, cancellationToken);
        if (plan is null)
        {
            return ExitCodes.Failure;
        }

        using var chatClient = plan.ChatClient;
        await _error.WriteLineAsync($"{Name}: scorer: {plan.Description}");

        var source = CreateSource();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(new ErrorWriterLoggerProvider(_error)).SetMinimumLevel(LogLevel.Warning));

        // 2. The store (history + score cache). A dry run never creates one.
        IDigestStore store;
        SqliteArxivRankStore? sqlite = null;
        try
        {
            string path = settings.StorePath ?? SqliteArxivRankStore.DefaultPath;
            if (settings.DryRun && !File.Exists(path))
            {
                store = new InMemoryArxivRankStore();
            }
            else
            {
                // The store creates its file (and folder) at its first write, so a run that fails before it has anything
                // to store leaves nothing behind.
                sqlite = new SqliteArxivRankStore(new SqliteStoreOptions { Path = path });
                store = sqlite;
            }
        }
        catch (Exception ex) when (ex is DigestStoreException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            await _error.WriteLineAsync($"{Name}: error: the store cannot be opened: {ex.Message} Pass another file with --store PATH (or ${DigestCommand.StoreVariable}).");
            return ExitCodes.Failure;
        }

        using (sqlite)
        {
            return await RunPipelineAsync(source, plan, criteria.Value.Text, renderers, store, loggerFactory, date, cancellationToken);
        }
    }

    private async Task<int> RunPipelineAsync(IArxivSource source, ScorerPlan plan, string criteriaText, List<IDigestRenderer> renderers, IDigestStore store, ILoggerFactory loggerFactory, DateOnly? date, CancellationToken cancellationToken)
    {
        bool estimateFirst = plan.Kind == "llm" && settings.MaxCost is not null && !settings.DryRun;
        if (estimateFirst)
        {
            source = new MemoizingSource(source);
        }

        var prescreenReports = new List<PrescreenReport>();
        var scorer = await WithPrescreenAsync(plan, store, prescreenReports, cancellationToken);
        var builder = DigestPipeline.CreateBuilder()
            .UseSource(source)
            .UseScorer(scorer)
            .UseStore(store)
            .UseLoggerFactory(loggerFactory)
            .Configure(o =>
            {
                o.Categories = [.. settings.Categories];
                o.SkipProcessedCheck = settings.Source == "snapshot";
                o.CriteriaText = criteriaText;
                o.ScorerName = plan.Name;
                o.RunLease.Wait = TimeSpan.FromSeconds(settings.WaitSeconds);
                o.Selection.TopK = settings.TopK ?? o.Selection.TopK;
                o.Selection.MinRelevance = settings.MinRelevance ?? o.Selection.MinRelevance;
                o.Selection.MinNovelty = settings.MinNovelty ?? o.Selection.MinNovelty;
                if (settings.TopK is { } k)
                {
                    o.Selection.OfflineTopK = k;
                }
            });
        foreach (var renderer in renderers)
        {
            builder.AddRenderer(renderer);
        }

        if (plan.Kind != "llm")
        {
            builder.UseScoreCache(null); // offline scores cost nothing: nothing to cache
        }

        DigestPipeline pipeline;
        try
        {
            pipeline = builder.Build();
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message);
        }

        var output = new DirectoryDigestOutput(settings.OutDir);
        var request = new DigestRunRequest { Force = settings.Force, Date = date, DryRun = settings.DryRun };
        try
        {
            if (estimateFirst || settings.DryRun)
            {
                var dry = await RunWithProgressAsync(pipeline, output, request with { DryRun = true }, cancellationToken);
                if (dry.Status == DigestRunStatus.NoNewAnnouncement)
                {
                    return await NoNewAsync(dry);
                }

                var estimate = plan.Kind == "llm" ? CostEstimate.For(dry.PapersToScore, plan.Criteria, plan.LlmOptions!, plan.Model!) : null;
                await _error.WriteLineAsync(DescribeEstimate(dry, estimate));
                if (settings.DryRun)
                {
                    await _error.WriteLineAsync($"{Name}: dry run: no model was called and nothing was written.");
                    return ExitCodes.Success;
                }

                if (estimate is { } e && (e.Cost is null || e.Cost > settings.MaxCost))
                {
                    string why = e.Cost is null
                        ? $"the price of {plan.Model} is not in the pricing table, so the cost cannot be bounded"
                        : string.Create(CultureInfo.InvariantCulture, $"the estimated cost ${e.Cost:0.0000} exceeds --max-cost ${settings.MaxCost:0.####}");
                    await _error.WriteLineAsync($"{Name}: error: {why}; no model was called and nothing was written. Raise --max-cost, choose a cheaper --model, or use --scorer lexical.");
                    return ExitCodes.Failure;
                }
            }

            var result = await RunWithProgressAsync(pipeline, output, request, cancellationToken);
            if (result.Status == DigestRunStatus.NoNewAnnouncement)
            {
                return await NoNewAsync(result);
            }

            await WriteArchiveAsync(store, result, renderers, output, cancellationToken);
            await ReportAsync(result, plan);
            await LearnAsync(result, plan, store, prescreenReports, cancellationToken);
            return ExitCodes.Success;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (HostUnreachableException ex)
        {
            await _error.WriteLineAsync($"{Name}: error: arXiv could not be reached ({ex.Message}). Check your connection (or --base-url); on a machine without internet try --source snapshot.");
            return ExitCodes.Failure;
        }
        catch (ArxivSourceException ex)
        {
            string hint = settings.Source == "snapshot" ? string.Empty : " Check your connection (or --base-url); on a machine without internet try --source snapshot.";
            await _error.WriteLineAsync($"{Name}: error: arXiv could not be reached or answered unusably ({ex.Message}).{hint}");
            return ExitCodes.Failure;
        }
        catch (NotSupportedException ex)
        {
            await _error.WriteLineAsync($"{Name}: {ex.Message}");
            return ExitCodes.Usage;
        }
        catch (ScoringException ex)
        {
            await _error.WriteLineAsync($"{Name}: error: scoring failed, no digest was written: {ex.Message} {ScoringHint(plan)}");
            return ExitCodes.Failure;
        }
        catch (RunLeaseHeldException ex)
        {
            await _error.WriteLineAsync($"{Name}: {ex.Message} Nothing was scored or written (exit code {ExitCodes.StoreBusy}).");
            return ExitCodes.StoreBusy;
        }
        catch (DigestStoreException ex)
        {
            await _error.WriteLineAsync($"{Name}: error: the store failed: {ex.Message} Pass another file with --store PATH.");
            return ExitCodes.Failure;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await _error.WriteLineAsync($"{Name}: error: cannot write into '{settings.OutDir}': {ex.Message} Choose another folder with --out DIR.");
            return ExitCodes.Failure;
        }
    }

    private async Task<DigestRunResult> RunWithProgressAsync(DigestPipeline pipeline, IDigestOutput output, DigestRunRequest request, CancellationToken cancellationToken)
    {
        if (!context.IsInteractive)
        {
            return await pipeline.RunAsync(output, request, new PlainProgress(_error, context.GetEnvironmentVariable(PlainProgress.PauseVariable)), cancellationToken);
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(_error) });
        return await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async ctx =>
            {
                var progress = new SpectreProgress(ctx);
                var result = await pipeline.RunAsync(output, request, progress, cancellationToken);
                progress.Complete();
                return result;
            });
    }

    private async Task<int> NoNewAsync(DigestRunResult result)
    {
        await _error.WriteLineAsync($"{Name}: no new announcement: {result.Reason ?? "nothing new."} Nothing written{(settings.Force ? string.Empty : "; --force regenerates a processed day")}. Exit code {settings.NoNewExitCode}.");
        return settings.NoNewExitCode;
    }

    /// <summary>The month pages and the archive index from the store's history, and the previous day re-rendered so its "next" link points here.</summary>
    private async Task WriteArchiveAsync(IDigestStore store, DigestRunResult result, List<IDigestRenderer> renderers, IDigestOutput output, CancellationToken cancellationToken)
    {
        if (settings.Formats.Contains("html", StringComparer.OrdinalIgnoreCase))
        {
            var history = await store.GetHistoryAsync(cancellationToken: cancellationToken);
            await DigestArchive.RenderHtmlAsync(history.Select(h => new ArchiveDay(h.Date, h.SelectedPapers)), output, cancellationToken: cancellationToken);
        }

        if (result.Digest?.Navigation.Previous is { } previous && await store.LoadDigestAsync(previous, cancellationToken) is { } earlier)
        {
            earlier = earlier with { Navigation = await store.GetNavigationAsync(previous, cancellationToken) };
            var buffer = new MemoryDigestOutput();
            foreach (var renderer in renderers.Where(r => r.Format != "slack"))
            {
                await renderer.RenderAsync(earlier, buffer, cancellationToken);
            }

            foreach (string name in buffer.Names.Distinct(StringComparer.Ordinal))
            {
                var stream = await output.CreateAsync(name, buffer.GetMediaType(name), cancellationToken);
                await using (stream)
                {
                    await stream.WriteAsync(buffer.GetBytes(name), cancellationToken);
                }
            }
        }
    }

    private async Task ReportAsync(DigestRunResult result, ScorerPlan plan)
    {
        var s = result.Statistics;
        string day = result.AnnouncementDate is { } d ? Iso(d) : "-";
        await _error.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"{Name}: announcement {day}: {s.Fetched} fetched, {s.Duplicates} duplicates, {s.SeenBefore} seen before, {s.Kept} kept; {s.Scored} scored ({s.FromCache} from the cache), {s.Unscored.Count} unscored; {s.Selected} selected."));
        foreach (var unscored in s.Unscored.Take(10))
        {
            await _error.WriteLineAsync($"{Name}: unscored {unscored.Paper.Id}: {unscored.Reason}");
        }

        if (s.Unscored.Count > 10)
        {
            await _error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{Name}: … and {s.Unscored.Count - 10} more unscored (see the digest's JSON)."));
        }

        foreach (var usage in s.Usage)
        {
            string cost = usage.TotalCost is { } total ? "$" + total.ToString("0.0000", CultureInfo.InvariantCulture) : "unknown (model not in the pricing table)";
            await _error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{Name}: {usage.ModelId}: {usage.Requests} requests, {usage.InputTokens:N0} input tokens ({usage.CachedInputTokens:N0} cached), {usage.OutputTokens:N0} output tokens, cost {cost}."));
        }

        if (plan.Kind == "llm" && s.Usage.Count == 0)
        {
            await _error.WriteLineAsync($"{Name}: {plan.Model}: 0 tokens (every score came from the cache).");
        }

        foreach (string file in result.Outputs)
        {
            await context.Out.WriteLineAsync(Path.Combine(settings.OutDir, file));
        }

        await _error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{Name}: wrote {result.Outputs.Count} files into {Path.GetFullPath(settings.OutDir)} in {s.Elapsed.TotalSeconds:0.0} s."));
    }

    private string DescribeEstimate(DigestRunResult dry, CostEstimate? estimate)
    {
        var s = dry.Statistics;
        string head = string.Create(CultureInfo.InvariantCulture, $"{Name}: announcement {(dry.AnnouncementDate is { } d ? Iso(d) : "-")}: {s.Fetched} fetched, {s.Kept} kept, {s.Kept - dry.PapersToScore.Count} already scored (cache), {dry.PapersToScore.Count} to score");
        if (estimate is null)
        {
            return head + "; the offline scorer costs nothing.";
        }

        string cost = estimate.Cost is { } c ? "$" + c.ToString("0.0000", CultureInfo.InvariantCulture) : "unknown (model not in the pricing table)";
        return head + string.Create(CultureInfo.InvariantCulture, $"; estimate (upper bound, see docs/cli.md): {estimate.Requests} requests, ~{estimate.InputTokens:N0} input and ~{estimate.OutputTokens:N0} output tokens, cost {cost}.");
    }

    private static string ScoringHint(ScorerPlan plan) => plan.Kind == "llm"
        ? $"Check the model ({plan.Model}), the endpoint and the API key; or run offline with --scorer lexical."
        : "Check the scorer's input (criteria, ranker model).";

    private IArxivSource CreateSource()
    {
        if (settings.Source == "snapshot")
        {
            return new SnapshotSource();
        }

        var options = new ArxivSourceOptions();
        if (settings.BaseUrl is { } url)
        {
            options.BaseUrl = Uri.TryCreate(url, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps)
                ? u
                : throw new UsageException($"--base-url '{url}' is not an absolute http(s) URL (e.g. http://127.0.0.1:8080).");
        }

        var t = settings.Arxiv;
        options.MinRequestInterval = t.RequestIntervalMs is { } pacing ? TimeSpan.FromMilliseconds(pacing) : options.MinRequestInterval;
        options.MaxRetryAttempts = t.Retries ?? options.MaxRetryAttempts;
        if (t.RetryDelayMs is { } delay)
        {
            options.RetryBaseDelay = TimeSpan.FromMilliseconds(delay);
            options.MaxRetryDelay = TimeSpan.FromMilliseconds(Math.Max(delay, 1) * 8);
        }

        if (t.TimeoutMs is { } timeout)
        {
            options.AttemptTimeout = TimeSpan.FromMilliseconds(timeout);
            options.ReadTimeout = TimeSpan.FromMilliseconds(timeout);
            options.TotalRequestTimeout = TimeSpan.FromMilliseconds(Math.Max(timeout * ((long)options.MaxRetryAttempts + 2), timeout));
        }

        if (context.GetEnvironmentVariable("ARXIVRANK_CONTACT") is { Length: > 0 } who)
        {
            options.Contact = who;
        }

        try
        {
            return ArxivSources.Create(settings.Source == "api" ? ArxivSourceKind.Api : ArxivSourceKind.Rss, options, primaryHandler: new FailFastHandler());
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message);
        }
    }

    private async Task<(ScoringCriteria Criteria, string Text)?> LoadCriteriaAsync(CancellationToken cancellationToken)
    {
        ScoringCriteria criteria;
        string text;
        if (settings.CriteriaPath is null)
        {
            criteria = ScoringCriteria.Example;
            text = ScoringCriteria.ExampleText;
            await _error.WriteLineAsync($"{Name}: criteria: the built-in example (efficient and well-understood deep learning); write your own with --criteria FILE (docs/criteria.md).");
        }
        else
        {
            try
            {
                criteria = await ScoringCriteria.LoadAsync(settings.CriteriaPath, cancellationToken);
                text = await File.ReadAllTextAsync(settings.CriteriaPath, cancellationToken);
            }
            catch (Exception ex) when (ex is CriteriaException or IOException or UnauthorizedAccessException)
            {
                await _error.WriteLineAsync($"{Name}: error: {ex.Message}");
                return null;
            }

            foreach (string warning in criteria.Warnings)
            {
                await _error.WriteLineAsync($"{Name}: criteria: {warning}");
            }
        }

        if (settings.FollowedAuthors.Count > 0)
        {
            criteria = criteria with { FollowedAuthors = [.. criteria.FollowedAuthors, .. settings.FollowedAuthors] };
        }

        return (criteria, text);
    }

    /// <summary>With --prescreen and a learned model in the store: only the model's top share (plus author matches, unsure papers and a small random sample) goes to the LLM.</summary>
    private async Task<IPaperScorer> WithPrescreenAsync(ScorerPlan plan, IDigestStore store, List<PrescreenReport> reports, CancellationToken cancellationToken)
    {
        if (settings.Prescreen is not { } share)
        {
            return plan.Scorer;
        }

        if (plan.Kind != "llm" || plan.Unruled is null || plan.Rules is null)
        {
            await _error.WriteLineAsync($"{Name}: pre-screen: off (it only saves model calls for --scorer llm).");
            return plan.Scorer;
        }

        if (store is not ILabelStore labels || await labels.LoadModelAsync(cancellationToken) is not { } ranker)
        {
            await _error.WriteLineAsync($"{Name}: pre-screen: off, the store has no learned model yet (it trains itself after {new AutoTrainingOptions().MinDays} LLM digests, or run 'arxivrank train').");
            return plan.Scorer;
        }

        // The seed changes daily, so the exploration sample of screened-out papers differs from day to day.
        var options = new PrescreenOptions { Share = share, Seed = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime).DayNumber, Rules = plan.Rules };
        return plan.Unruled.WithPrescreen(ranker, options, report => { lock (reports) { reports.Add(report); } }).WithRules(plan.Rules);
    }

    /// <summary>After an LLM digest: keep its judgments as labels, retrain the learned ranker when there is enough history, and say what the pre-screen saved.</summary>
    private async Task LearnAsync(DigestRunResult result, ScorerPlan plan, IDigestStore store, List<PrescreenReport> reports, CancellationToken cancellationToken)
    {
        if (reports.Count > 0)
        {
            var p = PrescreenReport.Sum(reports);
            string cost = p.EstimatedCostSaved is { } c ? $"${c.ToString("0.00", CultureInfo.InvariantCulture)}" : "an unknown cost";
            await _error.WriteLineAsync($"{Name}: pre-screen: sent {p.Sent} of {p.Candidates} papers to the model ({p.ScreenedOut} scored by the learned ranker); saved ~{p.EstimatedTokensSaved?.ToString(CultureInfo.InvariantCulture) ?? "?"} tokens, {cost}.");
        }

        // Only the LLM's judgments are labels: learning from the offline scorers would teach the ranker its own guesses.
        if (plan.Kind != "llm" || store is not ILabelStore labels)
        {
            return;
        }

        int recorded = await labels.RecordRunAsync(result, cancellationToken);
        if (!settings.AutoTrain || recorded == 0)
        {
            return;
        }

        var training = await AutoTrainer.TryTrainAsync(labels, new AutoTrainingOptions(), cancellationToken);
        await _error.WriteLineAsync($"{Name}: learned ranker: {training.Message}");
    }

    private async Task<ScorerPlan?> PlanScorerAsync(ScoringCriteria criteria, CancellationToken cancellationToken)
    {
        string keyVariable = settings.ApiKeyVariable ?? DigestCommand.DefaultKeyVariable;
        string? apiKey = context.GetEnvironmentVariable(keyVariable);
        bool hasKey = !string.IsNullOrWhiteSpace(apiKey);
        Uri? endpoint = null;
        if (settings.LlmBaseUrl is { } url && (!Uri.TryCreate(url, UriKind.Absolute, out endpoint) || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps)))
        {
            throw new UsageException($"--llm-base-url '{url}' is not an absolute http(s) URL.");
        }

        string kind = settings.Scorer?.ToLowerInvariant() ?? (hasKey || endpoint is not null ? "llm" : "lexical");
        var rules = PaperRules.FromCriteria(criteria);
        switch (kind)
        {
            case "lexical":
                return new ScorerPlan(
                    "lexical",
                    "lexical",
                    PaperScorers.CreateLexical(criteria).WithRules(rules),
                    criteria,
                    settings.Scorer is null ? $"lexical (offline, no model; set {keyVariable} or --llm-base-url for the LLM scorer)" : "lexical (offline, no model)");

            case "learned":
            {
                if (settings.RankerPath is null)
                {
                    throw new UsageException("--scorer learned needs --ranker MODEL (a model file written by 'arxivrank train').");
                }

                try
                {
                    await using var stream = File.OpenRead(settings.RankerPath);
                    var ranker = await LearnedRanker.LoadAsync(stream, cancellationToken);
                    return new ScorerPlan("learned", LearnedRanker.ScorerName, ranker.AsScorer().WithRules(rules), criteria, $"learned ({settings.RankerPath}, offline)");
                }
                catch (Exception ex) when (ex is LearnedRankerException or IOException or UnauthorizedAccessException)
                {
                    await _error.WriteLineAsync($"{Name}: error: the ranker model '{settings.RankerPath}' cannot be used: {ex.Message}");
                    return null;
                }
            }

            case "llm":
            {
                if (!hasKey && endpoint is null)
                {
                    throw new UsageException($"--scorer llm needs an API key in {keyVariable}{(settings.ApiKeyVariable is null ? " (or another variable named with --api-key-env)" : string.Empty)}, or --llm-base-url pointing at a local server (docs/providers.md).");
                }

                string model = settings.Model ?? DefaultModel();
                var t = settings.Llm;
                var clientOptions = new OpenAIChatClientOptions
                {
                    Endpoint = endpoint ?? new Uri("https://api.openai.com/v1"),
                    ApiKey = hasKey ? apiKey : "no-key",
                    Model = model,
                };
                clientOptions.MaxRetryAttempts = t.Retries ?? clientOptions.MaxRetryAttempts;
                clientOptions.RetryBaseDelay = t.RetryDelayMs is { } delay ? TimeSpan.FromMilliseconds(delay) : clientOptions.RetryBaseDelay;
                if (t.TimeoutMs is { } timeout)
                {
                    clientOptions.AttemptTimeout = TimeSpan.FromMilliseconds(timeout);
                    clientOptions.TotalTimeout = TimeSpan.FromMilliseconds(Math.Max(timeout * ((long)clientOptions.MaxRetryAttempts + 2), timeout));
                }

                var options = new LlmScorerOptions { ModelId = model, TitleScreen = settings.TitleScreen };
                options.BatchSize = settings.BatchSize ?? options.BatchSize;
                options.MaxConcurrency = settings.Concurrency ?? options.MaxConcurrency;
                IChatClient chat;
                try
                {
                    chat = OpenAIChatClientFactory.Create(clientOptions);
                }
                catch (ArgumentException ex)
                {
                    throw new UsageException(ex.Message);
                }

                string where = endpoint is null ? "OpenAI" : endpoint.GetLeftPart(UriPartial.Path);
                string key = hasKey ? $"key from {keyVariable}" : "no key";
                var llm = chat.AsPaperScorer(criteria, options);
                return new ScorerPlan("llm", model, llm.WithRules(rules), criteria, $"llm ({model} at {where}, {key})")
                {
                    Unruled = llm,
                    Rules = rules,
                    ChatClient = chat,
                    LlmOptions = options,
                    Model = model,
                };
            }

            default:
                throw new UsageException($"--scorer '{settings.Scorer}' is not one of llm, lexical, learned.");
        }
    }

    private static string DefaultModel() => DigestCommand.DefaultChatModel;

    private static IDigestRenderer CreateRenderer(string format)
    {
        try
        {
            return DigestRenderers.Create(format.ToLowerInvariant());
        }
        catch (ArgumentException)
        {
            throw new UsageException($"--format '{format}' is not one of {string.Join(", ", DigestRenderers.Formats)}.");
        }
    }

    private static DateOnly? ParseDate(string? text)
        => text is null ? null
            : DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day
            : throw new UsageException($"--date '{text}' is not a date in yyyy-MM-dd form.");

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private sealed record ScorerPlan(string Kind, string Name, IPaperScorer Scorer, ScoringCriteria Criteria, string Description)
    {
        public IChatClient? ChatClient { get; init; }

        public LlmScorerOptions? LlmOptions { get; init; }

        public string? Model { get; init; }

        /// <summary>The LLM scorer before the author/keyword rules, so the pre-screen can sit between them.</summary>
        public IPaperScorer? Unruled { get; init; }

        public PaperRules? Rules { get; init; }
    }

    private sealed class UsageException(string message) : Exception(message);
}

/// <summary>Warnings and errors of the library (retries, unusable answers) as plain lines on stderr.</summary>
internal sealed class ErrorWriterLoggerProvider(TextWriter error) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Writer(error);

    public void Dispose()
    {
    }

    private sealed class Writer(TextWriter error) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel == LogLevel.Warning; // errors: the command reports them itself, once

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            lock (error)
            {
                error.WriteLine($"digest: warning: {formatter(state, exception)}");
            }
        }
    }
}
