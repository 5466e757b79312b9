using System.Security.Cryptography;
using System.Text;

namespace ArxivRank.Scoring;

/// <summary>
/// Who a scorer is, in the manner of <c>ChatClientMetadata</c>: the model, a hash of everything else its scores depend on,
/// and the criteria it judges against. Returned by <see cref="IPaperScorer.GetService"/> when asked for this type.
/// </summary>
/// <remarks>
/// <para>The score cache keys every score with (paper id and version, <see cref="CriteriaHash"/>, <see cref="ModelId"/>), so a
/// scorer whose metadata names both is cached without configuration. A scorer that names a model id but no criteria hash
/// says on purpose that its scores must not be cached (they depend on the whole run, as the lexical scorer's do).</para>
/// <para>A custom scorer opts in by answering <see cref="IPaperScorer.GetService"/>:</para>
/// <code>
/// public object? GetService(Type serviceType, object? serviceKey = null)
///     => serviceType == typeof(ScorerMetadata) ? new ScorerMetadata("my-model", ScorerMetadata.Hash(criteriaText)) : null;
/// </code>
/// </remarks>
public sealed class ScorerMetadata
{
    /// <summary>Initializes a new instance of the <see cref="ScorerMetadata"/> class.</summary>
    /// <param name="modelId">The model (or offline scorer) id, such as <c>gpt-4o</c> or <c>lexical</c>.</param>
    /// <param name="criteriaHash">A hash of everything else the scores depend on (<see cref="Hash"/> makes one); <see langword="null"/> or empty when the scores must not be cached.</param>
    /// <param name="criteriaText">The reader's criteria text the scorer judges against, shown at the end of a digest; <see langword="null"/> when there is none.</param>
    public ScorerMetadata(string? modelId = null, string? criteriaHash = null, string? criteriaText = null)
    {
        ModelId = string.IsNullOrWhiteSpace(modelId) ? null : modelId;
        CriteriaHash = string.IsNullOrWhiteSpace(criteriaHash) ? null : criteriaHash;
        CriteriaText = string.IsNullOrWhiteSpace(criteriaText) ? null : criteriaText;
    }

    /// <summary>Gets the model (or offline scorer) id, such as <c>gpt-4o</c> or <c>lexical</c>; <see langword="null"/> when unknown.</summary>
    public string? ModelId { get; }

    /// <summary>Gets a hash of everything else the scores depend on (criteria, rubric, prompt version, settings); <see langword="null"/> when the scores must not be cached.</summary>
    public string? CriteriaHash { get; }

    /// <summary>Gets the reader's criteria text the scorer judges against; <see langword="null"/> when there is none.</summary>
    public string? CriteriaText { get; }

    /// <summary>Gets a value indicating whether scores can be cached under this identity (both <see cref="ModelId"/> and <see cref="CriteriaHash"/> are known).</summary>
    public bool IsCacheable => ModelId is not null && CriteriaHash is not null;

    /// <summary>Hashes the texts a score depends on (criteria, rubric, prompt version…) into a short, stable key.</summary>
    /// <param name="parts">The texts, in a fixed order; <see langword="null"/> parts count as empty. Line endings are normalized.</param>
    /// <returns>32 lowercase hex characters (the first 128 bits of SHA-256).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="parts"/> is <see langword="null"/>.</exception>
    public static string Hash(params string?[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var text = new StringBuilder();
        foreach (string? part in parts)
        {
            text.Append((part ?? string.Empty).Replace("\r\n", "\n", StringComparison.Ordinal)).Append('\u001f');
        }

        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
        return Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }
}
