using System.Globalization;
using ArxivRank.Pipeline;
using Microsoft.Extensions.AI;

namespace ArxivRank.Scoring;

/// <summary>What the LLM scorer needs to use a provider's Batch API.</summary>
/// <param name="Client">The batch endpoint.</param>
/// <param name="Options">Polling, waiting, fallback and metadata (validated, copied).</param>
/// <param name="Store">Where submitted jobs are remembered for resuming; <see langword="null"/> keeps them for this run only.</param>
internal sealed record BatchScoring(IChatBatchClient Client, BatchApiOptions Options, IBatchJobStore? Store);

/// <summary>The Batch API pass of the LLM scorer.</summary>
internal sealed partial class LlmPaperScorer
{
    /// <summary>The metadata key that names the scorer's job key in every batch it creates.</summary>
    internal const string JobMetadataKey = "arxivrank_job";

    private sealed partial class Run
    {
        private BatchScoring Batch => _scorer._batch!;

        /// <summary>
        /// Scores the papers through the Batch API: resumes open jobs that hold some of them, submits the rest as one
        /// new job, polls until every job finished or <see cref="BatchApiOptions.MaxWait"/> ran out, and collects the
        /// answers. Returns the papers still without a score, for the synchronous path (fallback <c>sync</c>).
        /// </summary>
        private async Task<List<Paper>> ScoreThroughBatchApiAsync(List<Paper> pending)
        {
            var byId = pending.ToDictionary(p => p.Id.Id, StringComparer.Ordinal);
            var jobs = new List<BatchJobRecord>();
            var covered = new HashSet<string>(StringComparer.Ordinal);
            if (Batch.Store is { } store)
            {
                foreach (var job in await store.GetOpenBatchJobsAsync(_scorer.ModelKey, _scorer.CriteriaHash, _cancellationToken).ConfigureAwait(false))
                {
                    var papers = job.Requests.Values.SelectMany(ids => ids).Where(byId.ContainsKey).ToList();
                    if (papers.Count > 0)
                    {
                        Log.BatchJobResumed(Logger, job.JobId, job.BatchId ?? "(none yet)", papers.Count);
                        jobs.Add(job);
                        covered.UnionWith(papers);
                    }
                }
            }

            var fresh = pending.Where(p => !covered.Contains(p.Id.Id)).ToList();
            if (fresh.Count > 0)
            {
                jobs.Add(await PrepareJobAsync(fresh).ConfigureAwait(false));
            }

            var running = new List<(BatchJobRecord Record, ChatBatchJob Batch)>();
            for (int i = 0; i < jobs.Count; i++)
            {
                jobs[i] = await SubmitAsync(jobs[i], byId).ConfigureAwait(false);
                running.Add((jobs[i], await Batch.Client.GetAsync(jobs[i].BatchId!, _cancellationToken).ConfigureAwait(false)));
            }

            var leftOver = new List<(Paper Paper, string Reason)>();
            long started = _scorer._time.GetTimestamp();
            var delay = Batch.Options.PollInterval;
            while (true)
            {
                foreach (var (record, batch) in running.Where(r => r.Batch.IsFinished).ToList())
                {
                    leftOver.AddRange(await CollectAsync(record, batch, byId).ConfigureAwait(false));
                    running.RemoveAll(r => r.Record.JobId == record.JobId);
                }

                if (running.Count == 0)
                {
                    break;
                }

                var waited = _scorer._time.GetElapsedTime(started);
                if (Batch.Options.MaxWait != Timeout.InfiniteTimeSpan && waited >= Batch.Options.MaxWait)
                {
                    throw Pending(running, byId, waited);
                }

                var wait = Batch.Options.MaxWait == Timeout.InfiniteTimeSpan ? delay : Min(delay, Batch.Options.MaxWait - waited);
                await Task.Delay(wait, _scorer._time, _cancellationToken).ConfigureAwait(false);
                delay = Min(TimeSpan.FromTicks((long)(delay.Ticks * 1.5)), Batch.Options.MaxPollInterval);
                for (int i = 0; i < running.Count; i++)
                {
                    var batch = await Batch.Client.GetAsync(running[i].Batch.Id, _cancellationToken).ConfigureAwait(false);
                    Log.BatchPolled(Logger, batch.Id, batch.Status.ToString(), batch.CompletedRequests, batch.TotalRequests);
                    running[i] = (running[i].Record, batch);
                }
            }

            var unanswered = new HashSet<string>(StringComparer.Ordinal);
            var still = new List<Paper>();
            foreach (var (paper, reason) in leftOver)
            {
                if (!unanswered.Add(paper.Id.Id) || IsDone(paper))
                {
                    continue;
                }

                if (Batch.Options.Fallback == BatchFallback.None)
                {
                    GiveUp([paper], reason);
                }
                else
                {
                    still.Add(paper);
                }
            }

            // A paper no job mentions any more (its job vanished from the store between two runs) is asked again too.
            still.AddRange(pending.Where(p => !IsDone(p) && unanswered.Add(p.Id.Id)));
            if (still.Count > 0)
            {
                Log.BatchFallback(Logger, still.Count);
            }

            return still;
        }

        private bool IsDone(Paper paper)
        {
            lock (_lock)
            {
                return _outcomes.ContainsKey(paper.Id.Id);
            }
        }

        private async Task<BatchJobRecord> PrepareJobAsync(List<Paper> papers)
        {
            string jobId = "ar-" + Guid.NewGuid().ToString("N")[..20];
            var requests = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            int n = 0;
            foreach (var chunk in papers.Chunk(Options.BatchSize))
            {
                requests[jobId + "-" + (n++).ToString(CultureInfo.InvariantCulture)] = [.. chunk.Select(p => p.Id.Id)];
            }

            var metadata = new Dictionary<string, string>(Batch.Options.Metadata, StringComparer.Ordinal) { [JobMetadataKey] = jobId };
            var record = new BatchJobRecord
            {
                JobId = jobId,
                ModelId = _scorer.ModelKey,
                CriteriaHash = _scorer.CriteriaHash,
                Requests = requests,
                State = BatchJobState.Prepared,
                CreatedAt = _scorer._time.GetUtcNow(),
                Metadata = metadata,
            };
            await SaveAsync(record).ConfigureAwait(false);
            return record;
        }

        /// <summary>Takes a job as far as a created batch: uploads it when no upload is recorded, finds or creates the batch when no batch id is recorded.</summary>
        private async Task<BatchJobRecord> SubmitAsync(BatchJobRecord record, Dictionary<string, Paper> byId)
        {
            if (record.State == BatchJobState.Prepared || record.InputFileId is null)
            {
                var requests = new List<ChatBatchRequest>();
                var map = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
                foreach (var (customId, ids) in record.Requests)
                {
                    var papers = ids.Where(byId.ContainsKey).Select(id => byId[id]).ToList();
                    if (papers.Count > 0)
                    {
                        map[customId] = [.. papers.Select(p => p.Id.Id)];
                        requests.Add(new ChatBatchRequest(customId, _scorer._prompts.ForScoring(papers), _scorer._scoringOptions.Clone()));
                    }
                }

                // The map is what was uploaded: papers of an interrupted upload that this run does not have are dropped from it.
                record = record with { Requests = map };
                await SaveAsync(record).ConfigureAwait(false);
                string fileId = await Batch.Client.UploadAsync(requests, _cancellationToken).ConfigureAwait(false);
                record = record with { InputFileId = fileId, State = BatchJobState.Uploaded };
                await SaveAsync(record).ConfigureAwait(false);
                Log.BatchUploaded(Logger, record.JobId, fileId, requests.Count, map.Values.Sum(v => v.Count));
            }

            if (record.BatchId is null)
            {
                ChatBatchJob? found = null;
                if (record.State == BatchJobState.Uploaded && Batch.Store is not null)
                {
                    // A run killed between creating the batch and saving its id: find the batch by the job key in its metadata.
                    await foreach (var candidate in Batch.Client.ListAsync(_cancellationToken).ConfigureAwait(false))
                    {
                        if (candidate.Metadata.TryGetValue(JobMetadataKey, out string? key) && key == record.JobId)
                        {
                            found = candidate;
                            Log.BatchFoundByMetadata(Logger, record.JobId, candidate.Id);
                            break;
                        }
                    }
                }

                found ??= await Batch.Client.CreateAsync(record.InputFileId!, record.Metadata, _cancellationToken).ConfigureAwait(false);
                record = record with { BatchId = found.Id, State = BatchJobState.Submitted };
                await SaveAsync(record).ConfigureAwait(false);
                Log.BatchCreated(Logger, record.JobId, found.Id);
            }

            return record;
        }

        /// <summary>Reads a finished batch's output and error files, scores what they answer and returns the papers they did not.</summary>
        private async Task<List<(Paper Paper, string Reason)>> CollectAsync(BatchJobRecord record, ChatBatchJob batch, Dictionary<string, Paper> byId)
        {
            var answered = new HashSet<string>(StringComparer.Ordinal);
            var failures = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string? fileId in new[] { batch.OutputFileId, batch.ErrorFileId })
            {
                if (string.IsNullOrEmpty(fileId))
                {
                    continue;
                }

                await foreach (var line in Batch.Client.ReadResultsAsync(fileId, _cancellationToken).ConfigureAwait(false))
                {
                    if (line.CustomId is not { } customId || !record.Requests.TryGetValue(customId, out var ids) || !answered.Add(customId))
                    {
                        continue;
                    }

                    if (line.Response is not { } response)
                    {
                        failures[customId] = "the batch request failed (" + (line.Error ?? "no reason given") + ")";
                        continue;
                    }

                    _batchUsage.Add(response.ModelId ?? _scorer.ModelKey, response.Usage);
                    var papers = ids.Where(byId.ContainsKey).Select(id => byId[id]).ToArray();
                    var (_, missing, problem) = await AcceptAnswerAsync(papers, response).ConfigureAwait(false);
                    foreach (var paper in missing)
                    {
                        failures[paper.Id.Id] = problem;
                    }
                }
            }

            var leftOver = new List<(Paper, string)>();
            string notAnswered = string.Create(CultureInfo.InvariantCulture, $"the batch {batch.Id} ended {batch.Status.ToString().ToLowerInvariant()} without an answer for it{(batch.Errors is { Length: > 0 } e ? " (" + e + ")" : string.Empty)}");
            foreach (var (customId, ids) in record.Requests)
            {
                foreach (string id in ids)
                {
                    if (byId.TryGetValue(id, out var paper) && !IsDone(paper))
                    {
                        leftOver.Add((paper, failures.GetValueOrDefault(id) ?? failures.GetValueOrDefault(customId) ?? notAnswered));
                    }
                }
            }

            await SaveAsync(record with { State = BatchJobState.Collected }).ConfigureAwait(false);
            Log.BatchCollected(Logger, record.JobId, batch.Id, batch.Status.ToString(), answered.Count - failures.Keys.Count(record.Requests.ContainsKey), leftOver.Count);
            return leftOver;
        }

        private BatchPendingException Pending(List<(BatchJobRecord Record, ChatBatchJob Batch)> running, Dictionary<string, Paper> byId, TimeSpan waited)
        {
            int papers = running.Sum(r => r.Record.Requests.Values.Sum(ids => ids.Count(byId.ContainsKey)));
            string ids = string.Join(", ", running.Select(r => r.Batch.Id));
            string message = string.Create(
                CultureInfo.InvariantCulture,
                $"The Batch API has not finished after {waited.TotalSeconds:0} s (BatchApiOptions.MaxWait): batch {ids} ({running[0].Batch.Status.ToString().ToLowerInvariant()}) still holds {papers} papers. Run again later with the same store to collect the answers; nothing is asked twice.");
            Log.BatchStillPending(Logger, ids, papers);
            return new BatchPendingException(message) { BatchIds = [.. running.Select(r => r.Batch.Id)], PendingPapers = papers };
        }

        private async Task SaveAsync(BatchJobRecord record)
        {
            if (Batch.Store is { } store)
            {
                await store.SaveBatchJobAsync(record, _cancellationToken).ConfigureAwait(false);
            }
        }

        private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
    }
}
