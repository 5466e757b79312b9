using System.Globalization;
using ArxivRank.Cli.Commands;
using ArxivRank.Cli.Snapshot;
using ArxivRank.OpenAI;
using ArxivRank.Pipeline;
using ArxivRank.Profiles;
using ArxivRank.Rendering;
using ArxivRank.Scoring;
using ArxivRank.Sources;
using ArxivRank.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace ArxivRank.Cli.Daily;

/// <summary>One <c>arxivrank digest</c> run: flags over the config file over the environment make the profile; the library's factory composes it; this class shows progress and maps outcomes to exit codes.</summary>
internal sealed class DigestRun(CliContext context)
{
    private const string Name = "digest";
    private readonly TextWriter _error = context.Error;

    /// <summary>The profile of a run: defaults, then the environment (<c>ArxivRank__TopK</c>, <c>$ARXIVRANK_STORE</c>), then the config file, then the flags.</summary>
    public static async Task<ReaderProfile> LoadProfileAsync(CliContext context, ReaderProfile flags, string? configPath, CancellationToken cancellationToken)
    {
        string prefix = ReaderProfile.SectionName + "__";
        var variables = context.ListEnvironmentVariables()
            .Where(e => e.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(e => KeyValuePair.Create(e.Key.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal), e.Value));
        var environment = ReaderProfile.FromConfiguration(new ConfigurationBuilder().AddInMemoryCollection(variables).Build().GetSection(ReaderProfile.SectionName));
        if (environment.Store is null && context.GetEnvironmentVariable(DigestCommand.StoreVariable) is { Length: > 0 } store)
        {
            environment.Store = store;
        }

        var file = configPath is null ? new ReaderProfile() : await ReaderProfileJson.LoadAsync(configPath, cancellationToken);
        return environment.With(file).With(flags);
    }

    public async Task<int> RunAsync(ReaderProfile flags, string? configPath, string? dateText, DigestRunRequest request, CancellationToken cancellationToken)
    {
        ReaderProfile profile;
        try
        {
            profile = await LoadProfileAsync(context, flags, configPath, cancellationToken);
            ReaderProfileValidator.ThrowIfInvalid(profile);
            request = request with { Date = ParseDate(dateText, profile.Source ?? ReaderProfile.DefaultSource) };
        }
        catch (ReaderProfileException ex)
        {
            await _error.WriteLineAsync($"{Name}: {ex.Message} Flags and keys: docs/cli.md, docs/configuration.md.");
            return ExitCodes.Usage;
        }

        IDigestStore store;
        try
        {
            store = ReaderProfileStore.Open(profile, request.DryRun);
        }
        catch (DigestStoreException ex)
        {
            await _error.WriteLineAsync($"{Name}: error: the store cannot be opened: {ex.Message} Pass another file with --store PATH (or ${DigestCommand.StoreVariable}).");
            return ExitCodes.Failure;
        }

        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(new ErrorWriterLoggerProvider(_error)).SetMinimumLevel(LogLevel.Warning));
        using (store as IDisposable)
        {
            var services = new ReaderPipelineServices
            {
                Source = string.Equals(profile.Source, "snapshot", StringComparison.OrdinalIgnoreCase) ? new SnapshotSource() : null,
                Store = store,
                ArxivPrimaryHandler = new FailFastHandler(),
                ArxivContact = context.GetEnvironmentVariable("ARXIVRANK_CONTACT"),
                LoggerFactory = loggerFactory,
            };
            try
            {
                services.ChatClient = ReaderProfileChatClient.Create(profile, context.GetEnvironmentVariable);
                using var chat = services.ChatClient;
                using var reader = await ReaderPipelineFactory.CreateAsync(profile, services, cancellationToken);
                foreach (string note in reader.Notes.Where(n => !n.StartsWith("pre-screen", StringComparison.Ordinal)))
                {
                    await _error.WriteLineAsync($"{Name}: {note}");
                }

                await _error.WriteLineAsync($"{Name}: scorer: {reader.ScorerDescription}");
                foreach (string note in reader.Notes.Where(n => n.StartsWith("pre-screen", StringComparison.Ordinal)))
                {
                    await _error.WriteLineAsync($"{Name}: {note}");
                }

                return await RunPipelineAsync(reader, request, cancellationToken);
            }
            catch (ReaderProfileException ex)
            {
                await _error.WriteLineAsync(ex.IsInvalidProfile ? $"{Name}: {ex.Message}" : $"{Name}: error: {ex.Message}");
                return ex.IsInvalidProfile ? ExitCodes.Usage : ExitCodes.Failure;
            }
        }
    }

    private async Task<int> RunPipelineAsync(ReaderPipeline reader, DigestRunRequest request, CancellationToken cancellationToken)
    {
        var profile = reader.Profile;
        string outDir = profile.Out ?? ReaderProfile.DefaultOut;
        try
        {
            var result = await RunWithProgressAsync(reader, new DirectoryDigestOutput(outDir), request, cancellationToken);
            if (result.Estimated is { Status: not DigestRunStatus.NoNewAnnouncement } dry)
            {
                await _error.WriteLineAsync(DescribeEstimate(dry, result.Estimate));
            }

            await WriteWarningsAsync(request.DryRun && result.Estimated is { } estimated ? estimated : result.Run);
            if (result.Run.Status == DigestRunStatus.NoNewAnnouncement)
            {
                int code = profile.NoNewExitCode ?? ExitCodes.NoNewAnnouncement;
                await _error.WriteLineAsync($"{Name}: no new announcement: {result.Run.Reason ?? "nothing new."} Nothing written{(request.Force ? string.Empty : "; --force regenerates a processed day")}. Exit code {code}.");
                return code;
            }

            if (request.DryRun)
            {
                await _error.WriteLineAsync($"{Name}: dry run: no model was called and nothing was written.");
                return ExitCodes.Success;
            }

            if (result.OverBudget)
            {
                string why = result.Estimate?.Cost is null
                    ? $"the price of {reader.Model} is not in the pricing table, so the cost cannot be bounded"
                    : string.Create(CultureInfo.InvariantCulture, $"the estimated cost ${result.Estimate.Cost:0.0000} exceeds --max-cost ${profile.MaxCost:0.####}");
                await _error.WriteLineAsync($"{Name}: error: {why}; no model was called and nothing was written. Raise --max-cost, choose a cheaper --model, or use --scorer lexical.");
                return ExitCodes.Failure;
            }

            await ReportAsync(result, reader, outDir);
            return ExitCodes.Success;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (ArxivSourceException ex)
        {
            string hint = string.Equals(profile.Source, "snapshot", StringComparison.OrdinalIgnoreCase) ? string.Empty : " Check your connection (or --base-url); on a machine without internet try --source snapshot.";
            string what = ex is HostUnreachableException ? "could not be reached" : "could not be reached or answered unusably";
            await _error.WriteLineAsync($"{Name}: error: arXiv {what} ({ex.Message}).{hint}");
            return ExitCodes.Failure;
        }
        catch (NotSupportedException ex)
        {
            await _error.WriteLineAsync($"{Name}: {ex.Message}");
            return ExitCodes.Usage;
        }
        catch (ScoringException ex)
        {
            string hint = reader.ScorerKind == "llm"
                ? $"Check the model ({reader.Model}), the endpoint and the API key; or run offline with --scorer lexical."
                : "Check the scorer's input (criteria, ranker model).";
            await _error.WriteLineAsync($"{Name}: error: scoring failed, no digest was written: {ex.Message} {hint}");
            return ExitCodes.Failure;
        }
        catch (DigestStoreException ex)
        {
            await _error.WriteLineAsync($"{Name}: error: the store failed: {ex.Message} Pass another file with --store PATH.");
            return ExitCodes.Failure;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await _error.WriteLineAsync($"{Name}: error: cannot write into '{outDir}': {ex.Message} Choose another folder with --out DIR.");
            return ExitCodes.Failure;
        }
    }

    private async Task<ReaderRunResult> RunWithProgressAsync(ReaderPipeline reader, IDigestOutput output, DigestRunRequest request, CancellationToken cancellationToken)
    {
        if (!context.IsInteractive)
        {
            return await reader.RunAsync(output, request, new PlainProgress(_error), cancellationToken);
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(_error) });
        return await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async ctx =>
            {
                var progress = new SpectreProgress(ctx);
                var result = await reader.RunAsync(output, request, progress, cancellationToken);
                progress.Complete();
                return result;
            });
    }

    /// <summary>The warnings that changed the outcome (a guessed day, scores not cached, offline selection), whatever the log level.</summary>
    private async Task WriteWarningsAsync(DigestRunResult result)
    {
        foreach (var warning in result.Warnings)
        {
            await _error.WriteLineAsync($"{Name}: warning: {warning.Message} [{warning.Code}]");
        }
    }

    private async Task ReportAsync(ReaderRunResult outcome, ReaderPipeline reader, string outDir)
    {
        var result = outcome.Run;
        var s = result.Statistics;
        await _error.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"{Name}: announcement {Iso(result.AnnouncementDate)}: {s.Fetched} fetched, {s.Duplicates} duplicates, {s.SeenBefore} seen before, {s.Kept} kept; {s.Scored} scored ({s.FromCache} from the cache), {s.Unscored.Count} unscored; {s.Selected} selected."));
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

        if (reader.ScorerKind == "llm" && s.Usage.Count == 0)
        {
            await _error.WriteLineAsync($"{Name}: {reader.Model}: 0 tokens (every score came from the cache).");
        }

        foreach (string file in result.Outputs)
        {
            await context.Out.WriteLineAsync(Path.Combine(outDir, file));
        }

        await _error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{Name}: wrote {result.Outputs.Count} files into {Path.GetFullPath(outDir)} in {s.Elapsed.TotalSeconds:0.0} s."));
        if (outcome.Prescreen is { } p)
        {
            string cost = p.EstimatedCostSaved is { } c ? $"${c.ToString("0.00", CultureInfo.InvariantCulture)}" : "an unknown cost";
            await _error.WriteLineAsync($"{Name}: pre-screen: sent {p.Sent} of {p.Candidates} papers to the model ({p.ScreenedOut} scored by the learned ranker); saved ~{p.EstimatedTokensSaved?.ToString(CultureInfo.InvariantCulture) ?? "?"} tokens, {cost}.");
        }

        if (outcome.Training is { } training)
        {
            await _error.WriteLineAsync($"{Name}: learned ranker: {training}");
        }
    }

    private static string DescribeEstimate(DigestRunResult dry, LlmCostEstimate? estimate)
    {
        var s = dry.Statistics;
        string head = string.Create(CultureInfo.InvariantCulture, $"{Name}: announcement {Iso(dry.AnnouncementDate)}: {s.Fetched} fetched, {s.Kept} kept, {s.Kept - dry.PapersToScore.Count} already scored (cache), {dry.PapersToScore.Count} to score");
        if (estimate is null)
        {
            return head + "; the offline scorer costs nothing.";
        }

        string cost = estimate.Cost is { } c ? "$" + c.ToString("0.0000", CultureInfo.InvariantCulture) : "unknown (model not in the pricing table)";
        return head + string.Create(CultureInfo.InvariantCulture, $"; estimate (upper bound, see docs/cli.md): {estimate.Requests} requests, ~{estimate.InputTokens:N0} input and ~{estimate.OutputTokens:N0} output tokens, cost {cost}.");
    }

    private static DateOnly? ParseDate(string? text, string source)
    {
        if (text is null)
        {
            return null;
        }

        if (!DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            throw new ReaderProfileException($"--date '{text}' is not a date in yyyy-MM-dd form.");
        }

        return string.Equals(source, "api", StringComparison.OrdinalIgnoreCase) ? day
            : throw new ReaderProfileException($"--date needs --source api (the RSS feed only shows today's announcement{(source == "snapshot" ? "; the snapshot is the announcement of " + Iso(SnapshotSource.AnnouncementDate) : string.Empty)}).");
    }

    private static string Iso(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "-";
}

/// <summary>Warnings of the library (retries, unusable answers) as plain lines on stderr; errors the command reports itself, once.</summary>
internal sealed class ErrorWriterLoggerProvider(TextWriter error) : ILoggerProvider, ILogger
{
    public ILogger CreateLogger(string categoryName) => this;

    public void Dispose()
    {
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel == LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            lock (error)
            {
                error.WriteLine($"digest: warning: {formatter(state, exception)}");
            }
        }
    }
}
