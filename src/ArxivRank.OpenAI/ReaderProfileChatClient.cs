using ArxivRank.Profiles;
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

        try
        {
            return OpenAIChatClientFactory.Create(options, loggerFactory, timeProvider);
        }
        catch (ArgumentException ex)
        {
            throw new ReaderProfileException($"llm: {ex.Message}", ex);
        }
    }
}
