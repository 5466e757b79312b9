using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;
using ArxivRank.Scoring;
using Polly;

namespace ArxivRank.OpenAI;

/// <summary>
/// Builds <see cref="IChatClient"/> and <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> instances for any
/// OpenAI-compatible endpoint, with transport retries in exactly one layer: an <see cref="HttpClient"/> whose
/// <see cref="ResilienceHandler"/> retries 429 (honouring <c>Retry-After</c>), 5xx, 408, network errors and attempt
/// timeouts, handed to the OpenAI SDK as its transport, with the SDK's own retry policy turned off. The scorer on top
/// re-asks only for content problems, so retries never multiply.
/// </summary>
public static class OpenAIChatClientFactory
{
    /// <summary>Creates a chat client for the endpoint and model of <paramref name="options"/>.</summary>
    /// <param name="options">Endpoint, key, model and retry settings.</param>
    /// <param name="loggerFactory">When given, the client logs through Microsoft.Extensions.AI's logging middleware (message content only at Trace).</param>
    /// <param name="timeProvider">The clock of the retry and timeout strategies; <see langword="null"/> for the system clock (tests pass a fake one).</param>
    /// <returns>The chat client; dispose it to release its HTTP connections.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is missing or out of range; the message names it.</exception>
    public static IChatClient Create(OpenAIChatClientOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var clientOptions = CreateClientOptions(options, loggerFactory, timeProvider);
        IChatClient inner = new ChatClient(options.Model, new ApiKeyCredential(options.ApiKey!), clientOptions).AsIChatClient();
        var builder = new ChatClientBuilder(inner).UseOpenTelemetry(loggerFactory, sourceName: "ArxivRank").Use(static client => new ProviderUsageChatClient(client));
        if (loggerFactory is not null)
        {
            builder.UseLogging(loggerFactory);
        }

        return builder.Build();
    }

    /// <summary>Creates an embedding generator for the endpoint and model of <paramref name="options"/> (<c>text-embedding-3-small</c>, <c>nomic-embed-text</c>).</summary>
    /// <param name="options">Endpoint, key, model and retry settings.</param>
    /// <param name="timeProvider">The clock of the retry and timeout strategies; <see langword="null"/> for the system clock.</param>
    /// <returns>The generator; dispose it to release its HTTP connections.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is missing or out of range; the message names it.</exception>
    public static IEmbeddingGenerator<string, Embedding<float>> CreateEmbeddingGenerator(OpenAIChatClientOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var clientOptions = CreateClientOptions(options, null, timeProvider);
        return new EmbeddingClient(options.Model, new ApiKeyCredential(options.ApiKey!), clientOptions).AsIEmbeddingGenerator();
    }

    /// <summary>
    /// Creates a client of the endpoint's Batch API (<c>/files</c> and <c>/batches</c>, as OpenAI defines them) over plain
    /// HTTP, through the same resilient <see cref="HttpClient"/> as <see cref="Create"/>. For
    /// <c>chatClient.AsBatchPaperScorer(batchClient, …)</c>.
    /// </summary>
    /// <param name="options">Endpoint, key, model (the model of every request that names none) and retry settings.</param>
    /// <param name="timeProvider">The clock of the retry and timeout strategies; <see langword="null"/> for the system clock.</param>
    /// <returns>The batch client; dispose it (it is <see cref="IDisposable"/>) to release its HTTP connections.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is missing or out of range; the message names it.</exception>
    public static IChatBatchClient CreateBatchClient(OpenAIChatClientOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new OpenAIBatchClient(CreateHttpClient(options, timeProvider), options);
    }

    /// <summary>Creates the resilient <see cref="HttpClient"/> the factory hands to the OpenAI SDK (exposed for other SDKs that take an <see cref="HttpClient"/>).</summary>
    /// <param name="options">The retry and timeout settings.</param>
    /// <param name="timeProvider">The clock of the strategies; <see langword="null"/> for the system clock.</param>
    /// <returns>An <see cref="HttpClient"/> without its own timeout (the pipeline's timeouts apply).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public static HttpClient CreateHttpClient(OpenAIChatClientOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider ?? TimeProvider.System };
        builder
            .AddTimeout(new HttpTimeoutStrategyOptions { Name = "total", Timeout = options.TotalTimeout })
            .AddRetry(new HttpRetryStrategyOptions
            {
                Name = "retry",
                MaxRetryAttempts = Math.Max(1, options.MaxRetryAttempts),
                ShouldHandle = options.MaxRetryAttempts == 0 ? static _ => PredicateResult.False() : new HttpRetryStrategyOptions().ShouldHandle,
                Delay = options.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = true,
            })
            .AddTimeout(new HttpTimeoutStrategyOptions { Name = "attempt", Timeout = options.AttemptTimeout });
        var handler = new ResilienceHandler(builder.Build())
        {
            InnerHandler = options.PrimaryHandler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) },
        };
        return new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    private static OpenAIClientOptions CreateClientOptions(OpenAIChatClientOptions options, ILoggerFactory? loggerFactory, TimeProvider? timeProvider)
    {
        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = options.Endpoint,
            Transport = new HttpClientPipelineTransport(CreateHttpClient(options, timeProvider), enableLogging: false, loggerFactory),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = Timeout.InfiniteTimeSpan,
            UserAgentApplicationId = "ArxivRank",
        };
        if (options.OrganizationId is { Length: > 0 } organization)
        {
            clientOptions.OrganizationId = organization;
        }

        if (options.ProjectId is { Length: > 0 } project)
        {
            clientOptions.ProjectId = project;
        }

        return clientOptions;
    }
}
