namespace ArxivRank.Scoring;

/// <summary>How the LLM scorer batches, parallelizes, re-asks and prices. Validated when the scorer is created.</summary>
public sealed class LlmScorerOptions
{
    /// <summary>Gets or sets the model to ask for.</summary>
    /// <value>The <c>ChatOptions.ModelId</c> of each request (<c>gpt-4o-mini</c>); <see langword="null"/> (the default) uses the chat client's own model.</value>
    public string? ModelId { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the scorer applies the criteria's rules (followed and blocked authors) before
    /// scoring, as <see cref="PaperScorers.WithRules"/> with <see cref="PaperRules.FromCriteria"/> does.
    /// </summary>
    /// <value><see langword="true"/> by default: a followed author's paper enters as an author match. Set <see langword="false"/> to score every paper.</value>
    public bool ApplyCriteriaRules { get; set; } = true;

    /// <summary>Gets or sets the number of papers per request of the scoring pass.</summary>
    /// <value>1 to 200. Defaults to 20: small enough that a cut-off answer costs little, large enough to share the prompt's static part.</value>
    public int BatchSize { get; set; } = 20;

    /// <summary>Gets or sets the number of requests in flight at once.</summary>
    /// <value>1 to 64. Defaults to 4.</value>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>Gets or sets the longest abstract sent, in characters; longer ones are cut at a word boundary.</summary>
    /// <value>100 or more. Defaults to 1,500 (most arXiv abstracts are shorter; the limit is 1,920).</value>
    public int AbstractMaxLength { get; set; } = 1500;

    /// <summary>Gets or sets a value indicating whether a cheap title-only pass first drops papers that are clearly out of scope.</summary>
    /// <value>Defaults to <see langword="true"/>. When unsure the model keeps a paper; a failed screen keeps every paper of its batch.</value>
    public bool TitleScreen { get; set; } = true;

    /// <summary>Gets or sets the number of titles per request of the title screen.</summary>
    /// <value>1 to 500. Defaults to 100.</value>
    public int TitleScreenBatchSize { get; set; } = 100;

    /// <summary>Gets or sets a value indicating whether the abstract scoring pass runs.</summary>
    /// <value>
    /// Defaults to <see langword="true"/>. When <see langword="false"/>, only the title screen runs and the papers it keeps
    /// are returned without relevance or novelty. At least one pass must run.
    /// </value>
    public bool AbstractScoring { get; set; } = true;

    /// <summary>Gets or sets how many times a paper is re-asked after a content problem (answer cut off, empty, or missing the paper).</summary>
    /// <value>0 to 10. Defaults to 2 (three attempts in all). Each re-ask uses a smaller batch. Transport errors are never re-asked here: the HTTP pipeline retries them.</value>
    public int MaxContentRetries { get; set; } = 2;

    /// <summary>Gets or sets the share of papers that may end unscored before the run fails with a <see cref="ScoringException"/>.</summary>
    /// <value>0 to 1. Defaults to 0.2 (20%). A run stops asking as soon as the share cannot be met any more.</value>
    public double MaxFailureShare { get; set; } = 0.2;

    /// <summary>Gets or sets a value indicating whether to request structured output (a JSON schema) from the model.</summary>
    /// <value>
    /// Defaults to <see langword="false"/>: not every OpenAI-compatible server supports <c>json_schema</c> (DeepSeek does not).
    /// Turn it on for OpenAI models that do; the answer is parsed just as defensively either way.
    /// </value>
    public bool UseStructuredOutput { get; set; }

    /// <summary>Gets or sets the output-token limit of each request.</summary>
    /// <value><see langword="null"/> (the default) leaves it to the provider. An answer cut off by the limit is detected and re-asked in smaller batches.</value>
    public int? MaxOutputTokens { get; set; }

    /// <summary>Gets or sets the sampling temperature.</summary>
    /// <value><see langword="null"/> (the default) leaves it to the provider (reasoning models reject other values).</value>
    public float? Temperature { get; set; }

    /// <summary>Gets or sets the prices used to turn tokens into dollars.</summary>
    /// <value>Defaults to <see cref="PricingTable.Default"/>. A model the table does not know is reported with an unknown cost.</value>
    public PricingTable Pricing { get; set; } = PricingTable.Default;

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    internal void Validate()
    {
        Check(BatchSize is >= 1 and <= 200, nameof(BatchSize), $"must be 1 to 200, but is {BatchSize}");
        Check(MaxConcurrency is >= 1 and <= 64, nameof(MaxConcurrency), $"must be 1 to 64, but is {MaxConcurrency}");
        Check(AbstractMaxLength >= 100, nameof(AbstractMaxLength), $"must be 100 or more, but is {AbstractMaxLength}");
        Check(TitleScreenBatchSize is >= 1 and <= 500, nameof(TitleScreenBatchSize), $"must be 1 to 500, but is {TitleScreenBatchSize}");
        Check(MaxContentRetries is >= 0 and <= 10, nameof(MaxContentRetries), $"must be 0 to 10, but is {MaxContentRetries}");
        Check(MaxFailureShare is >= 0 and <= 1, nameof(MaxFailureShare), $"must be 0 to 1, but is {MaxFailureShare}");
        Check(TitleScreen || AbstractScoring, nameof(AbstractScoring), "and TitleScreen are both off: at least one pass must run");
        Check(MaxOutputTokens is null or > 0, nameof(MaxOutputTokens), $"must be positive, but is {MaxOutputTokens}");
        Check(Pricing is not null, nameof(Pricing), "must not be null");
        Check(ModelId is null || !string.IsNullOrWhiteSpace(ModelId), nameof(ModelId), "must not be blank (use null for the client's model)");
    }

    private static void Check(bool condition, string option, string message)
    {
        if (!condition)
        {
            throw new ArgumentException($"LlmScorerOptions.{option} {message}.", option);
        }
    }

    internal LlmScorerOptions Clone() => (LlmScorerOptions)MemberwiseClone();
}
