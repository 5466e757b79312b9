using ArxivRank.Rendering;

namespace ArxivRank.Pipeline;

/// <summary>
/// What the pipeline remembers between runs: which announcement days were processed, which papers each day showed
/// (for "already seen"), the digest history (previous/next links, monthly overview) and, optionally, each digest as JSON.
/// </summary>
/// <remarks>
/// <para>A day counts as processed only once <see cref="MarkProcessedAsync"/> has run, which the pipeline calls after
/// the digest was written. "Seen before" means seen on an <em>earlier</em> announcement day, so rebuilding a day keeps
/// its own papers.</para>
/// <para>Papers are remembered by their canonical id without version (<see cref="ArxivId.WithoutVersion"/>).</para>
/// <para>Implementations: <see cref="InMemoryArxivRankStore"/> (the default) and <c>SqliteArxivRankStore</c> in
/// <c>ArxivRank.Sqlite</c>, which both implement <see cref="Scoring.IScoreCache"/> as well.</para>
/// </remarks>
public interface IDigestStore
{
    /// <summary>Gets the latest announcement day processed.</summary>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The latest day with a digest, or <see langword="null"/> when none was processed yet.</returns>
    /// <exception cref="DigestStoreException">The store cannot be read.</exception>
    ValueTask<DateOnly?> GetLastProcessedAsync(CancellationToken cancellationToken = default);

    /// <summary>Determines whether a day's digest was written.</summary>
    /// <param name="day">The announcement day.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns><see langword="true"/> when the day was marked processed.</returns>
    /// <exception cref="DigestStoreException">The store cannot be read.</exception>
    ValueTask<bool> IsProcessedAsync(DateOnly day, CancellationToken cancellationToken = default);

    /// <summary>Finds which of the given papers were seen on an announcement day before <paramref name="day"/>.</summary>
    /// <param name="day">The announcement day being processed; papers seen on this day or later do not count.</param>
    /// <param name="ids">The papers to look up (versions are ignored).</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The ids (without version) seen earlier.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="ids"/> is <see langword="null"/>.</exception>
    /// <exception cref="DigestStoreException">The store cannot be read.</exception>
    ValueTask<IReadOnlySet<ArxivId>> GetSeenBeforeAsync(DateOnly day, IReadOnlyCollection<ArxivId> ids, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records, in one step, that a day's digest was written: the papers the day showed, the history entry and (when given)
    /// the digest JSON. Replaces what an earlier run recorded for the same day.
    /// </summary>
    /// <param name="record">What to record.</param>
    /// <param name="cancellationToken">Cancels the write; a canceled write records nothing.</param>
    /// <returns>A task that completes when the record is durable.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is <see langword="null"/>.</exception>
    /// <exception cref="DigestStoreException">The store cannot be written.</exception>
    ValueTask MarkProcessedAsync(DigestRecord record, CancellationToken cancellationToken = default);

    /// <summary>Lists the processed days, oldest first, optionally within a range (for a monthly overview).</summary>
    /// <param name="from">The first day (inclusive), or <see langword="null"/>.</param>
    /// <param name="until">The last day (inclusive), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>One summary per processed day.</returns>
    /// <exception cref="DigestStoreException">The store cannot be read.</exception>
    ValueTask<IReadOnlyList<DigestSummary>> GetHistoryAsync(DateOnly? from = null, DateOnly? until = null, CancellationToken cancellationToken = default);

    /// <summary>Finds the processed days just before and just after a day (the digest's previous/next links).</summary>
    /// <param name="day">The day.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The neighbours; either may be <see langword="null"/>.</returns>
    /// <exception cref="DigestStoreException">The store cannot be read.</exception>
    ValueTask<DigestNavigation> GetNavigationAsync(DateOnly day, CancellationToken cancellationToken = default);

    /// <summary>Loads the digest JSON recorded for a day.</summary>
    /// <param name="day">The day.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The JSON, or <see langword="null"/> when the day was not processed or no JSON was recorded.</returns>
    /// <exception cref="DigestStoreException">The store cannot be read.</exception>
    ValueTask<string?> LoadDigestJsonAsync(DateOnly day, CancellationToken cancellationToken = default);
}

/// <summary>What <see cref="IDigestStore.MarkProcessedAsync"/> records for a day.</summary>
public sealed record DigestRecord
{
    /// <summary>Gets the announcement day.</summary>
    public required DateOnly Date { get; init; }

    /// <summary>Gets the papers the day showed (after deduplication), for "already seen" on later days.</summary>
    public IReadOnlyList<ArxivId> SeenPaperIds { get; init; } = [];

    /// <summary>Gets the number of papers arXiv announced in the digest's categories.</summary>
    public int TotalPapers { get; init; }

    /// <summary>Gets the number of papers scanned (kept, deduplicated, not seen before).</summary>
    public int ScannedPapers { get; init; }

    /// <summary>Gets the number of papers selected into the digest.</summary>
    public int SelectedPapers { get; init; }

    /// <summary>Gets when the digest was written.</summary>
    public DateTimeOffset ProcessedAt { get; init; }

    /// <summary>Gets the digest as JSON, when it is to be kept.</summary>
    public string? DigestJson { get; init; }
}

/// <summary>One processed day in the digest history.</summary>
/// <param name="Date">The announcement day.</param>
/// <param name="TotalPapers">Papers arXiv announced in the digest's categories.</param>
/// <param name="ScannedPapers">Papers scanned.</param>
/// <param name="SelectedPapers">Papers selected into the digest.</param>
/// <param name="ProcessedAt">When the digest was written.</param>
public sealed record DigestSummary(DateOnly Date, int TotalPapers, int ScannedPapers, int SelectedPapers, DateTimeOffset ProcessedAt);

/// <summary>A digest store could not be opened, read or written: a file that is not a store, a schema from a newer version, a disk error.</summary>
public class DigestStoreException : ArxivRankException
{
    /// <summary>Initializes a new instance of the <see cref="DigestStoreException"/> class.</summary>
    public DigestStoreException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DigestStoreException"/> class.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    public DigestStoreException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DigestStoreException"/> class.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public DigestStoreException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the location of the store (a file path), when it has one.</summary>
    public string? Location { get; init; }
}
