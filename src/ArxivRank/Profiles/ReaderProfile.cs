using Microsoft.Extensions.Configuration;

namespace ArxivRank.Profiles;

/// <summary>
/// Everything that defines one reader's daily digest: categories, interests, scorer, source, outputs, store and
/// schedule. Bound from configuration (section <see cref="SectionName"/>, see
/// <see cref="ReaderProfileServiceCollectionExtensions.AddReaderProfile"/>), loaded from a JSON file
/// (<see cref="ReaderProfileJson"/>) and turned into a ready pipeline by <see cref="ReaderPipelineFactory"/>.
/// Every key is documented with an example in docs/configuration.md.
/// </summary>
/// <remarks>
/// Unlike most options classes, an unset key is <see langword="null"/> and its default is applied by the factory
/// (the <c>Default…</c> constants). That is what makes the precedence uniform for every key: a layer (flags, a file,
/// the environment) overrides exactly the keys it sets (<see cref="With"/>). A profile never holds a secret, only the
/// name of the environment variable that holds it (<see cref="ApiKeyEnv"/>).
/// </remarks>
public sealed class ReaderProfile
{
    /// <summary>The configuration section hosts bind the profile from (<c>ArxivRank</c>; environment <c>ArxivRank__Model</c>).</summary>
    public const string SectionName = "ArxivRank";

    /// <summary>The category of a profile that names none.</summary>
    public const string DefaultCategory = "cs.LG";

    /// <summary>The source of a profile that names none.</summary>
    public const string DefaultSource = "rss";

    /// <summary>The output folder of a profile that names none.</summary>
    public const string DefaultOut = "digests";

    /// <summary>The chat model of a profile that names none.</summary>
    public const string DefaultModel = "gpt-4o-mini";

    /// <summary>The environment variable holding the API key when <see cref="ApiKeyEnv"/> is not set.</summary>
    public const string DefaultApiKeyEnv = "OPENAI_API_KEY";

    /// <summary>The exit code (and status) for "no new announcement" when <see cref="NoNewExitCode"/> is not set.</summary>
    public const int DefaultNoNewExitCode = 3;

    /// <summary>The formats of a profile that names none.</summary>
    public static IReadOnlyList<string> DefaultFormats { get; } = ["markdown", "html", "json"];

    /// <summary>Gets or sets the arXiv categories of the digest.</summary>
    /// <value>Default <c>["cs.LG"]</c>.</value>
    public IList<string>? Categories { get; set; }

    /// <summary>Gets or sets the path of the reader's criteria file (docs/criteria.md); relative to the profile file.</summary>
    /// <value>Default: <see cref="CriteriaText"/>, else the built-in example criteria.</value>
    public string? Criteria { get; set; }

    /// <summary>Gets or sets the reader's criteria inline (the same Markdown as a criteria file); the alternative to <see cref="Criteria"/>.</summary>
    public string? CriteriaText { get; set; }

    /// <summary>Gets or sets authors whose papers always make the digest, added to the criteria's own.</summary>
    public IList<string>? FollowedAuthors { get; set; }

    /// <summary>Gets or sets the scorer: <c>llm</c>, <c>lexical</c> (offline) or <c>learned</c> (needs <see cref="Ranker"/>).</summary>
    /// <value>Default: <c>llm</c> when a chat client is available (an API key or <see cref="LlmBaseUrl"/>), else <c>lexical</c>.</value>
    public string? Scorer { get; set; }

    /// <summary>Gets or sets the learned ranker model file (written by <c>arxivrank train</c>) for the <c>learned</c> scorer.</summary>
    public string? Ranker { get; set; }

    /// <summary>Gets or sets the chat model.</summary>
    /// <value>Default <see cref="DefaultModel"/>.</value>
    public string? Model { get; set; }

    /// <summary>Gets or sets an OpenAI-compatible endpoint (Ollama, vLLM, Azure…; docs/providers.md).</summary>
    /// <value>Default: OpenAI.</value>
    public string? LlmBaseUrl { get; set; }

    /// <summary>Gets or sets the NAME of the environment variable that holds the API key (never the key itself).</summary>
    /// <value>Default <see cref="DefaultApiKeyEnv"/>.</value>
    public string? ApiKeyEnv { get; set; }

    /// <summary>Gets or sets a value indicating whether the LLM scorer screens titles first and reads abstracts only of the promising papers.</summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool? TitleScreen { get; set; }

    /// <summary>Gets or sets where papers come from: <c>rss</c> (today's announcement), <c>api</c> (any day) or <c>snapshot</c> (supplied by the host).</summary>
    /// <value>Default <see cref="DefaultSource"/>.</value>
    public string? Source { get; set; }

    /// <summary>Gets or sets another arXiv host (a mirror, a proxy, a test server).</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Gets or sets the folder the digest files go to; relative to the profile file.</summary>
    /// <value>Default <see cref="DefaultOut"/>.</value>
    public string? Out { get; set; }

    /// <summary>Gets or sets the store file (history and score cache); relative to the profile file.</summary>
    /// <value>Default: the host's (the CLI: <c>$ARXIVRANK_STORE</c>, else the local app data folder).</value>
    public string? Store { get; set; }

    /// <summary>Gets or sets the formats written: <c>markdown</c>, <c>html</c>, <c>json</c>, <c>slack</c>.</summary>
    /// <value>Default <see cref="DefaultFormats"/>.</value>
    public IList<string>? Formats { get; set; }

    /// <summary>Gets or sets the most papers in the digest (1–500).</summary>
    /// <value>Default: all above the cut-offs (20 for offline scorers).</value>
    public int? TopK { get; set; }

    /// <summary>Gets or sets the least relevance (0–10) a paper needs to be selected.</summary>
    /// <value>Default 7.</value>
    public int? MinRelevance { get; set; }

    /// <summary>Gets or sets the least novelty (0–10) a paper needs to be selected.</summary>
    /// <value>Default 6.</value>
    public int? MinNovelty { get; set; }

    /// <summary>Gets or sets the papers per LLM request (1–200).</summary>
    /// <value>Default 20.</value>
    public int? BatchSize { get; set; }

    /// <summary>Gets or sets the LLM requests in flight at once (1–64).</summary>
    /// <value>Default 4.</value>
    public int? Concurrency { get; set; }

    /// <summary>Gets or sets the most USD one LLM digest may cost; estimated before any model call.</summary>
    /// <value>Default: no limit.</value>
    public decimal? MaxCost { get; set; }

    /// <summary>Gets or sets the share of the day (above 0, at most 1) sent to the LLM, ranked by the store's learned model.</summary>
    /// <value>Default: off (every paper goes to the model).</value>
    public double? Prescreen { get; set; }

    /// <summary>Gets or sets a value indicating whether the learned ranker retrains from the store after an LLM digest.</summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool? AutoTrain { get; set; }

    /// <summary>Gets or sets the exit code for "no new announcement" (0–255).</summary>
    /// <value>Default <see cref="DefaultNoNewExitCode"/>.</value>
    public int? NoNewExitCode { get; set; }

    /// <summary>Gets or sets the arXiv transport tuning.</summary>
    public ReaderArxivOptions? Arxiv { get; set; }

    /// <summary>Gets or sets the chat-model transport tuning.</summary>
    public ReaderLlmOptions? Llm { get; set; }

    /// <summary>Gets or sets when hosts that run daily run the digest.</summary>
    public ReaderScheduleOptions? Schedule { get; set; }

    /// <summary>Reads a profile from a configuration section (appsettings, environment variables such as <c>ArxivRank__Model</c>); keys it does not set stay unset.</summary>
    /// <param name="section">The section, usually <c>configuration.GetSection("ArxivRank")</c>.</param>
    /// <returns>The profile (not yet validated).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="section"/> is <see langword="null"/>.</exception>
    /// <exception cref="ReaderProfileException">A value cannot be converted to its key's type; the message names the key.</exception>
    public static ReaderProfile FromConfiguration(IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var profile = new ReaderProfile();
        try
        {
            section.Bind(profile);
        }
        catch (InvalidOperationException ex)
        {
            throw new ReaderProfileException($"the configuration is not a valid profile: {ex.Message}", ex);
        }

        return profile;
    }

    /// <summary>Returns a new profile: this one with every key that <paramref name="overrides"/> sets replaced (lists as a whole, sections key by key).</summary>
    /// <param name="overrides">The higher-precedence layer (flags over a file, a file over the environment).</param>
    /// <returns>The merged profile; neither input is changed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="overrides"/> is <see langword="null"/>.</exception>
    public ReaderProfile With(ReaderProfile overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        return ReaderProfileJson.Merge(this, overrides);
    }
}

/// <summary>arXiv transport tuning (key <c>arxiv</c>): arXiv's own rules unless set, for mirrors and local servers.</summary>
public sealed class ReaderArxivOptions
{
    /// <summary>Gets or sets the least milliseconds between two arXiv requests (0–3600000).</summary>
    /// <value>Default 3000 (arXiv's rule).</value>
    public int? RequestIntervalMs { get; set; }

    /// <summary>Gets or sets the retries of a failed request (0–10).</summary>
    public int? Retries { get; set; }

    /// <summary>Gets or sets the first retry delay in milliseconds.</summary>
    public int? RetryDelayMs { get; set; }

    /// <summary>Gets or sets one attempt's timeout in milliseconds.</summary>
    public int? TimeoutMs { get; set; }
}

/// <summary>Chat-model transport tuning (key <c>llm</c>).</summary>
public sealed class ReaderLlmOptions
{
    /// <summary>Gets or sets the retries of a failed request (0–10).</summary>
    public int? Retries { get; set; }

    /// <summary>Gets or sets the first retry delay in milliseconds.</summary>
    public int? RetryDelayMs { get; set; }

    /// <summary>Gets or sets one attempt's timeout in milliseconds.</summary>
    public int? TimeoutMs { get; set; }
}

/// <summary>When a host that runs daily runs the digest (key <c>schedule</c>).</summary>
public sealed class ReaderScheduleOptions
{
    /// <summary>The run time of a schedule that names none (arXiv announces at 20:00 US-Eastern).</summary>
    public const string DefaultRunAt = "21:00";

    /// <summary>The time zone of a schedule that names none.</summary>
    public const string DefaultTimeZone = "America/New_York";

    /// <summary>Gets or sets the local time of day, <c>HH:mm</c>.</summary>
    /// <value>Default <see cref="DefaultRunAt"/>.</value>
    public string? RunAt { get; set; }

    /// <summary>Gets or sets the IANA time zone of <see cref="RunAt"/>.</summary>
    /// <value>Default <see cref="DefaultTimeZone"/>.</value>
    public string? TimeZone { get; set; }
}
