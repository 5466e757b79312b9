namespace ArxivRank.Pipeline;

/// <summary>The Batch API jobs the LLM scorer submitted, for resuming within the process.</summary>
public sealed partial class InMemoryArxivRankStore : IBatchJobStore
{
    private readonly List<BatchJobRecord> _batchJobs = [];

    /// <inheritdoc/>
    public ValueTask SaveBatchJobAsync(BatchJobRecord job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            int index = _batchJobs.FindIndex(j => j.JobId == job.JobId);
            if (index >= 0)
            {
                _batchJobs[index] = job;
            }
            else
            {
                _batchJobs.Add(job);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<BatchJobRecord>> GetOpenBatchJobsAsync(string modelId, string criteriaHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        ArgumentNullException.ThrowIfNull(criteriaHash);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<BatchJobRecord> open =
            [
                .. _batchJobs.Where(j => j.State != BatchJobState.Collected
                    && string.Equals(j.ModelId, modelId, StringComparison.Ordinal)
                    && string.Equals(j.CriteriaHash, criteriaHash, StringComparison.Ordinal)),
            ];
            return ValueTask.FromResult(open);
        }
    }
}
