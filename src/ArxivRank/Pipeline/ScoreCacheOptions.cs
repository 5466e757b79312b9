using ArxivRank.Scoring;

namespace ArxivRank.Pipeline;

/// <summary>How the pipeline caches scores so a re-run over the same papers spends zero tokens.</summary>
/// <remarks>
/// A cached score is valid for one paper version, one criteria hash and one model. Both come from the scorer when it
/// names them (<see cref="ScorerMetadata"/> or <see cref="IScorerFingerprint"/>); these options override them. Without either, caching is off (a cache
/// that cannot tell criteria apart would serve stale scores).
/// </remarks>
public sealed class ScoreCacheOptions
{
    /// <summary>Gets or sets a value indicating whether scores are cached.</summary>
    /// <value><see langword="true"/> by default.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets the model id the scores are cached under (<c>gpt-4o</c>, <c>lexical</c>).</summary>
    /// <value><see langword="null"/> by default: taken from the scorer's <see cref="ScorerMetadata"/>.</value>
    public string? ModelId { get; set; }

    /// <summary>Gets or sets the hash of the criteria, rubric and prompt version the scores are cached under (see <see cref="ScoreCacheKeys.HashCriteria"/>).</summary>
    /// <value><see langword="null"/> by default: taken from the scorer's <see cref="ScorerMetadata"/>.</value>
    public string? CriteriaHash { get; set; }

    /// <summary>
    /// Gets or sets how many uncached papers are handed to the scorer at a time; the scores of each chunk are stored as soon
    /// as it completes, so a crash loses at most one chunk of spending.
    /// </summary>
    /// <value>100 by default. Larger chunks let a concurrent scorer keep more requests in flight.</value>
    public int ChunkSize { get; set; } = 100;

    /// <summary>Returns a copy of these options.</summary>
    /// <returns>A new instance with the same values.</returns>
    public ScoreCacheOptions Clone() => (ScoreCacheOptions)MemberwiseClone();

    internal IEnumerable<string> Validate(string prefix = nameof(ScoreCacheOptions))
    {
        if (ChunkSize < 1)
        {
            yield return $"{prefix}.{nameof(ChunkSize)} must be at least 1 (was {ChunkSize}).";
        }

        if (ModelId is not null && string.IsNullOrWhiteSpace(ModelId))
        {
            yield return $"{prefix}.{nameof(ModelId)} must not be blank (leave it null to take it from the scorer).";
        }

        if (CriteriaHash is not null && string.IsNullOrWhiteSpace(CriteriaHash))
        {
            yield return $"{prefix}.{nameof(CriteriaHash)} must not be blank (leave it null to take it from the scorer).";
        }
    }
}

/// <summary>
/// What a scorer's results depend on, for the score cache: the model and a hash of the criteria, rubric and prompt version.
/// Scorers implement it so the pipeline can cache their scores without extra configuration.
/// </summary>
/// <remarks>A scorer written against <c>ArxivRank.Abstractions</c> alone answers <see cref="IPaperScorer.GetService"/> with a
/// <see cref="ScorerMetadata"/> instead; both are honored, the metadata first.</remarks>
public interface IScorerFingerprint
{
    /// <summary>Gets the model (or offline scorer) id, such as <c>gpt-4o</c> or <c>lexical</c>.</summary>
    string ModelId { get; }

    /// <summary>Gets a hash of everything else the scores depend on: criteria, rubric, prompt version, scorer settings.</summary>
    string CriteriaHash { get; }
}

/// <summary>Helpers to build score cache keys.</summary>
public static class ScoreCacheKeys
{
    /// <summary>Hashes the texts a score depends on (criteria, rubric, prompt version…) into a short, stable key.</summary>
    /// <param name="parts">The texts, in a fixed order; <see langword="null"/> parts count as empty. Line endings are normalized.</param>
    /// <returns>32 lowercase hex characters (the first 128 bits of SHA-256).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="parts"/> is <see langword="null"/>.</exception>
    public static string HashCriteria(params string?[] parts) => ScorerMetadata.Hash(parts);
}
