using ArxivRank.Sources;
using ArxivRank.Sources.Http;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the arXiv sources with dependency injection.</summary>
public static class ArxivSourcesServiceCollectionExtensions
{
    /// <summary>The prefix of the named <see cref="HttpClient"/>s (<c>ArxivRank.Sources.Rss</c>, <c>.Api</c>, <c>.Oai</c>), for further configuration with <c>AddHttpClient(name)</c>.</summary>
    public const string HttpClientNamePrefix = "ArxivRank.Sources.";

    /// <summary>
    /// Registers the three arXiv sources as keyed <see cref="IArxivSource"/> services (key: <see cref="ArxivSourceKind"/>),
    /// each over its own <see cref="IHttpClientFactory"/> client with the arXiv resilience handler, all sharing one politeness gate.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Changes the options; <see langword="null"/> for the defaults.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// Resolve a source with <c>GetRequiredKeyedService&lt;IArxivSource&gt;(ArxivSourceKind.Rss)</c>. The clock is the
    /// registered <see cref="TimeProvider"/> (the system clock unless you register another). Invalid options throw
    /// <see cref="OptionsValidationException"/> naming the option when a source is first resolved.
    /// </remarks>
    public static IServiceCollection AddArxivSources(this IServiceCollection services, Action<ArxivSourceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var optionsBuilder = services.AddOptions<ArxivSourceOptions>();
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ArxivSourceOptions>, ArxivSourceOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        foreach (var kind in (ReadOnlySpan<ArxivSourceKind>)[ArxivSourceKind.Rss, ArxivSourceKind.Api, ArxivSourceKind.Oai])
        {
            string name = HttpClientNamePrefix + kind;
            services.AddHttpClient(name)
                .ConfigureHttpClient((sp, client) => ArxivSources.ConfigureClient(client, sp.GetRequiredService<IOptions<ArxivSourceOptions>>().Value))
                .ConfigurePrimaryHttpMessageHandler(ArxivSources.CreatePrimaryHandler)
                .AddResilienceHandler(ArxivResilience.PipelineName, (builder, context) =>
                {
                    var sp = context.ServiceProvider;
                    var logger = LoggerOf(sp, kind);
                    ArxivResilience.Configure(builder, sp.GetRequiredService<IOptions<ArxivSourceOptions>>().Value, sp.GetRequiredService<TimeProvider>(), logger);
                });

            services.TryAddKeyedSingleton<IArxivSource>(kind, (sp, _) => ArxivSources.Create(
                kind,
                sp.GetRequiredService<IHttpClientFactory>().CreateClient(name),
                sp.GetRequiredService<IOptions<ArxivSourceOptions>>().Value,
                sp.GetRequiredService<TimeProvider>(),
                LoggerOf(sp, kind)));
        }

        return services;
    }

    private static ILogger LoggerOf(IServiceProvider sp, ArxivSourceKind kind)
        => (sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger("ArxivRank.Sources." + kind);

    private sealed class ArxivSourceOptionsValidator : IValidateOptions<ArxivSourceOptions>
    {
        public ValidateOptionsResult Validate(string? name, ArxivSourceOptions options)
        {
            var errors = options.Validate();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
