using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ArxivRank.Scoring;

/// <summary>What one paper is worth to the reader.</summary>
public sealed record PaperScore
{
    /// <summary>Gets the paper scored (with the version the answer or the source carried, when known).</summary>
    public required ArxivId PaperId { get; init; }

    /// <summary>Gets the relevance to the reader's criteria, 1 to 10; <see langword="null"/> when the scorer does not judge it (author matches).</summary>
    /// <remarks>
    /// This is every scorer's normalized value: the LLM's rubric score, and for the offline scorers their own scale mapped
    /// onto 1–10 (lexical and embedding: relative to the run's best paper; learned: the probability in tenths). Rank by it,
    /// not by <see cref="Score"/>, whose scale differs from scorer to scorer.
    /// </remarks>
    public int? Relevance { get; init; }

    /// <summary>Gets the novelty, 1 to 10; <see langword="null"/> when the scorer does not judge novelty (offline scorers, author matches).</summary>
    public int? Novelty { get; init; }

    /// <summary>Gets a finer value than the 1–10 scale when the scorer computes one; ranking breaks ties with it.</summary>
    /// <remarks>Its scale is the scorer's own and not comparable across scorers: raw BM25 for the lexical scorer (can be negative),
    /// cosine similarity for the embedding scorer, a probability (0–1) for the learned ranker; <see langword="null"/> for the LLM and rule matches.</remarks>
    public double? Score { get; init; }

    /// <summary>Gets the scorer's comment: the matching criterion, the matched terms, or <c>Author match</c>.</summary>
    public string? Comment { get; init; }

    /// <summary>Gets how the paper got its place.</summary>
    public ScoreOrigin Origin { get; init; } = ScoreOrigin.Scored;

    /// <summary>Gets who scored it (a model id such as <c>gpt-4o</c>, or <c>lexical</c>), when known.</summary>
    public string? ScoredBy { get; init; }

    /// <summary>Gets keys the model returned beyond the known ones, kept as they came.</summary>
    /// <value>Never <see langword="null"/>: empty when there were none (setting <see langword="null"/> stores an empty dictionary).</value>
    [AllowNull]
    public IReadOnlyDictionary<string, JsonElement> ExtraProperties
    {
        get;
        init => field = value ?? ReadOnlyDictionary<string, JsonElement>.Empty;
    }

    = ReadOnlyDictionary<string, JsonElement>.Empty;
}

/// <summary>How a paper got its place in a digest. In JSON: <c>scored</c>, <c>author-match</c>, <c>keyword-rule</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ScoreOrigin>))]
public enum ScoreOrigin
{
    /// <summary>A scorer judged it.</summary>
    [JsonStringEnumMemberName("scored")]
    Scored = 0,

    /// <summary>One of its authors is followed by the reader; it enters without spending tokens.</summary>
    [JsonStringEnumMemberName("author-match")]
    AuthorMatch,

    /// <summary>A keyword rule included it without scoring.</summary>
    [JsonStringEnumMemberName("keyword-rule")]
    KeywordRule,
}

/// <summary>The names of <see cref="ScoreOrigin"/> values as JSON and the stores write them.</summary>
public static class ScoreOriginNames
{
    /// <summary>Gets the name of an origin: <c>scored</c>, <c>author-match</c> or <c>keyword-rule</c>.</summary>
    /// <param name="origin">The origin.</param>
    /// <returns>The name; an undefined value is <c>scored</c>.</returns>
    public static string ToName(this ScoreOrigin origin) => origin switch
    {
        ScoreOrigin.AuthorMatch => "author-match",
        ScoreOrigin.KeywordRule => "keyword-rule",
        _ => "scored",
    };

    /// <summary>Reads an origin's name.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The origin; an unknown name is <see cref="ScoreOrigin.Scored"/>.</returns>
    public static ScoreOrigin Parse(string? name) => name switch
    {
        "author-match" => ScoreOrigin.AuthorMatch,
        "keyword-rule" => ScoreOrigin.KeywordRule,
        _ => ScoreOrigin.Scored,
    };
}
