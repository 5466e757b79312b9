using System.Diagnostics;
using System.Globalization;
using ArxivRank.Delivery;
using ArxivRank.Rendering;
using ArxivRank.Scoring;
using ArxivRank.Selection;
using ArxivRank.Sources;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArxivRank.Pipeline;

/// <summary>
/// The daily digest, end to end: fetch the announcement, drop duplicates and papers seen on an earlier day, score (score
/// cache first; the scorer applies its author rules and title screen), select, render every format, and record the day.
/// </summary>
/// <remarks>
/// <para>Create one with <see cref="CreateBuilder"/> (console apps) or <c>services.AddArxivRank(…)</c> (dependency
/// injection). A pipeline is thread-safe, but two runs for the same day at once would both write it.</para>
/// <para>Nothing is written unless the run gets that far: rendering goes to memory first, so a scorer or renderer failure
/// leaves no digest file, and a day counts as processed only after its digest was written.</para>
/// </remarks>
public sealed class DigestPipeline
{
    private readonly IArxivSource _source;
    private readonly IPaperScorer _scorer;
    private readonly CachingPaperScorer? _cachingScorer;
    private readonly IReadOnlyList<IDigestRenderer> _renderers;
    private readonly IDigestStore _store;
    private readonly PaperSelector _selector;
    private readonly DigestPipelineOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly PipelineTelemetry _telemetry;
    private readonly ScorerMetadata? _scorerIdentity;
    private readonly string? _cacheOffWarning;
    private readonly DigestDelivery? _delivery;

    internal DigestPipeline(
        IArxivSource source,
        IPaperScorer scorer,
        IEnumerable<IDigestRenderer> renderers,
        IDigestStore store,
        IScoreCache? scoreCache,
        DigestPipelineOptions options,
        TimeProvider? timeProvider,
        ILoggerFactory? loggerFactory,
        PipelineTelemetry? telemetry,
        IEnumerable<IDigestDeliverer>? deliverers = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(renderers);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        options = options.Clone();
        var problems = options.Validate().ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        }

        loggerFactory ??= NullLoggerFactory.Instance;
        _source = source;
        _renderers = [.. renderers];
        _store = store;
        _options = options;
        _selector = new PaperSelector(options.Selection);
        _time = timeProvider ?? TimeProvider.System;
        _logger = loggerFactory.CreateLogger<DigestPipeline>();
        _telemetry = telemetry ?? PipelineTelemetry.Default;
        var delivererList = deliverers?.ToList() ?? [];
        if (delivererList.Count > 0)
        {
            _delivery = new DigestDelivery(delivererList, store as IDeliveryStore, _time, loggerFactory.CreateLogger<DigestDelivery>());
        }

        _scorerIdentity = ScorerIdentity.Of(scorer);
        if (scorer.GetService<CachingPaperScorer>() is { } own)
        {
            // The scorer brings its own cache (PaperScorerBuilder.UseScoreCache): do not cache twice.
            _cachingScorer = scorer as CachingPaperScorer;
            _scorer = scorer;
            _cacheOffWarning = own.IdentityUnknown ? CacheOffMessage(own.WhyNotCached) : null;
        }
        else if (scoreCache is not null && options.ScoreCache.Enabled)
        {
            _cachingScorer = new CachingPaperScorer(scorer, scoreCache, options.ScoreCache, loggerFactory.CreateLogger<CachingPaperScorer>());
            _scorer = _cachingScorer;
            _cacheOffWarning = _cachingScorer.IdentityUnknown ? CacheOffMessage(_cachingScorer.WhyNotCached) : null;
        }
        else
        {
            _scorer = scorer;
        }
    }

    private static string CacheOffMessage(string? why)
        => $"Scores are not cached, so a re-run pays for every paper again: {why}.";

    /// <summary>Starts building a pipeline without dependency injection.</summary>
    /// <returns>A new builder.</returns>
    public static DigestPipelineBuilder CreateBuilder() => new();

    /// <summary>Gets the store the pipeline records days in.</summary>
    public IDigestStore Store => _store;

    /// <summary>Gets the delivery after each written digest, or <see langword="null"/> when no deliverer was added.</summary>
    public DigestDelivery? Delivery => _delivery;

    /// <summary>Gets a copy of the options the pipeline runs with (changing it does not affect the pipeline).</summary>
    public DigestPipelineOptions Options => _options.Clone();

    /// <summary>Runs the pipeline once: fetches the latest announcement (or the request's day) and writes its digest.</summary>
    /// <param name="output">Where the renderers write (a folder, memory…).</param>
    /// <param name="request">What this run should do differently (force, day, query, dry run); defaults when <see langword="null"/>.</param>
    /// <param name="progress">Receives progress per stage; may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the run at any point; a canceled run marks nothing processed.</param>
    /// <returns>The digest and its statistics, or why there was nothing new.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArxivSourceException">The source's response was unusable, or arXiv reported an error.</exception>
    /// <exception cref="NotSupportedException">The source cannot answer the query (an RSS feed asked for an old day).</exception>
    /// <exception cref="ScoringException">Too many papers could not be scored (or none could); no digest was written.</exception>
    /// <exception cref="DigestStoreException">The store cannot be read or written.</exception>
    /// <exception cref="InvalidOperationException">Two renderers wrote an output of the same name; nothing was written.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public async Task<DigestRunResult> RunAsync(
        IDigestOutput output,
        DigestRunRequest? request = null,
        IProgress<PipelineProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        request ??= new DigestRunRequest();
        using var run = new RunState(this, progress);
        using var activity = PipelineTelemetry.ActivitySource.StartActivity("arxivrank.digest");
        Log.PipelineRunStarting(_logger, string.Join(',', request.Query?.Categories ?? [.. _options.Categories]), request.Force, request.DryRun);
        try
        {
            var result = await RunCoreAsync(output, request, run, activity, cancellationToken).ConfigureAwait(false);
            _telemetry.Runs.Add(1, new KeyValuePair<string, object?>("arxivrank.outcome", OutcomeName(result.Status)));
            activity?.SetTag("arxivrank.outcome", OutcomeName(result.Status));
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Log.PipelineCanceled(_logger, StageNames.Of(run.CurrentStage));
            activity?.SetStatus(ActivityStatusCode.Error, "canceled");
            throw;
        }
        catch (ScoringException ex)
        {
            Log.PipelineScoringFailed(_logger, ex.Message, ex);
            RecordFailure(activity, ex, run);
            if (ex.PartialResult is { } partial)
            {
                _telemetry.RecordUsage(partial.Usage);
                _telemetry.PapersUnscored.Add(partial.Unscored.Count);
            }

            throw;
        }
        catch (Exception ex)
        {
            Log.PipelineFailed(_logger, StageNames.Of(run.CurrentStage), ex);
            RecordFailure(activity, ex, run);
            throw;
        }
    }

    private async Task<DigestRunResult> RunCoreAsync(IDigestOutput output, DigestRunRequest request, RunState run, Activity? activity, CancellationToken cancellationToken)
    {
        bool checkProcessed = !request.Force && !_options.SkipProcessedCheck;

        // 1. Fetch.
        run.Begin(PipelineStage.Fetch, 0);
        DateOnly? lastProcessed = checkProcessed ? await _store.GetLastProcessedAsync(cancellationToken).ConfigureAwait(false) : null;
        var query = BuildQuery(request, lastProcessed);
        var fetched = await _source.FetchAsync(query, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The source {_source.GetType().Name} returned no result.");
        var fetchedPapers = fetched.Papers ?? [];
        int totalItems = Math.Max(fetched.Counts?.TotalItems ?? 0, fetchedPapers.Count);
        run.End(totalItems, fetchedPapers.Count);

        if (fetched.Status == FetchStatus.NoNewAnnouncement)
        {
            if (!request.DryRun && fetched.AnnouncementDate is { } processed
                && await DeliverPendingAsync(processed, fetched, run, cancellationToken).ConfigureAwait(false) is { } delivered)
            {
                return delivered;
            }

            string reason = fetched.AnnouncementDate is { } shown
                ? $"the source still shows the announcement of {shown:yyyy-MM-dd}, which was already processed (or there is no announcement today)."
                : "the source has no announcement (a weekend or a holiday).";
            return NoNew(reason, fetched, run);
        }

        var date = ResolveAnnouncementDate(fetched, request, run);
        activity?.SetTag("arxivrank.announcement_date", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Log.PipelineFetched(_logger, fetchedPapers.Count, Iso(date), totalItems, fetched.Diagnostics?.Count ?? 0);

        // One run per store from here on: the lease is taken after the fetch, so a run that cannot reach arXiv stores
        // nothing (not even a lease), and before the history is read, so a second run sees the first one's day.
        if (request.DryRun || !_options.RunLease.Enabled || _store is not IRunLeaseStore leases)
        {
            return await ProcessAsync(output, request, run, fetched, date, query, checkProcessed, cancellationToken).ConfigureAwait(false);
        }

        var lease = await RunLeaseScope.AcquireAsync(leases, _options.RunLease, _time, _logger, cancellationToken).ConfigureAwait(false);
        await using (lease.ConfigureAwait(false))
        {
            try
            {
                return await ProcessAsync(output, request, run, fetched, date, query, checkProcessed, lease.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (lease.IsLost && !cancellationToken.IsCancellationRequested)
            {
                throw new RunLeaseHeldException(
                    $"This run lost the store's run lease to another run ({lease.LostTo?.ToString() ?? "unknown"}) and stopped; its paid-for scores are kept. Run again later.",
                    ex)
                {
                    Holder = lease.LostTo,
                };
            }
        }
    }

    private async Task<DigestRunResult> ProcessAsync(
        IDigestOutput output,
        DigestRunRequest request,
        RunState run,
        SourceResult fetched,
        DateOnly date,
        ArxivQuery query,
        bool checkProcessed,
        CancellationToken cancellationToken)
    {
        var fetchedPapers = fetched.Papers ?? [];
        int totalItems = Math.Max(fetched.Counts?.TotalItems ?? 0, fetchedPapers.Count);
        if (checkProcessed && await _store.IsProcessedAsync(date, cancellationToken).ConfigureAwait(false))
        {
            if (!request.DryRun && await DeliverPendingAsync(date, fetched, run, cancellationToken).ConfigureAwait(false) is { } delivered)
            {
                return delivered;
            }

            return NoNew($"the announcement of {Iso(date)} was already processed; use force to regenerate it.", fetched, run, date);
        }

        // 2. Dedupe: one paper per canonical id, the first occurrence (at its highest version seen).
        run.Begin(PipelineStage.Dedupe, fetchedPapers.Count);
        var unique = Deduplicate(fetchedPapers);
        run.End(fetchedPapers.Count, unique.Count);

        // 3. Already seen on an earlier announcement day? The day's own papers stay.
        run.Begin(PipelineStage.Seen, unique.Count);
        var kept = unique;
        if (_options.SkipSeenPapers && unique.Count > 0)
        {
            var seen = await _store.GetSeenBeforeAsync(date, [.. unique.Select(p => p.Id)], cancellationToken).ConfigureAwait(false);
            kept = [.. unique.Where(p => !seen.Contains(p.Id.WithoutVersion()))];
        }

        run.End(unique.Count, kept.Count);
        int duplicates = fetchedPapers.Count - unique.Count;
        int seenBefore = unique.Count - kept.Count;
        Log.PipelineFiltered(_logger, kept.Count, fetchedPapers.Count, duplicates, seenBefore);
        var statistics = new DigestRunStatistics
        {
            TotalItems = totalItems,
            Fetched = fetchedPapers.Count,
            Duplicates = duplicates,
            SeenBefore = seenBefore,
            Kept = kept.Count,
        };

        if (request.DryRun)
        {
            var toScore = _cachingScorer is not null ? await _cachingScorer.FindMissesAsync(kept, cancellationToken).ConfigureAwait(false) : kept;
            Log.PipelineDryRun(_logger, toScore.Count, kept.Count, kept.Count - toScore.Count);
            return new DigestRunResult
            {
                Status = DigestRunStatus.DryRun,
                AnnouncementDate = date,
                Statistics = statistics with { Stages = run.Stages, Elapsed = run.Elapsed },
                Diagnostics = fetched.Diagnostics ?? [],
                PapersToScore = toScore,
                Warnings = run.Warnings,
            };
        }

        // 4. Score (cache first; the scorer applies its rules and title screen).
        if (_cacheOffWarning is not null && kept.Count > 0)
        {
            run.Warn(DigestRunWarningCodes.ScoreCacheOff, _cacheOffWarning);
        }

        run.Begin(PipelineStage.Score, kept.Count);
        var scoring = await ScoreAsync(kept, run, cancellationToken).ConfigureAwait(false);
        var (entries, unscored) = Account(kept, scoring.Result);
        run.End(kept.Count, entries.Count);
        Log.PipelineScored(_logger, entries.Count, scoring.CacheHits, unscored.Count);
        foreach (var u in unscored)
        {
            Log.PipelineUnscoredPaper(_logger, u.Paper.Id.ToString(), u.Reason);
        }

        var usage = UsageMath.Merge(scoring.Result.Usage ?? []);
        _telemetry.PapersFromCache.Add(scoring.CacheHits);
        _telemetry.PapersScored.Add(entries.Count - scoring.CacheHits);
        _telemetry.PapersUnscored.Add(unscored.Count);
        _telemetry.RecordUsage(usage);
        if (kept.Count > 0 && entries.Count == 0)
        {
            string first = unscored.Count > 0 ? unscored[0].Reason : "no reason given";
            throw new ScoringException($"None of the {kept.Count} papers could be scored (first reason: {first}). No digest was written; check the scorer's configuration and try again.")
            {
                PartialResult = scoring.Result,
            };
        }

        // 5. Select.
        run.Begin(PipelineStage.Select, entries.Count);
        var selection = _selector.Select(entries);
        run.End(entries.Count, selection.Selected.Count);
        Log.PipelineSelected(_logger, selection.Selected.Count, selection.Candidates, selection.RuleMatches, selection.CutByRelevance, selection.CutByNovelty, selection.CutByTopK, selection.IsOffline);
        if (selection.IsOffline)
        {
            run.Warn(DigestRunWarningCodes.OfflineSelection, OfflineSelectionMessage());
        }

        statistics = statistics with
        {
            Scored = entries.Count,
            FromCache = scoring.CacheHits,
            Unscored = unscored,
            Selected = selection.Selected.Count,
            Usage = usage,
            OfflineSelection = selection.IsOffline,
        };

        var navigation = await _store.GetNavigationAsync(date, cancellationToken).ConfigureAwait(false);
        var digest = new Digest
        {
            Date = date,
            Papers = selection.Selected,
            Totals = new DigestTotals
            {
                TotalPapers = totalItems,
                ScannedPapers = kept.Count,
                ScoredPapers = entries.Count,
                RelevantPapers = selection.Selected.Count,
            },
            Usage = usage,
            CriteriaText = _options.CriteriaText ?? _scorerIdentity?.CriteriaText,
            Categories = [.. query.Categories],
            Unscored = unscored,
            Stages = run.Stages,
            Navigation = navigation,
            ScorerName = _options.ScorerName ?? ScorerModelId(),
        };

        // 6. Render into memory, then write: a failing renderer leaves no partial digest behind.
        run.Begin(PipelineStage.Render, selection.Selected.Count);
        var outputs = await RenderAsync(digest, output, cancellationToken).ConfigureAwait(false);
        run.End(selection.Selected.Count, selection.Selected.Count);
        DeliveryReport? delivery = null;
        if (_renderers.Count == 0)
        {
            // Nothing was written, so the day must not count as processed: the next run (with a renderer) builds it again.
            run.Warn(DigestRunWarningCodes.NoRenderer, $"No renderer is configured: the digest of {Iso(date)} was built but not written, and the day was not marked processed. Add one with AddRenderer(…).");
            return Finished(DigestRunStatus.NotRendered, digest);
        }

        // 7. Record the day: only now does it count as processed.
        run.Begin(PipelineStage.Store, unique.Count);
        var stages = run.StagesIncluding(PipelineStage.Store, unique.Count);
        digest = digest with { Stages = stages };
        await _store.MarkProcessedAsync(
            new DigestRecord
            {
                Date = date,
                SeenPaperIds = [.. unique.Select(p => p.Id.WithoutVersion())],
                TotalPapers = totalItems,
                ScannedPapers = kept.Count,
                SelectedPapers = selection.Selected.Count,
                ProcessedAt = _time.GetUtcNow(),
                DigestJson = _options.StoreDigestJson ? StoredDigest.Serialize(digest) : null,
            },
            cancellationToken).ConfigureAwait(false);
        run.End(unique.Count, unique.Count);
        Log.PipelineMarkedProcessed(_logger, Iso(date));

        // 8. Deliver: the day is stored, so a failed delivery keeps the digest and is finished by the next run.
        if (_delivery is not null)
        {
            run.Begin(PipelineStage.Deliver, selection.Selected.Count);
            delivery = await _delivery.DeliverAsync(digest, resend: false, cancellationToken).ConfigureAwait(false);
            run.End(selection.Selected.Count, selection.Selected.Count);
        }

        Log.PipelineCompleted(_logger, Iso(date), selection.Selected.Count, kept.Count, (long)run.Elapsed.TotalMilliseconds);

        return Finished(DigestRunStatus.Written, digest);

        DigestRunResult Finished(DigestRunStatus status, Digest built) => new()
        {
            Status = status,
            AnnouncementDate = date,
            Digest = built,
            Statistics = statistics with { Stages = run.Stages, Elapsed = run.Elapsed },
            Diagnostics = fetched.Diagnostics ?? [],
            Outputs = outputs,
            Scored = entries,
            Warnings = run.Warnings,
            Delivery = delivery,
        };
    }

    private string OfflineSelectionMessage()
    {
        var s = _options.Selection;
        string relevance = s.MinRelevance is { } min
            ? (s.ApplyCutOffsOffline ? $"the relevance cut-off ({min}) still applies" : "no relevance cut-off (SelectionOptions.ApplyCutOffsOffline is false)")
            : "no relevance cut-off";
        string topK = s.TopK is { } k ? $"top {k}" : $"at most {s.OfflineTopK} papers (SelectionOptions.OfflineTopK)";
        return $"The scorer judged no novelty, so this is an offline selection: no novelty cut-off, {relevance}, {topK}.";
    }

    private ArxivQuery BuildQuery(DigestRunRequest request, DateOnly? lastProcessed)
    {
        var query = request.Query ?? new ArxivQuery
        {
            Categories = [.. _options.Categories],
            AnnounceTypes = new HashSet<AnnounceType>(_options.AnnounceTypes),
            PrimaryCategoryOnly = _options.PrimaryCategoryOnly,
            From = request.Date,
            Until = request.Date,
        };
        return query with { LastProcessedAnnouncement = lastProcessed };
    }

    private DateOnly ResolveAnnouncementDate(SourceResult fetched, DigestRunRequest request, RunState run)
    {
        if (fetched.AnnouncementDate is { } announced)
        {
            return announced;
        }

        if (request.Date is { } requested)
        {
            return requested;
        }

        var fromPapers = (fetched.Papers ?? [])
            .Where(p => p.AnnouncedOn is not null)
            .GroupBy(p => p.AnnouncedOn!.Value)
            .OrderByDescending(g => g.Count())
            .ThenByDescending(g => g.Key)
            .Select(g => (DateOnly?)g.Key)
            .FirstOrDefault();
        if (fromPapers is { } common)
        {
            Log.PipelineAnnouncementDateGuessed(_logger, Iso(common), "the most common announcement day of the papers");
            run.Warn(DigestRunWarningCodes.AnnouncementDateGuessed, $"The source did not say which announcement day the papers belong to: the digest is filed under {Iso(common)}, the most common announcement day of the papers.");
            return common;
        }

        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(_time.GetUtcNow(), ArxivTimeZone.Value).DateTime);
        Log.PipelineAnnouncementDateGuessed(_logger, Iso(today), "today in arXiv's time zone");
        run.Warn(
            DigestRunWarningCodes.AnnouncementDateGuessed,
            $"The source did not say which announcement day the papers belong to, and no paper did: the digest is filed under today, {Iso(today)} ({today.DayOfWeek}). Set SourceResult.AnnouncementDate or pass DigestRunRequest.Date.");
        return today;
    }

    private static List<Paper> Deduplicate(IReadOnlyList<Paper> papers)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var unique = new List<Paper>(papers.Count);
        foreach (var paper in papers)
        {
            if (paper is null)
            {
                continue;
            }

            if (index.TryGetValue(paper.Id.Id, out int at))
            {
                // Keep the first occurrence, at the highest version any occurrence carried.
                if (paper.Id.Version is { } v && (unique[at].Id.Version is not { } kept || v > kept))
                {
                    unique[at] = unique[at] with { Id = paper.Id };
                }

                continue;
            }

            index[paper.Id.Id] = unique.Count;
            unique.Add(paper);
        }

        return unique;
    }

    private async Task<CachedScoringResult> ScoreAsync(List<Paper> papers, RunState run, CancellationToken cancellationToken)
    {
        if (papers.Count == 0)
        {
            return new CachedScoringResult(new ScoringResult(), 0);
        }

        var progress = run.ScoringProgress();
        if (_cachingScorer is not null)
        {
            return await _cachingScorer.ScoreWithCacheAsync(papers, progress, cancellationToken).ConfigureAwait(false);
        }

        var result = await _scorer.ScoreAsync(papers, progress, cancellationToken).ConfigureAwait(false);
        return new CachedScoringResult(result ?? new ScoringResult(), 0);
    }

    /// <summary>Pairs every paper with its score, or with the reason it has none: no paper is lost, whatever the scorer returned.</summary>
    private (List<DigestEntry> Entries, List<UnscoredPaper> Unscored) Account(List<Paper> papers, ScoringResult result)
    {
        var byId = new Dictionary<string, Paper>(StringComparer.Ordinal);
        foreach (var paper in papers)
        {
            byId[paper.Id.Id] = paper;
        }

        var done = new HashSet<string>(StringComparer.Ordinal);
        var entries = new List<DigestEntry>(papers.Count);
        foreach (var score in result.Scores ?? [])
        {
            if (score is null)
            {
                continue;
            }

            if (!byId.TryGetValue(score.PaperId.Id, out var paper))
            {
                Log.PipelineScorerUnknownPaper(_logger, score.PaperId.ToString());
                continue;
            }

            if (done.Add(paper.Id.Id))
            {
                entries.Add(new DigestEntry(paper, score));
            }
        }

        var unscored = new List<UnscoredPaper>();
        foreach (var u in result.Unscored ?? [])
        {
            if (u?.Paper is not null && byId.TryGetValue(u.Paper.Id.Id, out var paper) && done.Add(paper.Id.Id))
            {
                unscored.Add(new UnscoredPaper(paper, string.IsNullOrWhiteSpace(u.Reason) ? "The scorer gave no reason." : u.Reason));
            }
        }

        foreach (var paper in papers)
        {
            if (done.Add(paper.Id.Id))
            {
                Log.PipelineScorerLostPaper(_logger, paper.Id.ToString());
                unscored.Add(new UnscoredPaper(paper, "The scorer returned neither a score nor a reason for this paper."));
            }
        }

        return (entries, unscored);
    }

    private async Task<IReadOnlyList<string>> RenderAsync(Digest digest, IDigestOutput output, CancellationToken cancellationToken)
    {
        if (_renderers.Count == 0)
        {
            Log.PipelineNoRenderers(_logger, Iso(digest.Date));
            return [];
        }

        var buffer = new MemoryDigestOutput();
        var writers = new Dictionary<string, IDigestRenderer>(StringComparer.Ordinal);
        foreach (var renderer in _renderers)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int before = buffer.Names.Count;
            try
            {
                await renderer.RenderAsync(digest, buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOutputNameException ex)
            {
                throw new InvalidOperationException($"The renderer '{renderer.Format}' ({renderer.GetType().Name}) asked for an invalid output: {ex.Message}", ex);
            }

            foreach (string name in buffer.Names.Skip(before))
            {
                // Two renderers writing one name would silently keep only the last one's output.
                if (writers.TryGetValue(name, out var first) && !ReferenceEquals(first, renderer))
                {
                    throw new InvalidOperationException(
                        $"The renderers '{first.Format}' ({first.GetType().Name}) and '{renderer.Format}' ({renderer.GetType().Name}) both wrote '{name}', "
                        + "so one digest would replace the other: give each renderer its own file names (the format as the extension, as the built-in ones do), or remove the duplicate AddRenderer.");
                }

                writers[name] = renderer;
            }
        }

        var names = buffer.Names.Distinct(StringComparer.Ordinal).ToList();
        foreach (string name in names)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var stream = await output.CreateAsync(name, buffer.GetMediaType(name), cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(buffer.GetBytes(name), cancellationToken).ConfigureAwait(false);
            }
        }

        Log.PipelineRendered(_logger, names.Count, Iso(digest.Date), _renderers.Count);
        return names;
    }

    /// <summary>Sends a day already in the store again on purpose (<c>arxivrank deliver --date D</c>), or only to the targets that do not have it.</summary>
    /// <param name="day">The announcement day.</param>
    /// <param name="resend"><see langword="true"/> to send to every target again; <see langword="false"/> for only the pending ones.</param>
    /// <param name="cancellationToken">Cancels the delivery.</param>
    /// <returns>One outcome per target.</returns>
    /// <exception cref="InvalidOperationException">No deliverer was added to the pipeline.</exception>
    /// <exception cref="DigestStoreException">The store has no digest of that day, or cannot be read or written.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public async Task<DeliveryReport> DeliverAsync(DateOnly day, bool resend = true, CancellationToken cancellationToken = default)
    {
        var delivery = _delivery ?? throw new InvalidOperationException("No deliverer: add one (AddDeliverer, or the profile's 'deliver' list) to deliver a digest.");
        var digest = await _store.LoadDigestAsync(day, cancellationToken).ConfigureAwait(false)
            ?? throw new DigestStoreException($"The store has no digest of {Iso(day)}: build that day first (arxivrank digest --date {Iso(day)} --source api), with the digest JSON kept (StoreDigestJson).");
        return await delivery.DeliverAsync(digest, resend, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>For a day already processed: when a target still lacks its digest, sends the stored digest (no fetch of papers' scores, no model call).</summary>
    private async Task<DigestRunResult?> DeliverPendingAsync(DateOnly date, SourceResult fetched, RunState run, CancellationToken cancellationToken)
    {
        if (_delivery is null || !await _store.IsProcessedAsync(date, cancellationToken).ConfigureAwait(false)
            || (await _delivery.GetPendingAsync(date, cancellationToken).ConfigureAwait(false)).Count == 0)
        {
            return null;
        }

        var digest = await _store.LoadDigestAsync(date, cancellationToken).ConfigureAwait(false);
        if (digest is null)
        {
            Log.PipelineDeliveryWithoutDigest(_logger, Iso(date));
            return null;
        }

        run.Begin(PipelineStage.Deliver, digest.Papers.Count);
        var report = await _delivery.DeliverAsync(digest, resend: false, cancellationToken).ConfigureAwait(false);
        run.End(digest.Papers.Count, digest.Papers.Count);
        return new DigestRunResult
        {
            Status = DigestRunStatus.Delivered,
            AnnouncementDate = date,
            Digest = digest,
            Reason = $"the announcement of {Iso(date)} was already processed; its pending delivery was sent from the store.",
            Delivery = report,
            Statistics = new DigestRunStatistics
            {
                TotalItems = fetched.Counts?.TotalItems ?? 0,
                Fetched = fetched.Papers?.Count ?? 0,
                Selected = digest.Papers.Count,
                Stages = run.Stages,
                Elapsed = run.Elapsed,
            },
            Diagnostics = fetched.Diagnostics ?? [],
        };
    }

    private string? ScorerModelId()
        => _cachingScorer is { } c && !string.IsNullOrWhiteSpace(c.ModelId) ? c.ModelId
            : _scorerIdentity?.ModelId;

    private DigestRunResult NoNew(string reason, SourceResult fetched, RunState run, DateOnly? date = null)
    {
        Log.PipelineNoNewAnnouncement(_logger, reason);
        return new DigestRunResult
        {
            Status = DigestRunStatus.NoNewAnnouncement,
            AnnouncementDate = date ?? fetched.AnnouncementDate,
            Reason = reason,
            Statistics = new DigestRunStatistics
            {
                TotalItems = fetched.Counts?.TotalItems ?? 0,
                Fetched = fetched.Papers?.Count ?? 0,
                Stages = run.Stages,
                Elapsed = run.Elapsed,
            },
            Diagnostics = fetched.Diagnostics ?? [],
            Warnings = run.Warnings,
        };
    }

    private void RecordFailure(Activity? activity, Exception ex, RunState run)
    {
        _telemetry.Failures.Add(
            1,
            new KeyValuePair<string, object?>("error.type", ex.GetType().Name),
            new KeyValuePair<string, object?>("arxivrank.stage", StageNames.Of(run.CurrentStage)));
        activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
        activity?.SetTag("error.type", ex.GetType().FullName);
    }

    private static string OutcomeName(DigestRunStatus status) => status switch
    {
        DigestRunStatus.Written => "written",
        DigestRunStatus.NoNewAnnouncement => "no-new-announcement",
        DigestRunStatus.NotRendered => "not-rendered",
        DigestRunStatus.Delivered => "delivered",
        _ => "dry-run",
    };

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static readonly Lazy<TimeZoneInfo> ArxivTimeZone = new(() =>
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.Utc;
        }
    });

    /// <summary>Times the stages, reports progress and opens a child activity per stage.</summary>
    private sealed class RunState(DigestPipeline pipeline, IProgress<PipelineProgress>? progress) : IDisposable
    {
        private readonly long _started = pipeline._time.GetTimestamp();
        private readonly List<StageStatistics> _stages = [];
        private readonly List<DigestRunWarning> _warnings = [];
        private long _stageStarted;
        private Activity? _stageActivity;

        public PipelineStage CurrentStage { get; private set; } = PipelineStage.Fetch;

        public IReadOnlyList<StageStatistics> Stages => [.. _stages];

        public IReadOnlyList<DigestRunWarning> Warnings => [.. _warnings];

        /// <summary>Records a warning that changes the outcome, so it reaches the result even with no logger.</summary>
        public void Warn(string code, string message) => _warnings.Add(new DigestRunWarning(code, message));

        public TimeSpan Elapsed => pipeline._time.GetElapsedTime(_started);

        public void Begin(PipelineStage stage, int total)
        {
            CurrentStage = stage;
            _stageStarted = pipeline._time.GetTimestamp();
            _stageActivity = PipelineTelemetry.ActivitySource.StartActivity("arxivrank." + StageNames.Of(stage));
            progress?.Report(new PipelineProgress(stage, 0, total));
        }

        public void End(int input, int output)
        {
            var duration = pipeline._time.GetElapsedTime(_stageStarted);
            string name = StageNames.Of(CurrentStage);
            _stages.Add(new StageStatistics(name, input, output, duration));
            pipeline._telemetry.StageDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("arxivrank.stage", name));
            _stageActivity?.SetTag("arxivrank.input", input);
            _stageActivity?.SetTag("arxivrank.output", output);
            _stageActivity?.Dispose();
            _stageActivity = null;
            progress?.Report(new PipelineProgress(CurrentStage, output, Math.Max(input, output)));
        }

        /// <summary>The stages so far plus the one in progress, timed up to now (for the digest's own record).</summary>
        public IReadOnlyList<StageStatistics> StagesIncluding(PipelineStage stage, int papers)
            => [.. _stages, new StageStatistics(StageNames.Of(stage), papers, papers, pipeline._time.GetElapsedTime(_stageStarted))];

        public void Dispose()
        {
            // A stage that failed or was canceled still closes its activity.
            _stageActivity?.SetStatus(ActivityStatusCode.Error);
            _stageActivity?.Dispose();
            _stageActivity = null;
        }

        public IProgress<ScoringProgress>? ScoringProgress()
            => progress is null ? null : new ScoringProgressAdapter(progress);

        private sealed class ScoringProgressAdapter(IProgress<PipelineProgress> inner) : IProgress<ScoringProgress>
        {
            public void Report(ScoringProgress value) => inner.Report(new PipelineProgress(PipelineStage.Score, value.Completed, value.Total));
        }
    }
}
