using ArxivRank.Delivery;

namespace ArxivRank.Pipeline;

/// <summary>
/// The delivery records of a store: one per announcement day × kind × target (a Slack channel, one email recipient),
/// so a digest reaches each target exactly once and a failed or interrupted delivery is finished by the next run.
/// </summary>
/// <remarks>
/// Implemented by <see cref="InMemoryArxivRankStore"/>, <c>SqliteArxivRankStore</c> (schema version 5) and <c>PostgreSqlArxivRankStore</c> (schema version 3, per reader). A record with
/// <see cref="DeliveryStatus.Delivered"/> is written only after the provider acknowledged the delivery.
/// </remarks>
public interface IDeliveryStore
{
    /// <summary>Lists the delivery records of a day.</summary>
    /// <param name="day">The announcement day.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The records, ordered by kind then target.</returns>
    /// <exception cref="DigestStoreException">The store cannot be read.</exception>
    ValueTask<IReadOnlyList<DeliveryRecord>> GetDeliveriesAsync(DateOnly day, CancellationToken cancellationToken = default);

    /// <summary>Records the outcome of a delivery, replacing the record of the same day, kind and target.</summary>
    /// <param name="record">The record.</param>
    /// <param name="cancellationToken">Cancels the write; a canceled write records nothing.</param>
    /// <returns>A task that completes when the record is durable.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The record's kind or target is empty.</exception>
    /// <exception cref="DigestStoreException">The store cannot be written.</exception>
    ValueTask RecordDeliveryAsync(DeliveryRecord record, CancellationToken cancellationToken = default);
}

/// <summary>The outcome of delivering one day's digest to one target, as a store keeps it.</summary>
public sealed record DeliveryRecord
{
    /// <summary>Gets the announcement day.</summary>
    public required DateOnly Date { get; init; }

    /// <summary>Gets the kind of channel (<c>slack</c>, <c>slack-webhook</c>, <c>email</c>).</summary>
    public required string Kind { get; init; }

    /// <summary>Gets the target (a channel id, an email address).</summary>
    public required string Target { get; init; }

    /// <summary>Gets how the last attempt ended (<see cref="DeliveryStatus.Delivered"/> or <see cref="DeliveryStatus.Failed"/>).</summary>
    public required DeliveryStatus Status { get; init; }

    /// <summary>Gets how many parts (messages) the provider acknowledged.</summary>
    public int PartsDelivered { get; init; }

    /// <summary>Gets the provider's reference (a Slack message <c>ts</c>, an email Message-ID), when known.</summary>
    public string? Reference { get; init; }

    /// <summary>Gets the last failure's message, for a failed delivery.</summary>
    public string? Error { get; init; }

    /// <summary>Gets how many attempts were made for this day and target.</summary>
    public int Attempts { get; init; } = 1;

    /// <summary>Gets when the record was written.</summary>
    public DateTimeOffset RecordedAt { get; init; }

    internal static void Check(DeliveryRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (string.IsNullOrWhiteSpace(record.Kind) || string.IsNullOrWhiteSpace(record.Target))
        {
            throw new ArgumentException("A delivery record needs a kind and a target.", nameof(record));
        }
    }
}
