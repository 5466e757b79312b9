using System.Globalization;
using ArxivRank.Delivery;
using ArxivRank.Pipeline;

namespace ArxivRank.Sqlite;

/// <summary>The delivery records (schema v5): one row per day × kind × target.</summary>
public sealed partial class SqliteArxivRankStore : IDeliveryStore
{
    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<DeliveryRecord>> GetDeliveriesAsync(DateOnly day, CancellationToken cancellationToken = default)
        => await ReadAsync(
            c =>
            {
                using var command = Command(
                    c,
                    "SELECT kind, target, status, parts_delivered, reference, error, attempts, recorded_at FROM deliveries WHERE day = $day ORDER BY kind, target;",
                    ("$day", Day(day)));
                using var reader = command.ExecuteReader();
                var list = new List<DeliveryRecord>();
                while (reader.Read())
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
                        RecordedAt = DateTimeOffset.Parse(reader.GetString(7), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                    });
                }

                return (IReadOnlyList<DeliveryRecord>)list;
            },
            "read the delivery records",
            cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask RecordDeliveryAsync(DeliveryRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (string.IsNullOrWhiteSpace(record.Kind) || string.IsNullOrWhiteSpace(record.Target))
        {
            throw new ArgumentException("A delivery record needs a kind and a target.", nameof(record));
        }

        await WriteAsync(
            (c, t) => Execute(
                c,
                t,
                """
                INSERT INTO deliveries (day, kind, target, status, parts_delivered, reference, error, attempts, recorded_at)
                VALUES ($day, $kind, $target, $status, $parts, $reference, $error, $attempts, $at)
                ON CONFLICT (day, kind, target) DO UPDATE SET
                    status = excluded.status, parts_delivered = excluded.parts_delivered, reference = excluded.reference,
                    error = excluded.error, attempts = excluded.attempts, recorded_at = excluded.recorded_at;
                """,
                ("$day", Day(record.Date)),
                ("$kind", record.Kind),
                ("$target", record.Target),
                ("$status", record.Status == DeliveryStatus.Failed ? "failed" : "delivered"),
                ("$parts", record.PartsDelivered),
                ("$reference", record.Reference),
                ("$error", record.Error),
                ("$attempts", record.Attempts),
                ("$at", record.RecordedAt.ToString("O", CultureInfo.InvariantCulture))),
            "record a delivery",
            cancellationToken).ConfigureAwait(false);
    }
}
