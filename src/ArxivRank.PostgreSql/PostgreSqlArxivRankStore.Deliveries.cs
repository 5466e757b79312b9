using ArxivRank.Delivery;
using ArxivRank.Pipeline;
using NpgsqlTypes;

namespace ArxivRank.PostgreSql;

/// <summary>The reader's delivery records (schema v3): one row per reader × day × kind × target.</summary>
public sealed partial class PostgreSqlArxivRankStore : IDeliveryStore
{
    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<DeliveryRecord>> GetDeliveriesAsync(DateOnly day, CancellationToken cancellationToken = default)
        => await Database.ReadAsync(
            "read the delivery records",
            async (c, ct) =>
            {
                using var command = ReaderCommand(
                    c,
                    """
                    SELECT kind, target, status, parts_delivered, reference, error, attempts, recorded_at FROM arxivrank.deliveries
                    WHERE reader_id = @reader AND day = @day ORDER BY kind COLLATE "C", target COLLATE "C";
                    """)
                    .Add("day", NpgsqlDbType.Date, day);
                using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                var list = new List<DeliveryRecord>();
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    list.Add(new DeliveryRecord
                    {
                        Date = day,
                        Kind = reader.GetString(0),
                        Target = reader.GetString(1),
                        Status = reader.GetString(2) == "delivered" ? DeliveryStatus.Delivered : DeliveryStatus.Failed,
                        PartsDelivered = reader.GetInt32(3),
                        Reference = reader.IsDBNull(4) ? null : reader.GetString(4),
                        Error = reader.IsDBNull(5) ? null : reader.GetString(5),
                        Attempts = reader.GetInt32(6),
                        RecordedAt = reader.GetFieldValue<DateTimeOffset>(7),
                    });
                }

                return (IReadOnlyList<DeliveryRecord>)list;
            },
            cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask RecordDeliveryAsync(DeliveryRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (string.IsNullOrWhiteSpace(record.Kind) || string.IsNullOrWhiteSpace(record.Target))
        {
            throw new ArgumentException("A delivery record needs a kind and a target.", nameof(record));
        }

        await Database.WriteAsync(
            "record a delivery",
            async (c, t, ct) =>
            {
                using var upsert = ReaderCommand(
                    c,
                    """
                    INSERT INTO arxivrank.deliveries (reader_id, day, kind, target, status, parts_delivered, reference, error, attempts, recorded_at)
                    VALUES (@reader, @day, @kind, @target, @status, @parts, @reference, @error, @attempts, @at)
                    ON CONFLICT (reader_id, day, kind, target) DO UPDATE SET
                        status = excluded.status, parts_delivered = excluded.parts_delivered, reference = excluded.reference,
                        error = excluded.error, attempts = excluded.attempts, recorded_at = excluded.recorded_at;
                    """,
                    t)
                    .Add("day", NpgsqlDbType.Date, record.Date)
                    .Add("kind", NpgsqlDbType.Text, record.Kind)
                    .Add("target", NpgsqlDbType.Text, record.Target)
                    .Add("status", NpgsqlDbType.Text, record.Status == DeliveryStatus.Failed ? "failed" : "delivered")
                    .Add("parts", NpgsqlDbType.Integer, record.PartsDelivered)
                    .Add("reference", NpgsqlDbType.Text, record.Reference)
                    .Add("error", NpgsqlDbType.Text, record.Error)
                    .Add("attempts", NpgsqlDbType.Integer, record.Attempts)
                    .Add("at", NpgsqlDbType.TimestampTz, PostgreSqlArxivRankDatabase.Utc(record.RecordedAt));
                await upsert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }
}
