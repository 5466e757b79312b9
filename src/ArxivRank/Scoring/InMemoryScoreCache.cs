using System.Collections.Concurrent;

namespace ArxivRank.Scoring;

/// <summary>
/// An <see cref="IScoreCache"/> that lives as long as the process: a second run over the same papers with the same
/// criteria and model, in the same process, spends zero tokens. Thread-safe. <c>ArxivRank.Sqlite</c> keeps scores across runs.
/// </summary>
public sealed class InMemoryScoreCache : IScoreCache
{
    private readonly ConcurrentDictionary<ScoreCacheKey, PaperScore> _entries = new();

    /// <summary>Gets the number of cached scores.</summary>
    public int Count => _entries.Count;

    /// <inheritdoc/>
    public ValueTask<IReadOnlyDictionary<ScoreCacheKey, PaperScore>> GetManyAsync(IReadOnlyCollection<ScoreCacheKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        cancellationToken.ThrowIfCancellationRequested();
        var found = new Dictionary<ScoreCacheKey, PaperScore>();
        foreach (var key in keys)
        {
            if (_entries.TryGetValue(key, out var score))
            {
                found[key] = score;
            }
        }

        return ValueTask.FromResult<IReadOnlyDictionary<ScoreCacheKey, PaperScore>>(found);
    }

    /// <inheritdoc/>
    public ValueTask SetManyAsync(IReadOnlyCollection<KeyValuePair<ScoreCacheKey, PaperScore>> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var (key, score) in entries)
        {
            ArgumentNullException.ThrowIfNull(score, nameof(entries));
            _entries[key] = score;
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Removes every cached score.</summary>
    public void Clear() => _entries.Clear();
}
