using System.Net;
using ArxivRank.PostgreSql;
using ArxivRank.Profiles;
using ArxivRank.Service.Grains;
using Orleans.Configuration;
using StackExchange.Redis;

namespace ArxivRank.Service;

/// <summary>Composes a node: configuration, the store, the Orleans silo on Redis, readiness.</summary>
public static class ServiceHosting
{
    /// <summary>Adds what every node needs, reading <c>ConnectionStrings:ArxivRank</c>, <c>ConnectionStrings:Orleans</c>, <c>Orleans:*</c>, <c>ArxivRank:*</c> and <c>Service:*</c>.</summary>
    /// <param name="builder">The web application builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">A connection string is missing.</exception>
    public static WebApplicationBuilder AddArxivRankService(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        string redis = configuration.GetConnectionString("Orleans")
            ?? throw new InvalidOperationException("ConnectionStrings:Orleans (the Redis server for Orleans, e.g. 127.0.0.1:6379) is required; set ConnectionStrings__Orleans.");
        builder.Services.AddArxivRankNode(configuration);
        builder.UseOrleans(silo =>
        {
            var redisOptions = ConfigurationOptions.Parse(redis);
            silo.UseRedisClustering(o => o.ConfigurationOptions = redisOptions);
            silo.UseRedisReminderService(o => o.ConfigurationOptions = redisOptions);
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = configuration["Orleans:ClusterId"] ?? "arxivrank";
                o.ServiceId = configuration["Orleans:ServiceId"] ?? "arxivrank";
            });
            int siloPort = configuration.GetValue("Orleans:Endpoints:SiloPort", EndpointOptions.DEFAULT_SILO_PORT);
            int gatewayPort = configuration.GetValue("Orleans:Endpoints:GatewayPort", EndpointOptions.DEFAULT_GATEWAY_PORT);
            var advertised = configuration["Orleans:Endpoints:AdvertisedIPAddress"] is { Length: > 0 } ip ? IPAddress.Parse(ip) : IPAddress.Loopback;
            silo.ConfigureEndpoints(advertised, siloPort, gatewayPort, listenOnAnyHostAddress: true);
            silo.ConfigureArxivRankSilo(configuration);
        });
        return builder;
    }

    /// <summary>Adds the node's services (store, defaults, options), shared by the real host and the test silos.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration.</param>
    /// <returns>The services.</returns>
    /// <exception cref="InvalidOperationException"><c>ConnectionStrings:ArxivRank</c> is missing.</exception>
    public static IServiceCollection AddArxivRankNode(this IServiceCollection services, IConfiguration configuration)
    {
        string postgres = configuration.GetConnectionString("ArxivRank")
            ?? throw new InvalidOperationException("ConnectionStrings:ArxivRank (the PostgreSQL database) is required; set ConnectionStrings__ArxivRank.");
        services.AddSingleton(sp => new PostgreSqlArxivRankDatabase(postgres, sp.GetService<TimeProvider>(), sp.GetService<ILogger<PostgreSqlArxivRankDatabase>>()));
        services.AddSingleton(ReaderProfile.FromConfiguration(configuration.GetSection(ReaderProfile.SectionName)));
        services.AddSingleton(configuration.GetSection("Service").Get<ServiceOptions>() ?? new ServiceOptions());
        services.AddSingleton<ServiceNode>();
        services.AddSingleton<NodeReadiness>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<NodeReadiness>());
        return services;
    }

    /// <summary>Silo settings every node shares (long grain calls: a fetch from arXiv takes a while).</summary>
    /// <param name="silo">The silo builder.</param>
    /// <param name="configuration">The configuration.</param>
    /// <returns>The silo builder.</returns>
    public static ISiloBuilder ConfigureArxivRankSilo(this ISiloBuilder silo, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromMinutes(5));

        // Orleans:Membership:* tunes how fast a dead node is noticed (ProbeTimeout, NumMissedProbesLimit, ...).
        silo.Configure<ClusterMembershipOptions>(configuration.GetSection("Orleans:Membership"));
        return silo;
    }
}

/// <summary>Migrates the store when the silo starts, re-arms every reader's reminder from the store, and says when the node is ready.</summary>
public sealed partial class NodeReadiness(ServiceNode node, IGrainFactory grains, ILogger<NodeReadiness> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private volatile bool _ready;

    /// <summary>Gets a value indicating whether the silo has joined the cluster.</summary>
    public bool IsReady => _ready;

    /// <inheritdoc/>
    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(nameof(NodeReadiness), ServiceLifecycleStage.Active, StartAsync, _ => Task.CompletedTask);
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        await node.Database.InitializeAsync(cancellationToken);
        _ready = true;

        // Redis holds nothing that cannot be rebuilt: every reader's reminder is re-armed from the store.
        _ = Task.Run(
            async () =>
            {
                try
                {
                    foreach (string reader in await node.Database.ListReadersAsync(CancellationToken.None))
                    {
                        await grains.GetGrain<IReaderGrain>(reader).ScheduleAsync();
                    }
                }
                catch (Exception ex) when (ex is ArxivRankException or OrleansException or TimeoutException)
                {
                    LogRearmFailed(logger, ex);
                }
            },
            CancellationToken.None);
    }

    [LoggerMessage(7100, LogLevel.Warning, "Could not re-arm the readers' reminders from the store; they are armed again at the next PUT or start.")]
    private static partial void LogRearmFailed(ILogger logger, Exception exception);
}
