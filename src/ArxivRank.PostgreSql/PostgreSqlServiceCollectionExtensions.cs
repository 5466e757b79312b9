using ArxivRank.Pipeline;
using ArxivRank.PostgreSql;
using ArxivRank.Ranking;
using ArxivRank.Scoring;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the PostgreSQL store with dependency injection.</summary>
public static class PostgreSqlServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="PostgreSqlArxivRankDatabase"/> (one per process: one connection pool) and, for the reader named
    /// in <see cref="PostgreSqlStoreOptions.ReaderId"/>, the digest store, score cache and label store, replacing the
    /// in-memory ones <c>AddArxivRank</c> registers (call it before or after). Options are validated at start.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the connection string (required) and the reader.</param>
    /// <returns>The services.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IServiceCollection AddArxivRankPostgreSql(this IServiceCollection services, Action<PostgreSqlStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<PostgreSqlStoreOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgreSqlStoreOptions>, PostgreSqlStoreOptionsValidator>());
        services.TryAddSingleton(sp => new PostgreSqlArxivRankDatabase(
            sp.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value.ConnectionString!,
            sp.GetService<TimeProvider>(),
            sp.GetService<ILogger<PostgreSqlArxivRankDatabase>>()));
        services.TryAddSingleton(sp => sp.GetRequiredService<PostgreSqlArxivRankDatabase>().ForReader(sp.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value.ReaderId));
        services.RemoveAll<IDigestStore>();
        services.RemoveAll<IScoreCache>();
        services.RemoveAll<ILabelStore>();
        services.AddSingleton<IDigestStore>(sp => sp.GetRequiredService<PostgreSqlArxivRankStore>());
        services.AddSingleton<IScoreCache>(sp => sp.GetRequiredService<PostgreSqlArxivRankDatabase>());
        services.AddSingleton<ILabelStore>(sp => sp.GetRequiredService<PostgreSqlArxivRankStore>());
        return services;
    }

    private sealed class PostgreSqlStoreOptionsValidator : IValidateOptions<PostgreSqlStoreOptions>
    {
        public ValidateOptionsResult Validate(string? name, PostgreSqlStoreOptions options)
        {
            var problems = options.Validate().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
