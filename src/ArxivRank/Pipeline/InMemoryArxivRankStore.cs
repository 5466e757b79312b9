using ArxivRank.Rendering;
using ArxivRank.Scoring;

namespace ArxivRank.Pipeline;

/// <summary>
/// A digest store and score cache that lives as long as the process: the default when nothing persistent is configured,
/// and handy in tests. Thread-safe. Use <c>SqliteArxivRankStore</c> (package <c>ArxivRank.Sqlite</c>) to keep history and
/// scores across runs.
/// </summary>
public sealed partial class InMemoryArxivRankStore : IDigestStore, IScoreCache, IDeliveryStore
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<DateOnly, DigestRecord> _digests = [];
    private readonly Dictionary<DateOnly, HashSet<string>> _seenByDay = [];
    private readonly Dictionary<ScoreCacheKey, PaperScore> _scores = [];
    private readonly Dictionary<(DateOnly Day, string Kind, string Target), DeliveryRecord> _deliveries = [];

    /// <summary>Gets the number of cached scores.</summary>
    public int CachedScoreCount
    {
        get
        {
            lock (_gate)
            {
                return _scores.Count;
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask<DateOnly?> GetLastProcessedAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult<DateOnly?>(_digests.Count == 0 ? null : _digests.Keys.Last());
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> IsProcessedAsync(DateOnly day, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_digests.ContainsKey(day));
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlySet<ArxivId>> GetSeenBeforeAsync(DateOnly day, IReadOnlyCollection<ArxivId> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        cancellationToken.ThrowIfCancellationRequested();
        var seen = new HashSet<ArxivId>();
        lock (_gate)
        {
            var earlier = _seenByDay.Where(d => d.Key < day).Select(d => d.Value).ToList();
            foreach (var id in ids)
            {
                if (earlier.Exists(set => set.Contains(id.Id)))
                {
                    seen.Add(id.WithoutVersion());
                }
            }
        }

        return ValueTask.FromResult<IReadOnlySet<ArxivId>>(seen);
    }

    /// <inheritdoc/>
    public ValueTask MarkProcessedAsync(DigestRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _digests[record.Date] = record;
            _seenByDay[record.Date] = new HashSet<string>((record.SeenPaperIds ?? []).Select(id => id.Id), StringComparer.Ordinal);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<DigestSummary>> GetHistoryAsync(DateOnly? from = null, DateOnly? until = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<DigestSummary> list =
            [
                .. _digests.Values
                    .Where(r => (from is null || r.Date >= from) && (until is null || r.Date <= until))
                    .Select(r => new DigestSummary(r.Date, r.TotalPapers, r.ScannedPapers, r.SelectedPapers, r.ProcessedAt)),
            ];
            return ValueTask.FromResult(list);
        }
    }

    /// <inheritdoc/>
    public ValueTask<DigestNavigation> GetNavigationAsync(DateOnly day, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            DateOnly? previous = null, next = null;
            foreach (var date in _digests.Keys)
            {
                if (date < day)
                {
                    previous = date;
                }
                else if (date > day)
                {
                    next = date;
                    break;
                }
            }

            return ValueTask.FromResult(new DigestNavigation { Previous = previous, Next = next });
        }
    }

    /// <inheritdoc/>
    public ValueTask<string?> LoadDigestJsonAsync(DateOnly day, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_digests.TryGetValue(day, out var record) ? record.DigestJson : null);
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyDictionary<ScoreCacheKey, PaperScore>> GetManyAsync(IReadOnlyCollection<ScoreCacheKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        cancellationToken.ThrowIfCancellationRequested();
        var found = new Dictionary<ScoreCacheKey, PaperScore>();
        lock (_gate)
        {
            foreach (var key in keys)
            {
                if (_scores.TryGetValue(key, out var score))
                {
                    found[key] = score;
                }
            }
        }

        return ValueTask.FromResult<IReadOnlyDictionary<ScoreCacheKey, PaperScore>>(found);
    }

    /// <inheritdoc/>
    public ValueTask SetManyAsync(IReadOnlyCollection<KeyValuePair<ScoreCacheKey, PaperScore>> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            foreach (var (key, score) in entries)
            {
                ArgumentNullException.ThrowIfNull(score, nameof(entries));
                _scores[key] = score;
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<DeliveryRecord>> GetDeliveriesAsync(DateOnly day, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<DeliveryRecord> list =
            [
                .. _deliveries.Values.Where(r => r.Date == day).OrderBy(r => r.Kind, StringComparer.Ordinal).ThenBy(r => r.Target, StringComparer.Ordinal),
            ];
            return ValueTask.FromResult(list);
        }
    }

    /// <inheritdoc/>
    public ValueTask RecordDeliveryAsync(DeliveryRecord record, CancellationToken cancellationToken = default)
    {
        DeliveryRecord.Check(record);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _deliveries[(record.Date, record.Kind, record.Target)] = record;
        }

        return ValueTask.CompletedTask;
    }
}
