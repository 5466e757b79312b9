using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ArxivRank.Profiles;

/// <summary>Binds a <see cref="ReaderProfile"/> from configuration, the way every host reads it.</summary>
public static class ReaderProfileServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="ReaderProfile"/> from a configuration section (usually <c>configuration.GetSection("ArxivRank")</c>,
    /// so the environment variable <c>ArxivRank__Model</c> sets <c>model</c>) and validates it when the host starts with
    /// <see cref="ReaderProfileValidator"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="section">The configuration section holding the profile.</param>
    /// <returns>The options builder, to add more configuration or validation.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="section"/> is <see langword="null"/>.</exception>
    public static OptionsBuilder<ReaderProfile> AddReaderProfile(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ReaderProfile>, ReaderProfileValidator>());
        return services.AddOptions<ReaderProfile>().Bind(section).ValidateOnStart();
    }
}
