using ArxivRank.Pipeline;
using ArxivRank.Ranking;
using ArxivRank.Rendering;
using ArxivRank.Scoring;

namespace ArxivRank.Profiles;

/// <summary>
/// One reader's composed daily job (from <see cref="ReaderPipelineFactory"/>): the <see cref="DigestPipeline"/> plus what
/// every host does around a run — the HTML archive and its Atom feed, the previous day re-linked, the LLM's judgments kept as labels and
/// the learned ranker retrained.
/// </summary>
public sealed class ReaderPipeline : IDisposable
{
    private readonly IReadOnlyList<IDigestRenderer> _renderers;
    private readonly IReadOnlyList<IDisposable> _owned;

    internal ReaderPipeline(ReaderProfile profile, DigestPipeline pipeline, IDigestStore store, IReadOnlyList<IDigestRenderer> renderers, ScoringCriteria criteria, IReadOnlyList<string> notes, IReadOnlyList<IDisposable> owned)
    {
        Profile = profile;
        Pipeline = pipeline;
        Store = store;
        _renderers = renderers;
        Criteria = criteria;
        Notes = notes;
        _owned = owned;
    }

    /// <summary>Gets the profile the pipeline was built from.</summary>
    public ReaderProfile Profile { get; }

    /// <summary>Gets the composed pipeline.</summary>
    public DigestPipeline Pipeline { get; }

    /// <summary>Gets the store (owned by the caller that supplied it).</summary>
    public IDigestStore Store { get; }

    /// <summary>Gets the reader's criteria, with the profile's followed authors.</summary>
    public ScoringCriteria Criteria { get; }

    /// <summary>Gets what the factory decided that a host may want to tell the reader (built-in criteria, criteria warnings, pre-screen off…).</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>Gets the scorer: <c>llm</c>, <c>lexical</c> or <c>learned</c>.</summary>
    public required string ScorerKind { get; init; }

    /// <summary>Gets a one-line description of the scorer, e.g. <c>llm (gpt-4o-mini at OpenAI)</c>.</summary>
    public required string ScorerDescription { get; init; }

    /// <summary>Gets the chat model of the <c>llm</c> scorer; otherwise <see langword="null"/>.</summary>
    public string? Model { get; init; }

    /// <summary>Gets the options of the <c>llm</c> scorer (for cost estimates); otherwise <see langword="null"/>.</summary>
    public LlmScorerOptions? LlmOptions { get; init; }

    internal List<PrescreenReport> PrescreenReports { get; init; } = [];

    /// <summary>
    /// Runs the digest. With <c>maxCost</c> (and the <c>llm</c> scorer) or a dry run, a dry run first estimates the cost
    /// (<see cref="LlmCostEstimate"/>); over the limit nothing is written and no model is called. After a written run it
    /// also renders the archive, re-links the previous day and learns from the LLM's judgments.
    /// </summary>
    /// <param name="output">Where the files go.</param>
    /// <param name="request">The per-run settings (date, force, dry run).</param>
    /// <param name="progress">Receives stage progress.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The run's result and what happened after it.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public async Task<ReaderRunResult> RunAsync(IDigestOutput output, DigestRunRequest? request = null, IProgress<PipelineProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        request ??= new DigestRunRequest();
        lock (PrescreenReports)
        {
            PrescreenReports.Clear();
        }

        DigestRunResult? dry = null;
        LlmCostEstimate? estimate = null;
        if (request.DryRun || (ScorerKind == "llm" && Profile.MaxCost is not null))
        {
            dry = await Pipeline.RunAsync(output, request with { DryRun = true }, progress, cancellationToken).ConfigureAwait(false);
            estimate = LlmOptions is null ? null : LlmCostEstimate.For(dry.PapersToScore, Criteria, LlmOptions, Model!);
            bool overBudget = !request.DryRun && estimate is { } e && (e.Cost is null || e.Cost > Profile.MaxCost);
            // A processed day with a pending delivery is not "nothing new": the run below delivers it (no model call).
            bool pendingDelivery = dry.Status == DigestRunStatus.NoNewAnnouncement && !request.DryRun && Pipeline.Delivery is not null;
            if ((dry.Status == DigestRunStatus.NoNewAnnouncement && !pendingDelivery) || request.DryRun || overBudget)
            {
                return new ReaderRunResult(dry) { Estimated = dry, Estimate = estimate, OverBudget = overBudget };
            }
        }

        var run = await Pipeline.RunAsync(output, request, progress, cancellationToken).ConfigureAwait(false);
        if (run.Status is DigestRunStatus.NoNewAnnouncement or DigestRunStatus.Delivered)
        {
            return new ReaderRunResult(run) { Estimated = dry, Estimate = estimate };
        }

        await WriteArchiveAsync(run, output, cancellationToken).ConfigureAwait(false);
        PrescreenReport? prescreen;
        lock (PrescreenReports)
        {
            prescreen = PrescreenReports.Count > 0 ? PrescreenReport.Sum(PrescreenReports) : null;
        }

        // Only the LLM's judgments are labels: learning from the offline scorers would teach the ranker its own guesses.
        string? training = null;
        if (ScorerKind == "llm" && Store is ILabelStore labels
            && await labels.RecordRunAsync(run, cancellationToken).ConfigureAwait(false) > 0 && Profile.AutoTrain != false)
        {
            training = (await AutoTrainer.TryTrainAsync(labels, new AutoTrainingOptions(), cancellationToken).ConfigureAwait(false)).Message;
        }

        return new ReaderRunResult(run) { Estimated = dry, Estimate = estimate, Prescreen = prescreen, Training = training };
    }

    /// <summary>Releases what the factory created for this pipeline (the source's and the deliverers' HTTP clients); the store and what the caller supplied stay the caller's.</summary>
    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }

    /// <summary>The month pages and the archive index from the store's history, and the previous day re-rendered so its "next" link points here.</summary>
    private async Task WriteArchiveAsync(DigestRunResult result, IDigestOutput output, CancellationToken cancellationToken)
    {
        if (_renderers.Any(r => r.Format == "html"))
        {
            var history = await Store.GetHistoryAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            await DigestArchive.RenderHtmlAsync(history.Select(h => new ArchiveDay(h.Date, h.SelectedPapers)), output, cancellationToken: cancellationToken).ConfigureAwait(false);
            var feed = new AtomFeedOptions { SiteUrl = Profile.SiteUrl is { } site ? new Uri(site) : null, Days = Profile.FeedDays ?? new AtomFeedOptions().Days };
            await DigestArchive.RenderAtomAsync(Store, output, feed, cancellationToken).ConfigureAwait(false);
        }

        if (result.Digest?.Navigation.Previous is { } previous && await Store.LoadDigestAsync(previous, cancellationToken).ConfigureAwait(false) is { } earlier)
        {
            earlier = earlier with { Navigation = await Store.GetNavigationAsync(previous, cancellationToken).ConfigureAwait(false) };
            var buffer = new MemoryDigestOutput();
            foreach (var renderer in _renderers.Where(r => r.Format != "slack"))
            {
                await renderer.RenderAsync(earlier, buffer, cancellationToken).ConfigureAwait(false);
            }

            foreach (string name in buffer.Names.Distinct(StringComparer.Ordinal))
            {
                var stream = await output.CreateAsync(name, buffer.GetMediaType(name), cancellationToken).ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    await stream.WriteAsync(buffer.GetBytes(name), cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }
}

/// <summary>What one <see cref="ReaderPipeline.RunAsync"/> did.</summary>
/// <param name="Run">The pipeline's result.</param>
public sealed record ReaderRunResult(DigestRunResult Run)
{
    /// <summary>Gets the dry run that estimated the cost, when one ran (a dry run, or <c>maxCost</c> with the <c>llm</c> scorer).</summary>
    public DigestRunResult? Estimated { get; init; }

    /// <summary>Gets the cost estimate of the <c>llm</c> scorer, when a dry run made one.</summary>
    public LlmCostEstimate? Estimate { get; init; }

    /// <summary>Gets a value indicating whether the estimate exceeded <c>maxCost</c> (or could not be bounded), so nothing was scored or written.</summary>
    public bool OverBudget { get; init; }

    /// <summary>Gets what the learned pre-screen saved, when it ran.</summary>
    public PrescreenReport? Prescreen { get; init; }

    /// <summary>Gets the learned ranker's training message, when training was attempted after an LLM digest.</summary>
    public string? Training { get; init; }
}
