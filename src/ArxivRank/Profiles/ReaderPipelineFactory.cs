using ArxivRank.Delivery;
using ArxivRank.Delivery.Slack;
using ArxivRank.Pipeline;
using ArxivRank.Ranking;
using ArxivRank.Rendering;
using ArxivRank.Scoring;
using ArxivRank.Sources;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArxivRank.Profiles;

/// <summary>What a host supplies to <see cref="ReaderPipelineFactory"/> besides the profile: the services a profile only names.</summary>
public sealed class ReaderPipelineServices
{
    /// <summary>Gets or sets a source that replaces the one the profile names (a host's offline snapshot, a test double); required for <c>source: snapshot</c>.</summary>
    public IArxivSource? Source { get; set; }

    /// <summary>Gets or sets the chat client of the <c>llm</c> scorer (the host builds it from <c>model</c>, <c>llmBaseUrl</c> and the key <c>apiKeyEnv</c> names). <see langword="null"/>: no LLM available.</summary>
    public IChatClient? ChatClient { get; set; }

    /// <summary>Gets or sets the Batch API client of a profile with <c>batchApi: true</c> (<c>ReaderProfileChatClient.CreateBatchClient</c>); required then.</summary>
    public IChatBatchClient? BatchClient { get; set; }

    /// <summary>Gets or sets the store (history, score cache, labels); default a new in-memory store.</summary>
    public IDigestStore? Store { get; set; }

    /// <summary>Gets or sets the innermost HTTP handler of the arXiv source; default the library's.</summary>
    public HttpMessageHandler? ArxivPrimaryHandler { get; set; }

    /// <summary>Gets or sets the contact (an e-mail address) arXiv sees in the User-Agent.</summary>
    public string? ArxivContact { get; set; }

    /// <summary>Gets or sets the logger factory; default none.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Gets or sets the clock; default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>Gets or sets how environment variables are read (the Slack token and webhook URL the profile names); default <see cref="Environment.GetEnvironmentVariable(string)"/>.</summary>
    public Func<string, string?>? Environment { get; set; }

    /// <summary>Gets the deliverers the host builds itself (the <c>email</c> one, from <c>ArxivRank.Email</c>'s <c>ReaderProfileEmail</c>); the factory adds the Slack ones the profile's <c>deliver</c> names.</summary>
    public IList<IDigestDeliverer> Deliverers { get; } = [];

    /// <summary>Gets or sets the innermost HTTP handler of the Slack deliverers (a test double); default the library's.</summary>
    public HttpMessageHandler? SlackPrimaryHandler { get; set; }

    /// <summary>Gets or sets a value indicating whether the pipeline takes the store's run lease (when the store is an <see cref="IRunLeaseStore"/>).</summary>
    /// <value>
    /// <see langword="true"/> by default. A host that keeps each reader's runs apart itself turns it off, so that one rule,
    /// not two, decides who runs: the cluster service claims every reader's run of a day in its database (docs/scaling.md).
    /// </value>
    public bool TakeRunLease { get; set; } = true;
}

/// <summary>
/// Turns a <see cref="ReaderProfile"/> into a ready <see cref="ReaderPipeline"/>: source, criteria, the scorer stack
/// (score cache, author/keyword rules, title screen, learned pre-screen), renderers and store. Every host (the CLI, the
/// scheduled host, a service) composes the daily digest through this one path.
/// </summary>
public static class ReaderPipelineFactory
{
    private const int MaxLoadedRankers = 16;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, ((DateTime Time, long Length) Stamp, LearnedRanker Ranker)> LoadedRankers = new(StringComparer.Ordinal);

    /// <summary>Builds the pipeline of a profile.</summary>
    /// <param name="profile">The profile; it is validated first (<see cref="ReaderProfileValidator"/>).</param>
    /// <param name="services">The services the profile names; default none (offline scorers, in-memory store).</param>
    /// <param name="cancellationToken">Cancels reading the criteria and model files.</param>
    /// <returns>The composed pipeline with what was decided (scorer, criteria) in <see cref="ReaderPipeline.Notes"/>.</returns>
    /// <exception cref="ReaderProfileException">The profile is invalid (<see cref="ReaderProfileException.IsInvalidProfile"/>), or a file it names cannot be used.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static async Task<ReaderPipeline> CreateAsync(ReaderProfile profile, ReaderPipelineServices? services = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ReaderProfileValidator.ThrowIfInvalid(profile);
        services ??= new ReaderPipelineServices();
        var notes = new List<string>();
        var loggerFactory = services.LoggerFactory ?? NullLoggerFactory.Instance;
        var time = services.TimeProvider ?? TimeProvider.System;
        var store = services.Store ?? new InMemoryArxivRankStore();
        var renderers = (profile.Formats is { Count: > 0 } f ? f : (IEnumerable<string>)ReaderProfile.DefaultFormats).Select(x => DigestRenderers.Create(x.ToLowerInvariant())).ToList();

        var (criteria, criteriaText) = await LoadCriteriaAsync(profile, notes, cancellationToken).ConfigureAwait(false);
        var scorer = await CreateScorerAsync(profile, services, criteria, store, notes, loggerFactory, cancellationToken).ConfigureAwait(false);
        var source = CreateSource(profile, services, loggerFactory, time, out bool ownsSource);
        // What the factory created, the pipeline disposes: the source's HTTP client and the deliverers' (not what the caller gave).
        var owned = new List<IDisposable>();
        if (ownsSource && source is IDisposable disposableSource)
        {
            owned.Add(disposableSource);
        }
        if (scorer.Kind == "llm" && profile.MaxCost is not null)
        {
            source = new MemoizingSource(source); // the cost estimate and the run share one download
        }

        var builder = DigestPipeline.CreateBuilder()
            .UseSource(source)
            .UseScorer(scorer.Scorer)
            .UseStore(store)
            .UseLoggerFactory(loggerFactory)
            .UseTimeProvider(time)
            .Configure(o =>
            {
                o.Categories = profile.Categories is { Count: > 0 } c ? [.. c] : [ReaderProfile.DefaultCategory];
                o.SkipProcessedCheck = IsSnapshot(profile);
                o.CriteriaText = criteriaText;
                o.ScorerName = scorer.Name;
                o.Selection.TopK = profile.TopK ?? o.Selection.TopK;
                o.Selection.MinRelevance = profile.MinRelevance ?? o.Selection.MinRelevance;
                o.Selection.MinNovelty = profile.MinNovelty ?? o.Selection.MinNovelty;
                o.Selection.OfflineTopK = profile.TopK ?? o.Selection.OfflineTopK;
                o.RunLease.Wait = TimeSpan.FromSeconds(profile.Wait ?? 0);
                o.RunLease.Enabled = services.TakeRunLease;
                if (scorer.Kind == "llm" && profile.BatchApi == true)
                {
                    o.ScoreCache.ChunkSize = int.MaxValue; // the day's cache misses go out as one batch, not one batch per chunk
                }

                // The lexical scorer's relevance is relative to the day's best paper, so its digest is its top-K unless
                // minRelevance asks for a cut-off too (learned relevance is a probability: the cut-off stays).
                o.Selection.ApplyCutOffsOffline = scorer.Kind != "lexical" || profile.MinRelevance is not null;
            });
        renderers.ForEach(r => builder.AddRenderer(r));
        foreach (var deliverer in CreateDeliverers(profile, services, loggerFactory, time))
        {
            builder.AddDeliverer(deliverer);
            if (deliverer is IDisposable disposable && !services.Deliverers.Contains(deliverer))
            {
                owned.Add(disposable);
            }
        }

        if (scorer.Kind != "llm")
        {
            builder.UseScoreCache(null); // offline scores cost nothing: nothing to cache
        }

        return new ReaderPipeline(profile, builder.Build(), store, renderers, criteria, notes, owned)
        {
            ScorerKind = scorer.Kind,
            ScorerDescription = scorer.Description,
            Model = scorer.Model,
            LlmOptions = scorer.LlmOptions,
            PrescreenReports = scorer.Reports,
        };
    }

    /// <summary>
    /// Creates the deliverers of a profile's <c>deliver</c> list (for <c>arxivrank deliver</c>, which needs no scorer): the
    /// Slack ones from <c>slack</c> and the variables it names, the others (<c>email</c>) taken from <see cref="ReaderPipelineServices.Deliverers"/>.
    /// </summary>
    /// <param name="profile">The (validated) profile.</param>
    /// <param name="services">The host's services (environment, extra deliverers, logging, clock); default none.</param>
    /// <returns>The deliverers, in the order of <c>deliver</c>, then the host's extra ones.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="profile"/> is <see langword="null"/>.</exception>
    /// <exception cref="ReaderProfileException">A delivery cannot be set up (a missing token, no email deliverer from the host); the message says what to set.</exception>
    public static IReadOnlyList<IDigestDeliverer> CreateDeliverers(ReaderProfile profile, ReaderPipelineServices? services = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        services ??= new ReaderPipelineServices();
        return CreateDeliverers(profile, services, services.LoggerFactory ?? NullLoggerFactory.Instance, services.TimeProvider ?? TimeProvider.System);
    }

    private static List<IDigestDeliverer> CreateDeliverers(ReaderProfile profile, ReaderPipelineServices services, ILoggerFactory loggerFactory, TimeProvider time)
    {
        var environment = services.Environment ?? System.Environment.GetEnvironmentVariable;
        var slack = profile.Slack ?? new ReaderSlackOptions();
        var list = new List<IDigestDeliverer>();
        foreach (string kind in (profile.Deliver ?? []).Select(k => k.ToLowerInvariant()))
        {
            try
            {
                switch (kind)
                {
                    case "slack":
                        string tokenEnv = slack.TokenEnv ?? SlackDeliveryOptions.DefaultTokenVariable;
                        list.Add(DigestDeliverers.CreateSlack(
                            new SlackDeliveryOptions
                            {
                                BotToken = environment(tokenEnv),
                                TokenName = tokenEnv,
                                Channel = slack.Channel,
                                BaseUrl = slack.BaseUrl is { } url ? new Uri(url.EndsWith('/') ? url : url + "/") : new SlackDeliveryOptions().BaseUrl,
                            },
                            time,
                            services.SlackPrimaryHandler,
                            loggerFactory));
                        break;
                    case "slack-webhook":
                        string urlEnv = slack.WebhookUrlEnv ?? SlackWebhookOptions.DefaultUrlVariable;
                        string? hook = environment(urlEnv);
                        list.Add(DigestDeliverers.CreateSlackWebhook(
                            new SlackWebhookOptions { WebhookUrl = Uri.TryCreate(hook, UriKind.Absolute, out var u) ? u : null, UrlName = urlEnv },
                            time,
                            services.SlackPrimaryHandler,
                            loggerFactory));
                        break;
                    default:
                        var given = services.Deliverers.FirstOrDefault(d => string.Equals(d.Kind, kind, StringComparison.OrdinalIgnoreCase))
                            ?? throw new ReaderProfileException($"deliver '{kind}' needs its deliverer from the host (for email: ArxivRank.Email's ReaderProfileEmail.Create), which this host did not supply.") { IsInvalidProfile = false };
                        list.Add(given);
                        break;
                }
            }
            catch (ArgumentException ex)
            {
                throw new ReaderProfileException($"deliver '{kind}' cannot be set up: {ex.Message}", ex) { IsInvalidProfile = false };
            }
        }

        list.AddRange(services.Deliverers.Where(d => !list.Contains(d) && !(profile.Deliver ?? []).Contains(d.Kind, StringComparer.OrdinalIgnoreCase)));
        return list;
    }

    private static bool IsSnapshot(ReaderProfile profile) => string.Equals(profile.Source, "snapshot", StringComparison.OrdinalIgnoreCase);

    private static async Task<(ScoringCriteria Criteria, string Text)> LoadCriteriaAsync(ReaderProfile profile, List<string> notes, CancellationToken cancellationToken)
    {
        ScoringCriteria criteria;
        string text;
        try
        {
            if (profile.Criteria is { } path)
            {
                text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
                criteria = ScoringCriteria.Parse(text);
            }
            else if (profile.CriteriaText is { } inline)
            {
                (criteria, text) = (ScoringCriteria.Parse(inline), inline);
            }
            else
            {
                (criteria, text) = (ScoringCriteria.Example, ScoringCriteria.ExampleText);
                notes.Add("criteria: the built-in example (efficient and well-understood deep learning); write your own with --criteria FILE (docs/criteria.md).");
            }
        }
        catch (Exception ex) when (ex is CriteriaException or IOException or UnauthorizedAccessException)
        {
            string what = profile.Criteria is null ? "criteriaText" : $"the criteria file '{profile.Criteria}'";
            throw new ReaderProfileException($"{what} cannot be used: {ex.Message}", ex) { IsInvalidProfile = false };
        }

        notes.AddRange(criteria.Warnings.Select(w => "criteria: " + w));
        if (profile.FollowedAuthors is { Count: > 0 } authors)
        {
            criteria = criteria with { FollowedAuthors = [.. criteria.FollowedAuthors, .. authors] };
        }

        return (criteria, text);
    }

    private static async Task<ScorerStack> CreateScorerAsync(ReaderProfile profile, ReaderPipelineServices services, ScoringCriteria criteria, IDigestStore store, List<string> notes, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        string keyVariable = profile.ApiKeyEnv ?? ReaderProfile.DefaultApiKeyEnv;
        string kind = profile.Scorer?.ToLowerInvariant() ?? (services.ChatClient is null ? "lexical" : "llm");
        var rules = PaperRules.FromCriteria(criteria);
        if (kind != "llm" && profile.Prescreen is not null)
        {
            notes.Add("pre-screen: off (it only saves model calls for --scorer llm).");
        }

        if (kind == "lexical")
        {
            string why = profile.Scorer is null ? $"lexical (offline, no model; set {keyVariable} or --llm-base-url for the LLM scorer)" : "lexical (offline, no model)";
            return new ScorerStack("lexical", "lexical", PaperScorers.CreateLexical(criteria), why); // applies the criteria's rules
        }

        if (kind == "learned")
        {
            // Without a model file, the reader's own model in the store: how a service reader, who may not name a file,
            // gets a learned scorer of their own.
            var (learned, file) = await LoadProfileRankerAsync(profile, store, cancellationToken).ConfigureAwait(false);
            return learned is null
                ? throw new ReaderProfileException(
                    $"scorer 'learned' needs a model: set ranker (--ranker MODEL, a file written by 'arxivrank train'), or train one into the store first ('arxivrank train --store PATH'; it also trains itself after {new AutoTrainingOptions().MinDays} LLM digests).")
                : new ScorerStack("learned", LearnedRanker.ScorerName, learned.AsScorer().WithRules(rules), $"learned ({file ?? "the store's model"}, offline)");
        }

        if (services.ChatClient is not { } chat)
        {
            throw new ReaderProfileException($"scorer 'llm' needs an API key in {keyVariable}{(profile.ApiKeyEnv is null ? " (or another variable named by apiKeyEnv, --api-key-env)" : string.Empty)}, or llmBaseUrl (--llm-base-url) pointing at a local server (docs/providers.md).");
        }

        string model = profile.Model ?? ReaderProfile.DefaultModel;
        var options = new LlmScorerOptions { ModelId = model, TitleScreen = profile.TitleScreen ?? true };
        options.BatchSize = profile.BatchSize ?? options.BatchSize;
        options.MaxConcurrency = profile.Concurrency ?? options.MaxConcurrency;
        var time = services.TimeProvider ?? TimeProvider.System;
        var scorerLogger = loggerFactory.CreateLogger("ArxivRank.Scoring.LlmPaperScorer");
        string where = profile.LlmBaseUrl is { } url ? new Uri(url).GetLeftPart(UriPartial.Path) : "OpenAI";
        IPaperScorer llm; // applies the criteria's rules
        if (profile.BatchApi == true)
        {
            if (services.BatchClient is not { } batchClient)
            {
                throw new ReaderProfileException("batchApi needs a Batch API client from the host (ReaderPipelineServices.BatchClient; the CLI makes one from llmBaseUrl and the key).");
            }

            var batchOptions = new BatchApiOptions
            {
                PollInterval = TimeSpan.FromSeconds(profile.BatchPollSeconds ?? 30),
                MaxWait = TimeSpan.FromSeconds(profile.MaxWait ?? 3600),
                Fallback = string.Equals(profile.BatchFallback, "none", StringComparison.OrdinalIgnoreCase) ? BatchFallback.None : BatchFallback.Sync,
                Metadata = { ["client"] = "arxivrank", ["run"] = time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture) },
            };
            batchOptions.MaxPollInterval = batchOptions.PollInterval > batchOptions.MaxPollInterval ? batchOptions.PollInterval : batchOptions.MaxPollInterval;
            llm = chat.AsBatchPaperScorer(batchClient, criteria, options, batchOptions, store as IBatchJobStore, cache: null, scorerLogger, time);
            notes.Add($"batch API: on (poll every {batchOptions.PollInterval.TotalSeconds:0} s growing to {batchOptions.MaxPollInterval.TotalSeconds:0} s, wait at most {batchOptions.MaxWait.TotalSeconds:0} s, fallback {batchOptions.Fallback.ToString().ToLowerInvariant()}).");
        }
        else
        {
            llm = chat.AsPaperScorer(criteria, options, cache: null, scorerLogger, time);
        }

        var stack = new ScorerStack("llm", model, llm.AsBuilder().UseLogging(loggerFactory).Build(), $"llm ({model} at {where}{(profile.BatchApi == true ? ", Batch API" : string.Empty)})") { Model = model, LlmOptions = options };

        // The pre-screen: only the learned model's top share (plus rule matches, unsure papers and a small random
        // sample) goes to the LLM. The seed changes daily, so the exploration sample differs from day to day.
        if (profile.Prescreen is { } share)
        {
            // The run says which model it used.
            var (ranker, file) = await LoadProfileRankerAsync(profile, store, cancellationToken).ConfigureAwait(false);
            string from = file is null ? "the store's learned model" : $"the model file {file}";
            if (ranker is null)
            {
                notes.Add($"pre-screen: off, the store has no learned model yet (it trains itself after {new AutoTrainingOptions().MinDays} LLM digests, or run 'arxivrank train', or pass --ranker MODEL).");
            }
            else
            {
                notes.Add($"pre-screen: ranking with {from}{(profile.Ranker is not null && store is ILabelStore ? " (a model file wins over the store's model)" : string.Empty)}.");
                var prescreen = new PrescreenOptions { Share = share, Seed = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime).DayNumber, Rules = rules };
                var reports = stack.Reports;
                stack = stack with
                {
                    // Outermost first: logging, the rules (already inside the LLM scorer, so not applied twice), then the
                    // pre-screen, which sends every paper a rule decides on to the LLM scorer below it.
                    Scorer = llm.AsBuilder()
                        .UseLogging(loggerFactory)
                        .UseRules(rules)
                        .UsePrescreen(ranker, prescreen, r => { lock (reports) { reports.Add(r); } })
                        .Build(),
                };
            }
        }

        return stack;
    }

    /// <summary>The learned model a profile names: its model file (<c>ranker</c>) wins over the model the store keeps; <c>File</c> is <see langword="null"/> for the store's, and the ranker for none.</summary>
    private static async Task<(LearnedRanker? Ranker, string? File)> LoadProfileRankerAsync(ReaderProfile profile, IDigestStore store, CancellationToken cancellationToken)
        => profile.Ranker is { } file
            ? (await LoadRankerAsync(file, cancellationToken).ConfigureAwait(false), file)
            : (store is ILabelStore labels ? await labels.LoadModelAsync(cancellationToken).ConfigureAwait(false) : null, null);

    private static async Task<LearnedRanker> LoadRankerAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            // A host that makes many readers' pipelines (the cluster service) loads a shared model file once, not once per
            // reader; a changed file (time or length) is read again. A trained ranker is immutable and thread-safe.
            var file = new FileInfo(path);
            var stamp = (file.LastWriteTimeUtc, file.Length);
            if (LoadedRankers.TryGetValue(file.FullName, out var loaded) && loaded.Stamp == stamp)
            {
                return loaded.Ranker;
            }

            var stream = File.OpenRead(path);
            await using (stream.ConfigureAwait(false))
            {
                var ranker = await LearnedRanker.LoadAsync(stream, cancellationToken).ConfigureAwait(false);
                if (LoadedRankers.Count >= MaxLoadedRankers)
                {
                    LoadedRankers.Clear();
                }

                LoadedRankers[file.FullName] = (stamp, ranker);
                return ranker;
            }
        }
        catch (Exception ex) when (ex is LearnedRankerException or IOException or UnauthorizedAccessException)
        {
            throw new ReaderProfileException($"the ranker model '{path}' cannot be used: {ex.Message}", ex) { IsInvalidProfile = false };
        }
    }

    private static IArxivSource CreateSource(ReaderProfile profile, ReaderPipelineServices services, ILoggerFactory loggerFactory, TimeProvider time, out bool owned)
    {
        owned = false;
        if (services.Source is { } given)
        {
            return given;
        }

        if (IsSnapshot(profile))
        {
            throw new ReaderProfileException("source 'snapshot' needs a snapshot source from the host (the CLI and the sample host have one); use rss or api otherwise.");
        }

        var options = new ArxivSourceOptions();
        if (profile.BaseUrl is { } url)
        {
            options.BaseUrl = new Uri(url);
        }

        var t = profile.Arxiv ?? new ReaderArxivOptions();
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

        if (services.ArxivContact is { Length: > 0 } who)
        {
            options.Contact = who;
        }

        var kind = string.Equals(profile.Source, "api", StringComparison.OrdinalIgnoreCase) ? ArxivSourceKind.Api : ArxivSourceKind.Rss;
        try
        {
            owned = true;
            return ArxivSources.Create(kind, options, time, services.ArxivPrimaryHandler, loggerFactory);
        }
        catch (ArgumentException ex)
        {
            throw new ReaderProfileException(ex.Message, ex);
        }
    }

    private sealed record ScorerStack(string Kind, string Name, IPaperScorer Scorer, string Description)
    {
        public string? Model { get; init; }

        public LlmScorerOptions? LlmOptions { get; init; }

        public List<PrescreenReport> Reports { get; } = [];
    }

    /// <summary>Answers every fetch with the first result, so a cost estimate and the run share one download.</summary>
    private sealed class MemoizingSource(IArxivSource inner) : IArxivSource
    {
        private SourceResult? _result;

        public async Task<SourceResult> FetchAsync(ArxivQuery query, CancellationToken cancellationToken = default)
            => _result ??= await inner.FetchAsync(query, cancellationToken).ConfigureAwait(false);
    }
}
