using System.Text.Json;
using ArxivRank.Rendering;
using ArxivRank.Serialization;

namespace ArxivRank.Pipeline;

/// <summary>The JSON a store keeps for a day: a format version around the digest, so later versions can read old rows.</summary>
/// <param name="FormatVersion">The format version (1).</param>
/// <param name="Digest">The digest.</param>
internal sealed record StoredDigest(int FormatVersion, Digest Digest)
{
    public const int CurrentFormat = 1;

    public static string Serialize(Digest digest)
        => JsonSerializer.Serialize(new StoredDigest(CurrentFormat, digest), ArxivRankJsonContext.Default.StoredDigest);

    public static Digest Deserialize(string json, DateOnly day)
    {
        StoredDigest? stored;
        try
        {
            stored = JsonSerializer.Deserialize(json, ArxivRankJsonContext.Default.StoredDigest);
        }
        catch (JsonException ex)
        {
            throw new DigestStoreException($"The stored digest of {day:yyyy-MM-dd} is not valid JSON ({ex.Message}); regenerate it with --force.", ex);
        }

        if (stored?.Digest is null)
        {
            throw new DigestStoreException($"The stored digest of {day:yyyy-MM-dd} is empty; regenerate it with --force.");
        }

        if (stored.FormatVersion > CurrentFormat)
        {
            throw new DigestStoreException($"The stored digest of {day:yyyy-MM-dd} has format {stored.FormatVersion}, newer than this version of ArxivRank reads ({CurrentFormat}); upgrade ArxivRank.");
        }

        return stored.Digest;
    }
}

/// <summary>Conveniences over <see cref="IDigestStore"/>.</summary>
public static class DigestStoreExtensions
{
    /// <summary>Loads the digest recorded for a day, when its JSON was kept.</summary>
    /// <param name="store">The store.</param>
    /// <param name="day">The announcement day.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The digest, or <see langword="null"/> when the day was not processed or no JSON was kept.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> is <see langword="null"/>.</exception>
    /// <exception cref="DigestStoreException">The store cannot be read, or the recorded JSON is unreadable.</exception>
    public static async Task<Digest?> LoadDigestAsync(this IDigestStore store, DateOnly day, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        string? json = await store.LoadDigestJsonAsync(day, cancellationToken).ConfigureAwait(false);
        return json is null ? null : StoredDigest.Deserialize(json, day);
    }

    /// <summary>Lists the processed days of one month, oldest first (for a monthly overview).</summary>
    /// <param name="store">The store.</param>
    /// <param name="year">The year.</param>
    /// <param name="month">The month, 1 to 12.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>One summary per processed day of the month.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="year"/> or <paramref name="month"/> is out of range.</exception>
    /// <exception cref="DigestStoreException">The store cannot be read.</exception>
    public static async Task<IReadOnlyList<DigestSummary>> GetMonthAsync(this IDigestStore store, int year, int month, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfLessThan(year, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, 9999);
        ArgumentOutOfRangeException.ThrowIfLessThan(month, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(month, 12);
        var first = new DateOnly(year, month, 1);
        return await store.GetHistoryAsync(first, first.AddMonths(1).AddDays(-1), cancellationToken).ConfigureAwait(false);
    }
}
