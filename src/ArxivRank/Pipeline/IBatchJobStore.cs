namespace ArxivRank.Pipeline;

/// <summary>
/// Remembers the batches the LLM scorer submitted to a provider's Batch API, so a run that was killed or stopped waiting
/// resumes the same batch and never submits the same papers twice. The scorer saves the request map before the upload,
/// then each id (input file, batch) right after the call that returned it.
/// </summary>
/// <remarks>Implemented by <see cref="InMemoryArxivRankStore"/>, <c>SqliteArxivRankStore</c> and <c>PostgreSqlArxivRankStore</c> (per reader).</remarks>
public interface IBatchJobStore
{
    /// <summary>Adds a job or replaces the record with the same <see cref="BatchJobRecord.JobId"/>.</summary>
    /// <param name="job">The job.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the record is durable.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="job"/> is <see langword="null"/>.</exception>
    /// <exception cref="DigestStoreException">The store cannot be written.</exception>
    ValueTask SaveBatchJobAsync(BatchJobRecord job, CancellationToken cancellationToken = default);

    /// <summary>Lists the jobs not yet collected (<see cref="BatchJobState.Collected"/>) for one model and criteria hash, oldest first.</summary>
    /// <param name="modelId">The model id of the scorer.</param>
    /// <param name="criteriaHash">The criteria hash of the scorer.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The open jobs.</returns>
    /// <exception cref="DigestStoreException">The store cannot be read.</exception>
    ValueTask<IReadOnlyList<BatchJobRecord>> GetOpenBatchJobsAsync(string modelId, string criteriaHash, CancellationToken cancellationToken = default);
}

/// <summary>Where a batch job is.</summary>
public enum BatchJobState
{
    /// <summary>The request map is saved; the input file may or may not have been uploaded.</summary>
    Prepared,

    /// <summary>The input file is uploaded (<see cref="BatchJobRecord.InputFileId"/>); the batch may or may not have been created.</summary>
    Uploaded,

    /// <summary>The batch is created (<see cref="BatchJobRecord.BatchId"/>); its answers are not collected yet.</summary>
    Submitted,

    /// <summary>The answers were collected (and cached); the job is done.</summary>
    Collected,
}

/// <summary>One batch the LLM scorer submitted: which papers each request holds, and the provider's ids.</summary>
public sealed record BatchJobRecord
{
    /// <summary>Gets the scorer's own key of the job (also in the batch's metadata as <c>arxivrank_job</c>).</summary>
    public required string JobId { get; init; }

    /// <summary>Gets the model id the job's answers are cached under.</summary>
    public required string ModelId { get; init; }

    /// <summary>Gets the criteria hash the job's answers are cached under.</summary>
    public required string CriteriaHash { get; init; }

    /// <summary>Gets the papers of each request: custom id → arXiv ids with version.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<string>> Requests { get; init; }

    /// <summary>Gets the state.</summary>
    public BatchJobState State { get; init; }

    /// <summary>Gets the provider's id of the uploaded input file, once known.</summary>
    public string? InputFileId { get; init; }

    /// <summary>Gets the provider's batch id, once known.</summary>
    public string? BatchId { get; init; }

    /// <summary>Gets when the job was prepared.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets the metadata sent with the batch.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}
