using System.Globalization;
using System.Text.Json;
using ArxivRank.Pipeline;

namespace ArxivRank.Sqlite;

/// <summary>The Batch API jobs of the LLM scorer (table <c>batch_jobs</c>), so a killed or timed-out run resumes its batch.</summary>
public sealed partial class SqliteArxivRankStore : IBatchJobStore
{
    /// <inheritdoc/>
    public async ValueTask SaveBatchJobAsync(BatchJobRecord job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        string requests = JsonSerializer.Serialize(job.Requests.ToDictionary(r => r.Key, r => r.Value.ToArray(), StringComparer.Ordinal), SqliteJsonContext.Default.DictionaryStringStringArray);
        string metadata = JsonSerializer.Serialize(new Dictionary<string, string>(job.Metadata, StringComparer.Ordinal), SqliteJsonContext.Default.DictionaryStringString);
        string now = _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        await WriteAsync(
            (c, t) => Execute(
                c,
                t,
                """
                INSERT INTO batch_jobs (job_id, model_id, criteria_hash, state, requests_json, metadata_json, input_file_id, batch_id, created_at, updated_at)
                VALUES ($job, $model, $hash, $state, $requests, $metadata, $file, $batch, $created, $now)
                ON CONFLICT (job_id) DO UPDATE SET state = excluded.state, requests_json = excluded.requests_json, metadata_json = excluded.metadata_json,
                    input_file_id = excluded.input_file_id, batch_id = excluded.batch_id, updated_at = excluded.updated_at;
                """,
                ("$job", job.JobId),
                ("$model", job.ModelId),
                ("$hash", job.CriteriaHash),
                ("$state", job.State.ToString()),
                ("$requests", requests),
                ("$metadata", metadata),
                ("$file", job.InputFileId),
                ("$batch", job.BatchId),
                ("$created", job.CreatedAt.ToString("O", CultureInfo.InvariantCulture)),
                ("$now", now)),
            "save a batch job",
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<BatchJobRecord>> GetOpenBatchJobsAsync(string modelId, string criteriaHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        ArgumentNullException.ThrowIfNull(criteriaHash);
        return await ReadAsync(
            c =>
            {
                using var command = Command(
                    c,
                    """
                    SELECT job_id, state, requests_json, metadata_json, input_file_id, batch_id, created_at FROM batch_jobs
                    WHERE model_id = $model AND criteria_hash = $hash AND state <> 'Collected' ORDER BY created_at, job_id;
                    """,
                    ("$model", modelId),
                    ("$hash", criteriaHash));
                using var reader = command.ExecuteReader();
                var jobs = new List<BatchJobRecord>();
                while (reader.Read())
                {
                    if (!Enum.TryParse<BatchJobState>(reader.GetString(1), out var state))
                    {
                        continue; // A state this version does not know was written by a newer one: leave the job alone.
                    }

                    var requests = JsonSerializer.Deserialize(reader.GetString(2), SqliteJsonContext.Default.DictionaryStringStringArray) ?? [];
                    jobs.Add(new BatchJobRecord
                    {
                        JobId = reader.GetString(0),
                        ModelId = modelId,
                        CriteriaHash = criteriaHash,
                        State = state,
                        Requests = requests.ToDictionary(r => r.Key, r => (IReadOnlyList<string>)r.Value, StringComparer.Ordinal),
                        Metadata = JsonSerializer.Deserialize(reader.GetString(3), SqliteJsonContext.Default.DictionaryStringString) ?? [],
                        InputFileId = reader.IsDBNull(4) ? null : reader.GetString(4),
                        BatchId = reader.IsDBNull(5) ? null : reader.GetString(5),
                        CreatedAt = DateTimeOffset.Parse(reader.GetString(6), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                    });
                }

                return (IReadOnlyList<BatchJobRecord>)jobs;
            },
            "read the batch jobs",
            cancellationToken).ConfigureAwait(false);
    }
}
