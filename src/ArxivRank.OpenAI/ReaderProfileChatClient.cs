using ArxivRank.Profiles;
using ArxivRank.Scoring;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace ArxivRank.OpenAI;

/// <summary>The chat client a <see cref="ReaderProfile"/> names, for <see cref="ReaderPipelineServices.ChatClient"/>.</summary>
public static class ReaderProfileChatClient
{
    /// <summary>
    /// Creates the OpenAI-compatible chat client of a profile: <c>model</c> at <c>llmBaseUrl</c> (default OpenAI), the key
    /// read from the environment variable <c>apiKeyEnv</c> names (default <c>OPENAI_API_KEY</c>), retries and timeouts
    /// from <c>llm</c>. Returns <see langword="null"/> when the profile's scorer is not <c>llm</c>, or when there is
    /// neither a key nor an endpoint (a local server needs no key).
    /// </summary>
    /// <param name="profile">The (validated) profile.</param>
    /// <param name="environment">Reads an environment variable; default <see cref="Environment.GetEnvironmentVariable(string)"/>.</param>
    /// <param name="loggerFactory">Passed to <see cref="OpenAIChatClientFactory.Create"/>.</param>
    /// <param name="timeProvider">The clock of the retry and timeout strategies.</param>
    /// <returns>The chat client (dispose it), or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="profile"/> is <see langword="null"/>.</exception>
    /// <exception cref="ReaderProfileException">The profile's LLM settings cannot make a client; the message names the key.</exception>
    public static IChatClient? Create(ReaderProfile profile, Func<string, string?>? environment = null, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return ClientOptions(profile, environment) is { } options ? Build(() => OpenAIChatClientFactory.Create(options, loggerFactory, timeProvider)) : null;
    }

    /// <summary>
    /// Creates the Batch API client of a profile with <c>batchApi: true</c> (same endpoint, key, model, retries and
    /// timeouts as <see cref="Create"/>); <see langword="null"/> when the profile does not use the Batch API or has no LLM.
    /// </summary>
    /// <param name="profile">The (validated) profile.</param>
    /// <param name="environment">Reads an environment variable; default <see cref="Environment.GetEnvironmentVariable(string)"/>.</param>
    /// <param name="timeProvider">The clock of the retry and timeout strategies.</param>
    /// <returns>The batch client (it is <see cref="IDisposable"/>), or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="profile"/> is <see langword="null"/>.</exception>
    /// <exception cref="ReaderProfileException">The profile's LLM settings cannot make a client; the message names the key.</exception>
    public static IChatBatchClient? CreateBatchClient(ReaderProfile profile, Func<string, string?>? environment = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return profile.BatchApi == true && ClientOptions(profile, environment) is { } options ? Build(() => OpenAIChatClientFactory.CreateBatchClient(options, timeProvider)) : null;
    }

    private static OpenAIChatClientOptions? ClientOptions(ReaderProfile profile, Func<string, string?>? environment)
    {
        environment ??= Environment.GetEnvironmentVariable;
        string? key = environment(profile.ApiKeyEnv ?? ReaderProfile.DefaultApiKeyEnv);
        bool hasKey = !string.IsNullOrWhiteSpace(key);
        if ((profile.Scorer is { } scorer && !string.Equals(scorer, "llm", StringComparison.OrdinalIgnoreCase)) || (!hasKey && profile.LlmBaseUrl is null))
        {
            return null;
        }

        var options = new OpenAIChatClientOptions
        {
            ApiKey = hasKey ? key : "no-key",
            Model = profile.Model ?? ReaderProfile.DefaultModel,
        };
        options.Endpoint = profile.LlmBaseUrl is { } url ? new Uri(url) : options.Endpoint;
        var t = profile.Llm ?? new ReaderLlmOptions();
        options.MaxRetryAttempts = t.Retries ?? options.MaxRetryAttempts;
        options.RetryBaseDelay = t.RetryDelayMs is { } delay ? TimeSpan.FromMilliseconds(delay) : options.RetryBaseDelay;
        if (t.TimeoutMs is { } timeout)
        {
            options.AttemptTimeout = TimeSpan.FromMilliseconds(timeout);
            options.TotalTimeout = TimeSpan.FromMilliseconds(Math.Max(timeout * ((long)options.MaxRetryAttempts + 2), timeout));
        }

        return options;
    }

    private static T Build<T>(Func<T> create)
    {
        try
        {
            return create();
        }
        catch (ArgumentException ex)
        {
            throw new ReaderProfileException($"llm: {ex.Message}", ex);
        }
    }
}
