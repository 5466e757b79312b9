using System.Net.Http.Headers;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Timeout;

namespace ArxivRank.Sources.Http;

/// <summary>
/// The one resilience pipeline of every arXiv request, outermost first: total time-out → retry (exponential backoff
/// with jitter, <c>Retry-After</c> honored, on 429, 5xx, 408, network errors and attempt time-outs) → circuit breaker →
/// politeness pacing (the shared <see cref="PacingGate"/>) → attempt time-out. The same builder serves the DI
/// registration (<c>AddResilienceHandler</c>) and the plain factory (<see cref="Microsoft.Extensions.Http.Resilience.ResilienceHandler"/>).
/// </summary>
internal static class ArxivResilience
{
    public const string PipelineName = "arxiv";

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, ArxivSourceOptions options, TimeProvider timeProvider, ILogger logger)
    {
        builder.TimeProvider = timeProvider;
        builder.AddTimeout(new HttpTimeoutStrategyOptions { Name = "total-timeout", Timeout = options.TotalRequestTimeout });
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(RetryOptions(options.MaxRetryAttempts, options.RetryBaseDelay, options.MaxRetryDelay, timeProvider, args =>
            {
                var response = args.Outcome.Result;
                string reason = response is not null
                    ? $"HTTP {(int)response.StatusCode}"
                    : args.Outcome.Exception is TimeoutRejectedException ? "attempt timed out" : args.Outcome.Exception?.GetType().Name ?? "failure";
                Log.RetryScheduled(logger, response?.RequestMessage?.RequestUri, reason, args.AttemptNumber + 1, args.RetryDelay);
            }));
        }

        builder.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            Name = "circuit-breaker",
            FailureRatio = options.CircuitBreakerFailureRatio,
            MinimumThroughput = options.CircuitBreakerMinimumThroughput,
            SamplingDuration = options.CircuitBreakerSamplingDuration,
            BreakDuration = options.CircuitBreakerBreakDuration,
            OnOpened = args =>
            {
                Log.CircuitOpened(logger, args.BreakDuration);
                return default;
            },
        });

        var gate = PacingGate.For(timeProvider);
        var interval = options.MinRequestInterval;
        var shared = options.SharePacingAcrossProcesses && timeProvider == TimeProvider.System
            ? PacingLockFile.For(options.BaseUrl, options.PacingLockDirectory, timeProvider)
            : null;
        builder.AddStrategy(_ => new PacingStrategy(gate, interval, waited => Log.Paced(logger, waited), shared, ex => Log.SharedPacingFailed(logger, shared?.Path, ex)));
        builder.AddTimeout(new HttpTimeoutStrategyOptions { Name = "attempt-timeout", Timeout = options.AttemptTimeout });
    }

    /// <summary>
    /// The retry every ArxivRank HTTP client uses (arXiv, Slack): exponential backoff with jitter, and a server's
    /// <c>Retry-After</c> (seconds or a date) honored up to <paramref name="maxDelay"/>.
    /// </summary>
    internal static HttpRetryStrategyOptions RetryOptions(int attempts, TimeSpan baseDelay, TimeSpan maxDelay, TimeProvider timeProvider, Action<Polly.Retry.OnRetryArguments<HttpResponseMessage>> onRetry) => new()
    {
        Name = "retry",
        MaxRetryAttempts = attempts,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = baseDelay,
        MaxDelay = maxDelay,
        ShouldRetryAfterHeader = false,
        DelayGenerator = args => new ValueTask<TimeSpan?>(RetryAfter(args.Outcome.Result, timeProvider, maxDelay)),
        OnRetry = args =>
        {
            onRetry(args);
            return default;
        },
    };

    /// <summary>Builds the pipeline outside DI.</summary>
    public static ResiliencePipeline<HttpResponseMessage> Build(ArxivSourceOptions options, TimeProvider timeProvider, ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { Name = PipelineName };
        Configure(builder, options, timeProvider, logger);
        return builder.Build();
    }

    /// <summary>The delay a response asks for with <c>Retry-After</c> (seconds or a date), capped; <see langword="null"/> for the usual backoff.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeProvider timeProvider, TimeSpan max)
    {
        RetryConditionHeaderValue? header = response?.Headers.RetryAfter;
        TimeSpan? delay = header switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - timeProvider.GetUtcNow(),
            _ => null,
        };
        if (delay is not { } d)
        {
            return null;
        }

        return d < TimeSpan.Zero ? TimeSpan.Zero : d > max ? max : d;
    }
}
