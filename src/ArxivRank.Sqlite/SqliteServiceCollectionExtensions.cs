using ArxivRank.Pipeline;
using ArxivRank.Scoring;
using ArxivRank.Sqlite;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the SQLite store with dependency injection.</summary>
public static class SqliteServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="SqliteArxivRankStore"/> as the digest store and the score cache, replacing the in-memory ones
    /// <c>AddArxivRank</c> registers (call it before or after). Options are validated at start.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the file path and busy timeout; may be <see langword="null"/> (the user's data folder).</param>
    /// <returns>The services.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddArxivRankSqlite(this IServiceCollection services, Action<SqliteStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<SqliteStoreOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteStoreOptions>, SqliteStoreOptionsValidator>());
        services.TryAddSingleton(sp => new SqliteArxivRankStore(
            sp.GetRequiredService<IOptions<SqliteStoreOptions>>().Value,
            sp.GetService<TimeProvider>(),
            sp.GetService<ILogger<SqliteArxivRankStore>>()));
        services.RemoveAll<IDigestStore>();
        services.RemoveAll<IScoreCache>();
        services.AddSingleton<IDigestStore>(sp => sp.GetRequiredService<SqliteArxivRankStore>());
        services.AddSingleton<IScoreCache>(sp => sp.GetRequiredService<SqliteArxivRankStore>());
        return services;
    }

    private sealed class SqliteStoreOptionsValidator : IValidateOptions<SqliteStoreOptions>
    {
        public ValidateOptionsResult Validate(string? name, SqliteStoreOptions options)
        {
            var problems = options.Validate().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
