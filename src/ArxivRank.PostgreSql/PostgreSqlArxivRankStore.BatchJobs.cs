using System.Text.Json;
using ArxivRank.Pipeline;
using NpgsqlTypes;

namespace ArxivRank.PostgreSql;

/// <summary>The reader's Batch API jobs (schema v3): the request map and the provider's ids, so a killed run resumes its batch.</summary>
public sealed partial class PostgreSqlArxivRankStore : IBatchJobStore
{
    /// <inheritdoc/>
    public async ValueTask SaveBatchJobAsync(BatchJobRecord job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        string requests = JsonSerializer.Serialize(job.Requests.ToDictionary(r => r.Key, r => r.Value.ToArray(), StringComparer.Ordinal), PostgreSqlJsonContext.Default.DictionaryStringStringArray);
        string metadata = JsonSerializer.Serialize(new Dictionary<string, string>(job.Metadata, StringComparer.Ordinal), PostgreSqlJsonContext.Default.DictionaryStringString);
        var now = PostgreSqlArxivRankDatabase.Utc(Database.TimeProvider.GetUtcNow());
        await Database.WriteAsync(
            "save a batch job",
            async (c, t, ct) =>
            {
                using var upsert = ReaderCommand(
                    c,
                    """
                    INSERT INTO arxivrank.batch_jobs (reader_id, job_id, model_id, criteria_hash, state, requests_json, metadata_json, input_file_id, batch_id, created_at, updated_at)
                    VALUES (@reader, @job, @model, @hash, @state, @requests, @metadata, @file, @batch, @created, @now)
                    ON CONFLICT (reader_id, job_id) DO UPDATE SET state = excluded.state, requests_json = excluded.requests_json, metadata_json = excluded.metadata_json,
                        input_file_id = excluded.input_file_id, batch_id = excluded.batch_id, updated_at = excluded.updated_at;
                    """,
                    t)
                    .Add("job", NpgsqlDbType.Text, job.JobId)
                    .Add("model", NpgsqlDbType.Text, job.ModelId)
                    .Add("hash", NpgsqlDbType.Text, job.CriteriaHash)
                    .Add("state", NpgsqlDbType.Text, job.State.ToString())
                    .Add("requests", NpgsqlDbType.Text, requests)
                    .Add("metadata", NpgsqlDbType.Text, metadata)
                    .Add("file", NpgsqlDbType.Text, job.InputFileId)
                    .Add("batch", NpgsqlDbType.Text, job.BatchId)
                    .Add("created", NpgsqlDbType.TimestampTz, PostgreSqlArxivRankDatabase.Utc(job.CreatedAt))
                    .Add("now", NpgsqlDbType.TimestampTz, now);
                await upsert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<BatchJobRecord>> GetOpenBatchJobsAsync(string modelId, string criteriaHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        ArgumentNullException.ThrowIfNull(criteriaHash);
        return await Database.ReadAsync(
            "read the batch jobs",
            async (c, ct) =>
            {
                using var command = ReaderCommand(
                    c,
                    """
                    SELECT job_id, state, requests_json, metadata_json, input_file_id, batch_id, created_at FROM arxivrank.batch_jobs
                    WHERE reader_id = @reader AND model_id = @model AND criteria_hash = @hash AND state <> 'Collected' ORDER BY created_at, job_id COLLATE "C";
                    """)
                    .Add("model", NpgsqlDbType.Text, modelId)
                    .Add("hash", NpgsqlDbType.Text, criteriaHash);
                using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                var jobs = new List<BatchJobRecord>();
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    if (!Enum.TryParse<BatchJobState>(reader.GetString(1), out var state))
                    {
                        continue; // A state this version does not know was written by a newer one: leave the job alone.
                    }

                    var requests = JsonSerializer.Deserialize(reader.GetString(2), PostgreSqlJsonContext.Default.DictionaryStringStringArray) ?? [];
                    jobs.Add(new BatchJobRecord
                    {
                        JobId = reader.GetString(0),
                        ModelId = modelId,
                        CriteriaHash = criteriaHash,
                        State = state,
                        Requests = requests.ToDictionary(r => r.Key, r => (IReadOnlyList<string>)r.Value, StringComparer.Ordinal),
                        Metadata = JsonSerializer.Deserialize(reader.GetString(3), PostgreSqlJsonContext.Default.DictionaryStringString) ?? [],
                        InputFileId = reader.IsDBNull(4) ? null : reader.GetString(4),
                        BatchId = reader.IsDBNull(5) ? null : reader.GetString(5),
                        CreatedAt = reader.GetFieldValue<DateTimeOffset>(6),
                    });
                }

                return (IReadOnlyList<BatchJobRecord>)jobs;
            },
            cancellationToken).ConfigureAwait(false);
    }
}
