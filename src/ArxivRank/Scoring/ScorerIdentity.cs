using ArxivRank.Pipeline;

namespace ArxivRank.Scoring;

/// <summary>Reads a scorer's identity for the score cache and the digest, and answers <see cref="IPaperScorer.GetService"/> for the built-in scorers.</summary>
internal static class ScorerIdentity
{
    /// <summary>Gets the scorer's <see cref="ScorerMetadata"/>, or builds one from an <see cref="IScorerFingerprint"/> anywhere in its stack.</summary>
    public static ScorerMetadata? Of(IPaperScorer scorer)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        if (scorer.GetService<ScorerMetadata>() is { } metadata)
        {
            return metadata;
        }

        var fingerprint = scorer.GetService<IScorerFingerprint>() ?? scorer as IScorerFingerprint;
        return fingerprint is null ? null : new ScorerMetadata(fingerprint.ModelId, fingerprint.CriteriaHash, scorer.GetService<ScoringCriteria>()?.ToMarkdown());
    }

    /// <summary>What a built-in scorer answers: itself, its metadata, and the criteria it was created from.</summary>
    public static object? Answer(IPaperScorer self, Type serviceType, object? serviceKey, ScoringCriteria? criteria, Func<ScorerMetadata> metadata)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType.IsInstanceOfType(self))
        {
            return self;
        }

        if (serviceType == typeof(ScorerMetadata))
        {
            return metadata();
        }

        return criteria is not null && serviceType == typeof(ScoringCriteria) ? criteria : null;
    }
}
