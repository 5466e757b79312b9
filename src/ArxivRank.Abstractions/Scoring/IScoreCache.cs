namespace ArxivRank.Scoring;

/// <summary>
/// Remembers scores so a re-run over the same papers, with the same criteria and model, spends zero tokens.
/// An in-memory implementation ships with the library; <c>ArxivRank.Sqlite</c> keeps them across runs.
/// </summary>
public interface IScoreCache
{
    /// <summary>Looks up cached scores.</summary>
    /// <param name="keys">The keys to look up.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The scores found, by key; keys not cached are absent.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="keys"/> is <see langword="null"/>.</exception>
    ValueTask<IReadOnlyDictionary<ScoreCacheKey, PaperScore>> GetManyAsync(IReadOnlyCollection<ScoreCacheKey> keys, CancellationToken cancellationToken = default);

    /// <summary>Stores scores (replacing any cached under the same key). Called as each batch completes, so a crash loses at most the batch in flight.</summary>
    /// <param name="entries">The keys and their scores.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the scores are stored.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="entries"/> is <see langword="null"/>.</exception>
    ValueTask SetManyAsync(IReadOnlyCollection<KeyValuePair<ScoreCacheKey, PaperScore>> entries, CancellationToken cancellationToken = default);
}

/// <summary>What a cached score depends on.</summary>
/// <param name="PaperId">The paper, with its version when known (a new version is a new paper to score).</param>
/// <param name="CriteriaHash">A hash of the criteria, rubric and prompt version (any change invalidates the cache).</param>
/// <param name="ModelId">The model (or offline scorer) that scored it.</param>
public readonly record struct ScoreCacheKey(ArxivId PaperId, string CriteriaHash, string ModelId);
