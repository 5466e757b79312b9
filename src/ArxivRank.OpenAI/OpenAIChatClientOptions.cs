namespace ArxivRank.OpenAI;

/// <summary>
/// Where and how to reach an OpenAI-compatible endpoint (OpenAI, Azure OpenAI, GitHub Models, Ollama, vLLM, DeepSeek; see
/// docs/providers.md), and the one retry layer of its HTTP pipeline. Validated when a client is created.
/// </summary>
public sealed class OpenAIChatClientOptions
{
    /// <summary>Gets or sets the base URL of the chat-completions API.</summary>
    /// <value>Defaults to <c>https://api.openai.com/v1</c>. For Ollama <c>http://localhost:11434/v1</c>, for DeepSeek <c>https://api.deepseek.com/v1</c>.</value>
    public Uri Endpoint { get; set; } = new("https://api.openai.com/v1");

    /// <summary>Gets or sets the API key, sent as a bearer token. Never logged.</summary>
    /// <value>Required. Local servers that ignore keys (Ollama, vLLM) accept any non-empty value.</value>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the model (<c>gpt-4o-mini</c>, <c>deepseek-chat</c>, <c>llama3.1</c>).</summary>
    /// <value>Defaults to <c>gpt-4o-mini</c>.</value>
    public string Model { get; set; } = "gpt-4o-mini";

    /// <summary>Gets or sets the OpenAI organization id sent with each request, when needed.</summary>
    public string? OrganizationId { get; set; }

    /// <summary>Gets or sets the OpenAI project id sent with each request, when needed.</summary>
    public string? ProjectId { get; set; }

    /// <summary>Gets or sets how many times a request is retried after a 429, a 5xx, a 408, a network error or an attempt timeout.</summary>
    /// <value>0 to 10. Defaults to 4. A <c>Retry-After</c> header sets the wait; otherwise exponential backoff with jitter from <see cref="RetryBaseDelay"/>.</value>
    public int MaxRetryAttempts { get; set; } = 4;

    /// <summary>Gets or sets the first backoff delay (doubled on each retry, with jitter).</summary>
    /// <value>Defaults to 2 seconds.</value>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets the timeout of one attempt.</summary>
    /// <value>Defaults to 3 minutes (reasoning models may think for a while).</value>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Gets or sets the timeout of a request including all its retries.</summary>
    /// <value>Defaults to 10 minutes.</value>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets or sets the innermost HTTP handler (a proxy, a test stub).</summary>
    /// <value><see langword="null"/> (the default) uses a <see cref="SocketsHttpHandler"/>. The handler is owned by the created client.</value>
    public HttpMessageHandler? PrimaryHandler { get; set; }

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentException">An option is missing or out of range; the message names it.</exception>
    internal void Validate()
    {
        Check(Endpoint is { IsAbsoluteUri: true } && (Endpoint.Scheme == Uri.UriSchemeHttps || Endpoint.Scheme == Uri.UriSchemeHttp), nameof(Endpoint), "must be an absolute http or https URL");
        Check(!string.IsNullOrWhiteSpace(ApiKey), nameof(ApiKey), "must be set (local servers such as Ollama accept any non-empty value)");
        Check(!string.IsNullOrWhiteSpace(Model), nameof(Model), "must be set");
        Check(MaxRetryAttempts is >= 0 and <= 10, nameof(MaxRetryAttempts), $"must be 0 to 10, but is {MaxRetryAttempts}");
        Check(RetryBaseDelay >= TimeSpan.Zero, nameof(RetryBaseDelay), "must not be negative");
        Check(AttemptTimeout > TimeSpan.Zero, nameof(AttemptTimeout), "must be positive");
        Check(TotalTimeout >= AttemptTimeout, nameof(TotalTimeout), "must be at least AttemptTimeout");
    }

    private static void Check(bool condition, string option, string message)
    {
        if (!condition)
        {
            throw new ArgumentException($"OpenAIChatClientOptions.{option} {message}.", option);
        }
    }
}
