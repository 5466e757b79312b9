using System.Globalization;
using ArxivRank.Parsing;
using ArxivRank.Pipeline;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArxivRank.Scoring;

/// <summary>
/// Scores papers with any <see cref="IChatClient"/>: an optional title screen, then the abstract pass, in batches with
/// bounded concurrency. Content problems (an answer cut off by the token limit, an empty answer, papers the answer
/// skipped) are re-asked in smaller batches up to a limit; what is still unscored then is returned with the reason.
/// Transport errors are not retried here: the HTTP pipeline under the client does that, so retries never multiply.
/// </summary>
internal sealed partial class LlmPaperScorer : IPaperScorer, IScorerFingerprint
{
    internal const string ScreenedOutComment = "Title screen: clearly outside the reader's topics.";
    internal const string KeptByScreenComment = "Kept by the title screen (abstract scoring is off).";
    internal const string KeptByScreenVerdict = "Title screen: kept for abstract scoring.";

    /// <summary>The score cache keeps the title screen's "keep" verdicts under the model id plus this suffix.</summary>
    internal const string ScreenVerdictSuffix = "|title-screen";

    private readonly IChatClient _client;
    private readonly LlmScorerOptions _options;
    private readonly IScoreCache? _cache;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ScoringPrompts _prompts;
    private readonly ScoreResponseParser _parser = new();
    private readonly ChatOptions _scoringOptions;
    private readonly ChatOptions _screenOptions;
    private readonly BatchScoring? _batch;
    private readonly ScoringCriteria _criteria;

    public LlmPaperScorer(IChatClient client, ScoringCriteria criteria, LlmScorerOptions? options, IScoreCache? cache, ILogger? logger, TimeProvider? timeProvider)
        : this(client, criteria, options, cache, logger, timeProvider, batch: null)
    {
    }

    public LlmPaperScorer(IChatClient client, ScoringCriteria criteria, LlmScorerOptions? options, IScoreCache? cache, ILogger? logger, TimeProvider? timeProvider, BatchScoring? batch)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(criteria);
        _options = (options ?? new LlmScorerOptions()).Clone();
        _options.Validate();
        _client = client;
        _criteria = criteria;
        _cache = cache;
        _logger = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _prompts = new ScoringPrompts(criteria, _options.AbstractMaxLength, _options.UseStructuredOutput, _options.TitleScreen);
        ModelKey = _options.ModelId ?? client.GetService<ChatClientMetadata>()?.DefaultModelId ?? "default";
        _scoringOptions = new ChatOptions
        {
            ModelId = _options.ModelId,
            MaxOutputTokens = _options.MaxOutputTokens,
            Temperature = _options.Temperature,
            ResponseFormat = _options.UseStructuredOutput ? StructuredAnswers.Scores : null,
        };
        _screenOptions = _scoringOptions.Clone();
        _screenOptions.ResponseFormat = _options.UseStructuredOutput ? StructuredAnswers.Screen : null;
        _batch = batch;
    }

    /// <summary>Gets the model id the cache keys use (the option, else the client's default model).</summary>
    public string ModelKey { get; }

    /// <summary>Gets the hash of criteria, rubric and prompt version in the cache keys.</summary>
    public string CriteriaHash => _prompts.CriteriaHash;

    /// <inheritdoc/>
    string IScorerFingerprint.ModelId => ModelKey;

    public object? GetService(Type serviceType, object? serviceKey = null)
        => ScorerIdentity.Answer(this, serviceType, serviceKey, _criteria, () => new ScorerMetadata(ModelKey, CriteriaHash, _criteria.ToMarkdown()));

    public Task<ScoringResult> ScoreAsync(IReadOnlyList<Paper> papers, IProgress<ScoringProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(papers);
        foreach (var paper in papers)
        {
            ArgumentNullException.ThrowIfNull(paper, nameof(papers));
        }

        return new Run(this, papers, progress, cancellationToken).ExecuteAsync();
    }

    /// <summary>One call of <see cref="ScoreAsync"/>: the state shared by its concurrent batches.</summary>
    private sealed partial class Run
    {
        private readonly LlmPaperScorer _scorer;
        private readonly IReadOnlyList<Paper> _papers;
        private readonly IProgress<ScoringProgress>? _progress;
        private readonly CancellationToken _cancellationToken;
        private readonly CancellationTokenSource _abort;
        private readonly SemaphoreSlim _gate;
        private readonly UsageAccumulator _usage = new();
        private readonly UsageAccumulator _batchUsage = new();
        private readonly Lock _lock = new();
        private readonly Dictionary<string, (PaperScore? Score, string? Reason)> _outcomes = new(StringComparer.Ordinal);
        private readonly List<Paper> _unique = [];
        private int _failed;
        private int _allowedFailures;
        private int _batchCounter;

        public Run(LlmPaperScorer scorer, IReadOnlyList<Paper> papers, IProgress<ScoringProgress>? progress, CancellationToken cancellationToken)
        {
            _scorer = scorer;
            _papers = papers;
            _progress = progress;
            _cancellationToken = cancellationToken;
            _abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _gate = new SemaphoreSlim(scorer._options.MaxConcurrency, scorer._options.MaxConcurrency);
        }

        private LlmScorerOptions Options => _scorer._options;

        private ILogger Logger => _scorer._logger;

        private string StoppedReason => string.Create(
            CultureInfo.InvariantCulture,
            $"not asked: the run stopped early because more than {Percent(Options.MaxFailureShare)} of the papers had failed");

        public async Task<ScoringResult> ExecuteAsync()
        {
            try
            {
                return await ExecuteCoreAsync().ConfigureAwait(false);
            }
            finally
            {
                _abort.Dispose();
                _gate.Dispose();
            }
        }

        private async Task<ScoringResult> ExecuteCoreAsync()
        {
            long started = _scorer._time.GetTimestamp();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var paper in _papers)
            {
                if (seen.Add(paper.Id.Id))
                {
                    _unique.Add(paper);
                }
            }

            _allowedFailures = (int)Math.Floor((Options.MaxFailureShare * _unique.Count) + 1e-9);
            if (_unique.Count == 0)
            {
                return new ScoringResult();
            }

            var pending = await ReadCacheAsync().ConfigureAwait(false);
            Log.ScoringStarted(Logger, _unique.Count, _scorer.ModelKey, _unique.Count - pending.Count, pending.Count);
            ReportProgress();

            if (Options.TitleScreen && pending.Count > 0)
            {
                pending = await ScreenAsync(pending).ConfigureAwait(false);
            }

            if (Options.AbstractScoring && _scorer._batch is not null && pending.Count > 0)
            {
                pending = await ScoreThroughBatchApiAsync(pending).ConfigureAwait(false);
            }

            if (Options.AbstractScoring)
            {
                var chunks = pending.Chunk(Options.BatchSize).ToList();
                if (Options.WarmPromptCache && chunks.Count > 1 && Options.MaxConcurrency > 1)
                {
                    // One request first: the provider caches the shared prefix only once a request has finished, so the
                    // concurrent requests after it read the prefix from the cache instead of each paying for it in full.
                    await ScoreBatchAsync(chunks[0], attempt: 1).ConfigureAwait(false);
                    chunks.RemoveAt(0);
                }

                await Task.WhenAll(chunks.Select(b => ScoreBatchAsync(b, attempt: 1))).ConfigureAwait(false);
            }
            else
            {
                var kept = pending.Select(p => new PaperScore { PaperId = p.Id, Comment = KeptByScreenComment, ScoredBy = _scorer.ModelKey }).ToList();
                Complete(kept);
            }

            _cancellationToken.ThrowIfCancellationRequested();
            var result = Assemble();
            Log.ScoringFinished(Logger, result.Scores.Count, _papers.Count, result.Unscored.Count, (long)_scorer._time.GetElapsedTime(started).TotalMilliseconds, result.Usage.Sum(u => u.Requests));
            if (_failed > _allowedFailures)
            {
                string message = FailureMessage(result);
                Log.ScoringFailed(Logger, message);
                throw new ScoringException(message) { PartialResult = result };
            }

            return result;
        }

        private string FailureMessage(ScoringResult result)
        {
            string commonReason = result.Unscored
                .GroupBy(u => u.Reason, StringComparer.Ordinal)
                .OrderByDescending(g => g.Count())
                .Select(g => g.Key)
                .FirstOrDefault(r => !r.StartsWith("not asked:", StringComparison.Ordinal))
                ?? result.Unscored[0].Reason;
            return string.Create(
                CultureInfo.InvariantCulture,
                $"{_failed} of {_unique.Count} papers ({Percent(_failed / (double)_unique.Count)}) could not be scored, more than the allowed {Percent(Options.MaxFailureShare)} (LlmScorerOptions.MaxFailureShare). Most common reason: {commonReason}. Check the model id, endpoint and API key.");
        }

        private async Task<List<Paper>> ReadCacheAsync()
        {
            if (_scorer._cache is not { } cache)
            {
                return [.. _unique];
            }

            var keys = _unique.Select(KeyOf).ToList();
            IReadOnlyDictionary<ScoreCacheKey, PaperScore> hits;
            try
            {
                hits = await cache.GetManyAsync(keys, _cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !_cancellationToken.IsCancellationRequested)
            {
                Log.CacheFailed(Logger, ex, "read");
                return [.. _unique];
            }

            var pending = new List<Paper>();
            var found = new List<PaperScore>();
            for (int i = 0; i < _unique.Count; i++)
            {
                if (hits.TryGetValue(keys[i], out var score))
                {
                    found.Add(score with { PaperId = _unique[i].Id });
                }
                else
                {
                    pending.Add(_unique[i]);
                }
            }

            lock (_lock)
            {
                foreach (var score in found)
                {
                    _outcomes[score.PaperId.Id] = (score, null);
                }
            }

            return pending;
        }

        private ScoreCacheKey KeyOf(Paper paper) => new(paper.Id, _scorer.CriteriaHash, _scorer.ModelKey);

        private async Task WriteCacheAsync(IReadOnlyList<PaperScore> scores, IReadOnlyDictionary<string, Paper> papers)
        {
            if (_scorer._cache is not { } cache || scores.Count == 0)
            {
                return;
            }

            try
            {
                var entries = scores.Select(s => KeyValuePair.Create(KeyOf(papers[s.PaperId.Id]), s)).ToList();
                await cache.SetManyAsync(entries, _cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !_cancellationToken.IsCancellationRequested)
            {
                Log.CacheFailed(Logger, ex, "write");
            }
        }

        private async Task<List<Paper>> ScreenAsync(List<Paper> pending)
        {
            // The screen's "keep" verdicts persist like scores (its "drop" verdicts are scores), so after a crash the
            // re-run does not screen again what was already screened.
            var verdicts = _scorer._cache ?? ScoreSink.Current?.Cache;
            var keptBefore = await ReadScreenVerdictsAsync(verdicts, pending).ConfigureAwait(false);
            var toScreen = keptBefore.Count == 0 ? pending : [.. pending.Where(p => !keptBefore.Contains(p.Id.Id))];
            var batches = toScreen.Chunk(Options.TitleScreenBatchSize).ToList();
            var dropped = await Task.WhenAll(batches.Select(b => ScreenBatchAsync(b, verdicts))).ConfigureAwait(false);
            var screenedOut = new HashSet<string>(dropped.SelectMany(d => d), StringComparer.Ordinal);
            return screenedOut.Count == 0 ? pending : [.. pending.Where(p => !screenedOut.Contains(p.Id.Id))];
        }

        private ScoreCacheKey ScreenKeyOf(Paper paper) => new(paper.Id, _scorer.CriteriaHash, _scorer.ModelKey + ScreenVerdictSuffix);

        private async Task<HashSet<string>> ReadScreenVerdictsAsync(IScoreCache? verdicts, List<Paper> pending)
        {
            var kept = new HashSet<string>(StringComparer.Ordinal);
            if (verdicts is null || pending.Count == 0)
            {
                return kept;
            }

            try
            {
                var found = await verdicts.GetManyAsync([.. pending.Select(ScreenKeyOf)], _cancellationToken).ConfigureAwait(false);
                kept.UnionWith(found.Keys.Select(k => k.PaperId.Id));
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !_cancellationToken.IsCancellationRequested)
            {
                Log.CacheFailed(Logger, ex, "read");
            }

            return kept;
        }

        private async Task WriteScreenVerdictsAsync(IScoreCache? verdicts, IEnumerable<Paper> kept)
        {
            if (verdicts is null)
            {
                return;
            }

            var entries = kept.Select(p => KeyValuePair.Create(ScreenKeyOf(p), new PaperScore { PaperId = p.Id, Comment = KeptByScreenVerdict, ScoredBy = _scorer.ModelKey })).ToList();
            if (entries.Count == 0)
            {
                return;
            }

            try
            {
                // Paid for: kept even when the run is being canceled.
                await verdicts.SetManyAsync(entries, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.CacheFailed(Logger, ex, "write");
            }
        }

        private async Task<HashSet<string>> ScreenBatchAsync(Paper[] batch, IScoreCache? verdicts)
        {
            var messages = _scorer._prompts.ForScreen(batch);
            var call = await CallAsync(messages, _scorer._screenOptions, batch.Length).ConfigureAwait(false);
            if (call.Response is not { } response)
            {
                Log.ScreenNotUsable(Logger, batch.Length, call.Failure ?? "no answer");
                return [];
            }

            string text = response.Text ?? string.Empty;
            if (response.FinishReason == ChatFinishReason.Length && !_scorer._options.UseStructuredOutput)
            {
                text = StructuredAnswers.KeepCompleteLines(text);
            }

            var dropped = ScoringPrompts.ReadScreenedOut(text, batch);
            if (dropped.Count == batch.Length && batch.Length >= 5)
            {
                Log.ScreenNotUsable(Logger, batch.Length, "it listed every paper, which is more likely a misunderstanding than a verdict");
                return [];
            }

            Log.ScreenAnswered(Logger, batch.Length, dropped.Count);

            // Commit this answer's verdicts now: the dropped papers as scores, the kept ones as screen verdicts.
            var screened = batch.Where(p => dropped.Contains(p.Id.Id))
                .Select(p => new PaperScore { PaperId = p.Id, Relevance = 1, Comment = ScreenedOutComment, ScoredBy = _scorer.ModelKey })
                .ToList();
            Complete(screened);
            await WriteCacheAsync(screened, batch.ToDictionary(p => p.Id.Id, StringComparer.Ordinal)).ConfigureAwait(false);
            await WriteScreenVerdictsAsync(verdicts, batch.Where(p => !dropped.Contains(p.Id.Id))).ConfigureAwait(false);
            return dropped;
        }

        private async Task ScoreBatchAsync(Paper[] batch, int attempt)
        {
            var messages = _scorer._prompts.ForScoring(batch);
            var call = await CallAsync(messages, _scorer._scoringOptions, batch.Length).ConfigureAwait(false);
            if (call.Response is not { } response)
            {
                GiveUp(batch, call.Failure!);
                return;
            }

            var (accepted, missing, problem) = await AcceptAnswerAsync(batch, response).ConfigureAwait(false);
            Log.BatchAnswered(Logger, batch.Length, attempt, (long)call.Elapsed.TotalMilliseconds, accepted, missing.Length, response.FinishReason?.Value, response.Usage?.InputTokenCount, response.Usage?.OutputTokenCount);
            if (missing.Length == 0)
            {
                return;
            }

            if (attempt > Options.MaxContentRetries)
            {
                GiveUp(missing, string.Create(CultureInfo.InvariantCulture, $"no usable score after {attempt} attempt(s); last problem: {problem}"));
                return;
            }

            int size = Math.Max(1, Math.Min(missing.Length, (batch.Length + 1) / 2));
            await Task.WhenAll(missing.Chunk(size).Select(b => ScoreBatchAsync(b, attempt + 1))).ConfigureAwait(false);
        }

        /// <summary>Reads one answer about <paramref name="batch"/> (from a chat call or a Batch API line): records and caches its usable scores, and says which papers it left without one and why.</summary>
        private async Task<(int Accepted, Paper[] Missing, string Problem)> AcceptAnswerAsync(Paper[] batch, ChatResponse response)
        {
            string modelUsed = response.ModelId ?? _scorer.ModelKey;
            string text = response.Text ?? string.Empty;
            bool cutOff = response.FinishReason == ChatFinishReason.Length;
            bool empty = string.IsNullOrWhiteSpace(text);
            if (cutOff)
            {
                text = Options.UseStructuredOutput ? StructuredAnswers.KeepCompleteRecords(text) : StructuredAnswers.KeepCompleteLines(text);
            }

            var byId = batch.ToDictionary(p => p.Id.Id, StringComparer.Ordinal);
            var accepted = new List<PaperScore>();
            IReadOnlyList<ScoreParseDiagnostic> diagnostics = [];
            if (!string.IsNullOrWhiteSpace(text))
            {
                var parsed = _scorer._parser.Parse(text, [.. batch.Select(p => p.Id.WithoutVersion())]);
                diagnostics = parsed.Diagnostics;
                var taken = new HashSet<string>(StringComparer.Ordinal);
                foreach (var score in parsed.Scores)
                {
                    if (byId.TryGetValue(score.PaperId.Id, out var paper) && taken.Add(paper.Id.Id))
                    {
                        accepted.Add(score with { PaperId = paper.Id, ScoredBy = modelUsed, Origin = ScoreOrigin.Scored });
                    }
                }
            }

            Complete(accepted);
            await WriteCacheAsync(accepted, byId).ConfigureAwait(false);

            var missing = batch.Where(p => !accepted.Exists(s => s.PaperId.Id == p.Id.Id)).ToArray();
            if (missing.Length == 0)
            {
                return (accepted.Count, missing, string.Empty);
            }

            string problem;
            if (cutOff)
            {
                Log.AnswerCutOff(Logger, batch.Length, missing.Length);
                problem = "the answer was cut off by the output-token limit";
            }
            else if (empty)
            {
                Log.AnswerEmpty(Logger, batch.Length);
                problem = "the answer was empty";
            }
            else
            {
                Log.IdsMissing(Logger, batch.Length, missing.Length, diagnostics.Count);
                problem = diagnostics.Count > 0
                    ? $"the answer had no usable score for it ({diagnostics.Count} unusable part(s), first: {diagnostics[0]})"
                    : accepted.Count == 0 ? "the answer contained no score at all" : "the answer did not include it";
            }

            return (accepted.Count, missing, problem);
        }

        private async Task<CallResult> CallAsync(List<ChatMessage> messages, ChatOptions template, int paperCount)
        {
            string batchId = Interlocked.Increment(ref _batchCounter).ToString(CultureInfo.InvariantCulture);
            if (Logger.IsEnabled(LogLevel.Trace))
            {
                Log.PromptText(Logger, batchId, string.Join("\n\n", messages.Select(m => $"[{m.Role}]\n{m.Text}")));
            }

            bool entered = false;
            long started = 0;
            try
            {
                await _gate.WaitAsync(_abort.Token).ConfigureAwait(false);
                entered = true;

                // A slot released while the run is being canceled can still be handed to a waiter (the semaphore's
                // cancellation races its release): check again, so a canceled run sends no further request.
                _abort.Token.ThrowIfCancellationRequested();
                started = _scorer._time.GetTimestamp();
                var response = await _scorer._client.GetResponseAsync(messages, template.Clone(), _abort.Token).ConfigureAwait(false);
                _usage.Add(response.ModelId ?? _scorer.ModelKey, response.Usage);
                if (Logger.IsEnabled(LogLevel.Trace))
                {
                    Log.AnswerText(Logger, batchId, response.Text ?? string.Empty);
                }

                return new CallResult(response, null, _scorer._time.GetElapsedTime(started));
            }
            catch (OperationCanceledException) when (_cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (OperationCanceledException) when (_abort.IsCancellationRequested)
            {
                return new CallResult(null, StoppedReason, TimeSpan.Zero);
            }
            catch (Exception ex)
            {
                if (entered)
                {
                    _usage.Add(_scorer.ModelKey, null);
                }

                Log.RequestFailed(Logger, ex, paperCount);
                string what = ex is OperationCanceledException ? "the request timed out" : $"the request failed ({ex.GetType().Name}: {CriteriaParser.Collapse(ex.Message)})";
                return new CallResult(null, what, entered ? _scorer._time.GetElapsedTime(started) : TimeSpan.Zero);
            }
            finally
            {
                if (entered)
                {
                    _gate.Release();
                }
            }
        }

        private void Complete(IReadOnlyList<PaperScore> scores)
        {
            if (scores.Count == 0)
            {
                return;
            }

            lock (_lock)
            {
                foreach (var score in scores)
                {
                    _outcomes[score.PaperId.Id] = (score, null);
                }
            }

            // Commit what this answer paid for now, not at the end of the chunk.
            ScoreSink.Current?.Offer(scores);
            ReportProgress();
        }

        private void GiveUp(IReadOnlyList<Paper> papers, string reason)
        {
            bool abort;
            lock (_lock)
            {
                foreach (var paper in papers)
                {
                    if (!_outcomes.ContainsKey(paper.Id.Id))
                    {
                        _outcomes[paper.Id.Id] = (null, reason);
                        _failed++;
                    }
                }

                abort = _failed > _allowedFailures;
            }

            if (!reason.Equals(StoppedReason, StringComparison.Ordinal))
            {
                Log.PapersGivenUp(Logger, papers.Count, reason);
            }

            if (abort && !_abort.IsCancellationRequested)
            {
                _abort.Cancel();
            }

            ReportProgress();
        }

        private void ReportProgress()
        {
            if (_progress is null)
            {
                return;
            }

            int completed;
            lock (_lock)
            {
                completed = _papers.Count(p => _outcomes.ContainsKey(p.Id.Id));
            }

            _progress.Report(new ScoringProgress(completed, _papers.Count));
        }

        private ScoringResult Assemble()
        {
            var scores = new List<PaperScore>(_papers.Count);
            var unscored = new List<UnscoredPaper>();
            lock (_lock)
            {
                foreach (var paper in _papers)
                {
                    if (!_outcomes.TryGetValue(paper.Id.Id, out var outcome))
                    {
                        // Defensive: every path above records an outcome; a paper must never vanish.
                        outcome = (null, "not scored (no outcome was recorded; please report this)");
                        _failed++;
                    }

                    if (outcome.Score is { } score)
                    {
                        scores.Add(score with { PaperId = paper.Id });
                    }
                    else
                    {
                        unscored.Add(new UnscoredPaper(paper, outcome.Reason!));
                    }
                }
            }

            var usage = _batchUsage.IsEmpty ? _usage.ToUsage(Options.Pricing) : UsageMath.Merge([.. _usage.ToUsage(Options.Pricing), .. _batchUsage.ToUsage(Options.Pricing, batch: true)]);
            return new ScoringResult { Scores = scores, Unscored = unscored, Usage = usage };
        }
    }

    internal static string Percent(double share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    private readonly record struct CallResult(ChatResponse? Response, string? Failure, TimeSpan Elapsed);
}
