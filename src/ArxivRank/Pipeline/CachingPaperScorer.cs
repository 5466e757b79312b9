using ArxivRank.Scoring;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArxivRank.Pipeline;

/// <summary>
/// Looks every paper up in an <see cref="IScoreCache"/> first and hands only the misses to the inner scorer, in chunks,
/// storing each model answer's scores as it arrives (see <see cref="ScoreSink"/>) and each chunk's remaining scores when
/// it completes: a re-run spends zero tokens, and a crash loses at most the requests in flight.
/// </summary>
/// <remarks>
/// Only judged scores (<see cref="ScoreOrigin.Scored"/>) are cached: rule matches cost nothing and follow the rules of the
/// day, and unscored papers are retried on the next run.
/// </remarks>
internal sealed class CachingPaperScorer : DelegatingPaperScorer, IScorerFingerprint
{
    private readonly IScoreCache _cache;
    private readonly ScoreCacheOptions _options;
    private readonly ILogger _logger;
    private readonly ScorerMetadata? _innerIdentity;

    public CachingPaperScorer(IPaperScorer inner, IScoreCache cache, ScoreCacheOptions options, ILogger? logger = null)
        : base(inner)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(options);
        _cache = cache;
        _options = options.Clone();
        _logger = logger ?? NullLogger.Instance;
        _innerIdentity = ScorerIdentity.Of(inner);
    }

    public IPaperScorer Inner => InnerScorer;

    public string ModelId => _options.ModelId ?? _innerIdentity?.ModelId ?? string.Empty;

    public string CriteriaHash => _options.CriteriaHash ?? _innerIdentity?.CriteriaHash ?? string.Empty;

    /// <summary>Gets a value indicating whether the scorer's identity is known, so scores can be cached safely.</summary>
    public bool CanCache => _options.Enabled && !string.IsNullOrWhiteSpace(ModelId) && !string.IsNullOrWhiteSpace(CriteriaHash);

    /// <summary>Gets why scores are not cached, for a person, or <see langword="null"/> when they are.</summary>
    public string? WhyNotCached => CanCache ? null
        : !_options.Enabled ? "ScoreCacheOptions.Enabled is false"
        : string.IsNullOrWhiteSpace(ModelId) ? "the scorer names no model id or criteria hash (make its GetService return new ScorerMetadata(modelId, ScorerMetadata.Hash(criteria)) for typeof(ScorerMetadata), as docs/extending.md shows, or set ScoreCacheOptions.ModelId and CriteriaHash)"
        : $"the scorer {ModelId} names no criteria hash: its scores depend on the run and are not cached";

    /// <summary>Gets a value indicating whether caching is off because the scorer's identity is unknown (not by choice).</summary>
    public bool IdentityUnknown => _options.Enabled && string.IsNullOrWhiteSpace(ModelId);

    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType == typeof(ScorerMetadata)
            ? new ScorerMetadata(ModelId, CriteriaHash, _innerIdentity?.CriteriaText)
            : base.GetService(serviceType, serviceKey);
    }

    public override async Task<ScoringResult> ScoreAsync(IReadOnlyList<Paper> papers, IProgress<ScoringProgress>? progress = null, CancellationToken cancellationToken = default)
        => (await ScoreWithCacheAsync(papers, progress, cancellationToken).ConfigureAwait(false)).Result;

    /// <summary>Finds the papers the cache cannot answer (what a run would pay for).</summary>
    public async Task<IReadOnlyList<Paper>> FindMissesAsync(IReadOnlyList<Paper> papers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(papers);
        if (!CanCache || papers.Count == 0)
        {
            return papers;
        }

        var (_, misses) = await LookUpAsync(papers, cancellationToken).ConfigureAwait(false);
        return misses;
    }

    public async Task<CachedScoringResult> ScoreWithCacheAsync(IReadOnlyList<Paper> papers, IProgress<ScoringProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(papers);
        if (!CanCache)
        {
            if (IdentityUnknown)
            {
                Log.ScoreCacheDisabled(_logger, WhyNotCached!);
            }

            var direct = await InnerScorer.ScoreAsync(papers, progress, cancellationToken).ConfigureAwait(false);
            return new CachedScoringResult(direct, 0);
        }

        int total = papers.Count;
        var (hits, misses) = await LookUpAsync(papers, cancellationToken).ConfigureAwait(false);
        Log.ScoreCacheLookedUp(_logger, hits.Count, misses.Count, ModelId);
        progress?.Report(new ScoringProgress(hits.Count, total));

        var scores = new List<PaperScore>(hits);
        var unscored = new List<UnscoredPaper>();
        var usage = new List<ModelUsage>();
        int completed = hits.Count;
        var stored = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in misses.Chunk(_options.ChunkSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            ScoringResult result;
            try
            {
                // Each model answer's scores are committed as they arrive (the scorers of this library offer them to
                // the ambient sink), so a crash re-asks at most the requests in flight; the rest is stored per chunk.
                var sink = ScoreSink.Open(scores => StoreAsync(chunk, scores, stored), _cache);
                await using (sink.ConfigureAwait(false))
                {
                    result = await InnerScorer.ScoreAsync(chunk, OffsetProgress.Create(progress, completed, total), cancellationToken).ConfigureAwait(false);
                }
            }
            catch (ScoringException ex)
            {
                // Keep what was paid for before giving up, then report the whole run's partial result.
                if (ex.PartialResult is { } partial)
                {
                    await StoreAsync(chunk, partial.Scores, stored).ConfigureAwait(false);
                    scores.AddRange(partial.Scores);
                    unscored.AddRange(partial.Unscored);
                    usage.AddRange(partial.Usage);
                }

                var partialResult = new ScoringResult { Scores = scores, Unscored = unscored, Usage = UsageMath.Merge(usage) };
                if (ex is BatchPendingException pending)
                {
                    // Keep the type: hosts report a pending batch apart from a failure (the CLI exits 5).
                    throw new BatchPendingException(ex.Message, ex) { PartialResult = partialResult, BatchIds = pending.BatchIds, PendingPapers = pending.PendingPapers };
                }

                throw new ScoringException(ex.Message, ex) { PartialResult = partialResult };
            }

            await StoreAsync(chunk, result.Scores, stored).ConfigureAwait(false);
            scores.AddRange(result.Scores);
            unscored.AddRange(result.Unscored);
            usage.AddRange(result.Usage);
            completed += chunk.Length;
            progress?.Report(new ScoringProgress(completed, total));
        }

        var merged = new ScoringResult { Scores = scores, Unscored = unscored, Usage = UsageMath.Merge(usage) };
        return new CachedScoringResult(merged, hits.Count);
    }

    private async Task<(List<PaperScore> Hits, List<Paper> Misses)> LookUpAsync(IReadOnlyList<Paper> papers, CancellationToken cancellationToken)
    {
        var keys = papers.Select(Key).Distinct().ToList();
        var found = await _cache.GetManyAsync(keys, cancellationToken).ConfigureAwait(false);
        var hits = new List<PaperScore>();
        var misses = new List<Paper>();
        foreach (var paper in papers)
        {
            if (found.TryGetValue(Key(paper), out var score))
            {
                hits.Add(score with { PaperId = paper.Id });
            }
            else
            {
                misses.Add(paper);
            }
        }

        return (hits, misses);
    }

    private async Task StoreAsync(IReadOnlyList<Paper> chunk, IReadOnlyList<PaperScore> scores, HashSet<string> alreadyStored)
    {
        var byId = new Dictionary<string, Paper>(StringComparer.Ordinal);
        foreach (var paper in chunk)
        {
            byId.TryAdd(paper.Id.Id, paper);
        }

        var entries = new List<KeyValuePair<ScoreCacheKey, PaperScore>>();
        lock (alreadyStored)
        {
            foreach (var score in scores)
            {
                // A pre-screened-out paper carries the learned ranker's free guess, not the model's judgment: never cache it
                // under the model's key.
                if (score is not null && score.Origin == ScoreOrigin.Scored && score.ScoredBy != Ranking.LearnedRanker.ScorerName
                    && byId.TryGetValue(score.PaperId.Id, out var paper) && alreadyStored.Add(paper.Id.Id))
                {
                    entries.Add(new(Key(paper), score));
                }
            }
        }

        if (entries.Count > 0)
        {
            // Paid-for scores are stored even when the run is being canceled: that is the point of the cache.
            await _cache.SetManyAsync(entries, CancellationToken.None).ConfigureAwait(false);
            Log.ScoreCacheStored(_logger, entries.Count);
        }
    }

    private ScoreCacheKey Key(Paper paper) => new(paper.Id, CriteriaHash, ModelId);
}

/// <summary>A scoring result and how many of its scores came from the cache.</summary>
internal sealed record CachedScoringResult(ScoringResult Result, int CacheHits);

/// <summary>Puts a score cache in front of a scorer.</summary>
public static class ScoreCacheExtensions
{
    /// <summary>
    /// Returns a scorer that answers from <paramref name="cache"/> first and scores only the misses, storing each chunk's
    /// scores as it completes, so a re-run over the same papers spends zero tokens.
    /// </summary>
    /// <param name="scorer">The scorer to wrap.</param>
    /// <param name="cache">The cache (<see cref="InMemoryArxivRankStore"/>, <c>SqliteArxivRankStore</c>, or your own).</param>
    /// <param name="options">The model id, criteria hash and chunk size; the scorer's <see cref="ScorerMetadata"/> (or <see cref="IScorerFingerprint"/>) fills what is not set.</param>
    /// <param name="logger">Receives cache hits and misses; may be <see langword="null"/>.</param>
    /// <returns>The caching scorer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="scorer"/> or <paramref name="cache"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// An option is invalid, or neither the options nor the scorer name a model id and criteria hash (the cache could not tell criteria apart).
    /// </exception>
    public static IPaperScorer WithScoreCache(this IPaperScorer scorer, IScoreCache cache, ScoreCacheOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(cache);
        options ??= new ScoreCacheOptions();
        string? problem = options.Validate().FirstOrDefault();
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        var caching = new CachingPaperScorer(scorer, cache, options, logger);
        if (options.Enabled && !caching.CanCache)
        {
            throw new ArgumentException(
                "The score cache needs a model id and a criteria hash: set ScoreCacheOptions.ModelId and ScoreCacheOptions.CriteriaHash, or use a scorer that names them (GetService(typeof(ScorerMetadata)) or IScorerFingerprint).",
                nameof(options));
        }

        return caching;
    }
}
