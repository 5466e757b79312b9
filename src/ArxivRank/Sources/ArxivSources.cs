using System.Net;
using ArxivRank.Sources.Api;
using ArxivRank.Sources.Http;
using ArxivRank.Sources.Oai;
using ArxivRank.Sources.Rss;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArxivRank.Sources;

/// <summary>Which arXiv service a source reads.</summary>
public enum ArxivSourceKind
{
    /// <summary>The daily RSS feeds: today's announcement, with announce types and the announcement date.</summary>
    Rss = 0,

    /// <summary>The export API: papers by id, or by categories and submission dates (backfill).</summary>
    Api,

    /// <summary>OAI-PMH: bulk harvest by archive and modification dates (backfilling months or years).</summary>
    Oai,
}

/// <summary>
/// Builds the arXiv sources without dependency injection. Each source gets an <see cref="HttpClient"/> whose handler
/// chain is the same resilience pipeline the DI registration uses (total time-out, retries honoring <c>Retry-After</c>,
/// circuit breaker, the shared politeness gate, attempt time-out), over one connection per host.
/// With dependency injection, use <c>services.AddArxivSources()</c> instead.
/// </summary>
public static class ArxivSources
{
    /// <summary>Creates the daily RSS source.</summary>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The clock of pacing, retries and time-outs; <see langword="null"/> for the system clock.</param>
    /// <param name="primaryHandler">The transport under the resilience pipeline (a proxy, a test handler); <see langword="null"/> for one connection per host. It is disposed with nothing: sources live as long as the process.</param>
    /// <param name="loggerFactory">Where to log; <see langword="null"/> for no logging.</param>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public static IArxivSource CreateRss(ArxivSourceOptions? options = null, TimeProvider? timeProvider = null, HttpMessageHandler? primaryHandler = null, ILoggerFactory? loggerFactory = null)
        => Create(ArxivSourceKind.Rss, options, timeProvider, primaryHandler, loggerFactory);

    /// <summary>Creates the export API source.</summary>
    /// <inheritdoc cref="CreateRss" path="/param"/>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public static IArxivSource CreateApi(ArxivSourceOptions? options = null, TimeProvider? timeProvider = null, HttpMessageHandler? primaryHandler = null, ILoggerFactory? loggerFactory = null)
        => Create(ArxivSourceKind.Api, options, timeProvider, primaryHandler, loggerFactory);

    /// <summary>Creates the OAI-PMH source.</summary>
    /// <inheritdoc cref="CreateRss" path="/param"/>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public static IArxivSource CreateOai(ArxivSourceOptions? options = null, TimeProvider? timeProvider = null, HttpMessageHandler? primaryHandler = null, ILoggerFactory? loggerFactory = null)
        => Create(ArxivSourceKind.Oai, options, timeProvider, primaryHandler, loggerFactory);

    /// <summary>Creates the source of the given kind.</summary>
    /// <param name="kind">Which source.</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The clock of pacing, retries and time-outs; <see langword="null"/> for the system clock.</param>
    /// <param name="primaryHandler">The transport under the resilience pipeline; <see langword="null"/> for one connection per host.</param>
    /// <param name="loggerFactory">Where to log; <see langword="null"/> for no logging.</param>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined value.</exception>
    public static IArxivSource Create(ArxivSourceKind kind, ArxivSourceOptions? options = null, TimeProvider? timeProvider = null, HttpMessageHandler? primaryHandler = null, ILoggerFactory? loggerFactory = null)
    {
        options ??= new ArxivSourceOptions();
        options.ThrowIfInvalid();
        timeProvider ??= TimeProvider.System;
        loggerFactory ??= NullLoggerFactory.Instance;
        var logger = loggerFactory.CreateLogger("ArxivRank.Sources." + kind);
        var pipeline = ArxivResilience.Build(options, timeProvider, logger);
        var handler = new ResilienceHandler(pipeline) { InnerHandler = primaryHandler ?? CreatePrimaryHandler() };
        var client = new HttpClient(handler, disposeHandler: true);
        ConfigureClient(client, options);
        return Create(kind, client, options, timeProvider, logger);
    }

    internal static IArxivSource Create(ArxivSourceKind kind, HttpClient client, ArxivSourceOptions options, TimeProvider timeProvider, ILogger logger) => kind switch
    {
        ArxivSourceKind.Rss => new RssArxivSource(client, options, timeProvider, logger),
        ArxivSourceKind.Api => new ApiArxivSource(client, options, timeProvider, logger),
        ArxivSourceKind.Oai => new OaiArxivSource(client, options, timeProvider, logger),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Expected Rss, Api or Oai."),
    };

    /// <summary>One connection per host (arXiv's rule), compressed responses, connections recycled so DNS changes are seen.</summary>
    internal static SocketsHttpHandler CreatePrimaryHandler() => new()
    {
        MaxConnectionsPerServer = 1,
        AutomaticDecompression = DecompressionMethods.All,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    };

    /// <summary>Sets the User-Agent and leaves time-outs to the resilience pipeline.</summary>
    internal static void ConfigureClient(HttpClient client, ArxivSourceOptions options)
    {
        client.Timeout = Timeout.InfiniteTimeSpan;
        client.DefaultRequestHeaders.UserAgent.Clear();
        client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", options.EffectiveUserAgent);
    }
}
