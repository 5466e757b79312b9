using ArxivRank.Selection;
using Microsoft.Extensions.Options;

namespace ArxivRank.Pipeline;

/// <summary>Settings of the daily digest pipeline: what to fetch, how to treat history, how to select, how to cache scores.</summary>
public sealed class DigestPipelineOptions
{
    /// <summary>Gets or sets the categories (<c>cs.LG</c>) or archives (<c>cs</c>) to fetch, when a run does not pass its own query.</summary>
    /// <value><c>cs.LG</c> by default. May be empty for a source that does not use categories; arXiv's sources then say they need one.</value>
    public IList<string> Categories { get; set; } = ["cs.LG"];

    /// <summary>Gets or sets the announce types to keep, when a run does not pass its own query.</summary>
    /// <value>New submissions and cross-lists by default.</value>
    public ISet<AnnounceType> AnnounceTypes { get; set; } = new HashSet<AnnounceType> { AnnounceType.New, AnnounceType.Cross };

    /// <summary>Gets or sets a value indicating whether to keep only papers whose primary category is one of <see cref="Categories"/>.</summary>
    /// <value><see langword="false"/> by default.</value>
    public bool PrimaryCategoryOnly { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether to skip the "already processed" check, for snapshot-like sources that
    /// serve the same day every time.
    /// </summary>
    /// <value><see langword="false"/> by default.</value>
    public bool SkipProcessedCheck { get; set; }

    /// <summary>Gets or sets a value indicating whether papers seen on an earlier announcement day are left out.</summary>
    /// <value><see langword="true"/> by default.</value>
    public bool SkipSeenPapers { get; set; } = true;

    /// <summary>Gets or sets the reader's criteria text, shown at the end of the digest, when it should differ from the scorer's.</summary>
    /// <value><see langword="null"/> by default: the scorer's criteria (<c>ScorerMetadata.CriteriaText</c>; every scorer created from <c>ScoringCriteria</c> names them), or none.</value>
    public string? CriteriaText { get; set; }

    /// <summary>Gets or sets the name of the scorer shown in the digest (<c>gpt-4o</c>, <c>lexical</c>).</summary>
    /// <value><see langword="null"/> by default: the score cache's model id, when known.</value>
    public string? ScorerName { get; set; }

    /// <summary>Gets or sets a value indicating whether the store keeps each digest as JSON (for archives and re-rendering).</summary>
    /// <value><see langword="true"/> by default.</value>
    public bool StoreDigestJson { get; set; } = true;

    /// <summary>Gets or sets the selection rules.</summary>
    /// <value>The defaults of <see cref="SelectionOptions"/>.</value>
    public SelectionOptions Selection { get; set; } = new();

    /// <summary>Gets or sets how scores are cached.</summary>
    /// <value>The defaults of <see cref="ScoreCacheOptions"/>.</value>
    public ScoreCacheOptions ScoreCache { get; set; } = new();

    /// <summary>Returns a deep copy, so a built pipeline is not affected by later changes.</summary>
    /// <returns>A copy with its own lists and nested options.</returns>
    internal DigestPipelineOptions Clone()
    {
        var copy = (DigestPipelineOptions)MemberwiseClone();
        copy.Categories = Categories is null ? null! : [.. Categories];
        copy.AnnounceTypes = AnnounceTypes is null ? null! : new HashSet<AnnounceType>(AnnounceTypes);
        copy.Selection = Selection?.Clone()!;
        copy.ScoreCache = ScoreCache?.Clone()!;
        return copy;
    }

    /// <summary>Lists what is wrong with these options, each message naming the option.</summary>
    /// <returns>The problems; empty when the options are valid.</returns>
    internal IEnumerable<string> Validate()
    {
        const string Prefix = nameof(DigestPipelineOptions);
        if (Categories is null)
        {
            yield return $"{Prefix}.{nameof(Categories)} must not be null (leave it empty for a source that needs no category).";
        }
        else
        {
            foreach (string? category in Categories)
            {
                if (string.IsNullOrWhiteSpace(category) || category.Any(char.IsWhiteSpace))
                {
                    yield return $"{Prefix}.{nameof(Categories)} holds an invalid category '{category}' (expected a name such as cs.LG, without spaces).";
                }
            }
        }

        if (AnnounceTypes is null || AnnounceTypes.Count == 0)
        {
            yield return $"{Prefix}.{nameof(AnnounceTypes)} must keep at least one announce type.";
        }

        if (Selection is null)
        {
            yield return $"{Prefix}.{nameof(Selection)} must not be null.";
        }
        else
        {
            foreach (string problem in Selection.Validate($"{Prefix}.{nameof(Selection)}"))
            {
                yield return problem;
            }
        }

        if (ScoreCache is null)
        {
            yield return $"{Prefix}.{nameof(ScoreCache)} must not be null.";
        }
        else
        {
            foreach (string problem in ScoreCache.Validate($"{Prefix}.{nameof(ScoreCache)}"))
            {
                yield return problem;
            }
        }
    }
}

/// <summary>Validates <see cref="DigestPipelineOptions"/> at start (<c>ValidateOnStart</c>), naming each bad option.</summary>
internal sealed class DigestPipelineOptionsValidator : IValidateOptions<DigestPipelineOptions>
{
    public ValidateOptionsResult Validate(string? name, DigestPipelineOptions options)
    {
        var problems = options.Validate().ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
