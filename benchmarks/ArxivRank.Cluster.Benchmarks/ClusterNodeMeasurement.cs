using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ArxivRank.Pipeline;
using ArxivRank.PostgreSql;
using ArxivRank.Service;
using ArxivRank.Service.Grains;
using ArxivRank.TestUtilities.Arxiv;
using ArxivRank.TestUtilities.PostgreSql;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;

namespace ArxivRank.Cluster.Benchmarks;

/// <summary>What one node did for one day.</summary>
internal sealed record NodeRun(
    Measurement Put,
    Measurement Fetch,
    Measurement Digests,
    int Done,
    int Failed,
    int FeedFetches,
    int ReaderActivations,
    int ReaderActivationsLeft,
    MemorySnapshot Empty,
    MemorySnapshot BeforeRun,
    MemorySnapshot AfterRun,
    MemorySnapshot AfterDeactivation,
    long PeakWorkingSet,
    Dictionary<string, IReadOnlyList<string>?> Selections);

/// <summary>
/// One service node in this process, composed as the service composes it (<see cref="ServiceHosting"/>: the same grains,
/// the PostgreSQL store, Redis clustering and reminders with <c>--redis</c>, Orleans' localhost clustering and in-memory
/// reminders without), running one day for every reader the way <c>POST /runs</c> does.
/// </summary>
internal static class ClusterNodeMeasurement
{
    public static async Task<NodeRun> RunAsync(BenchWorld world, PostgreSqlTestDatabase database, string? redis, IReadOnlyList<string> sampleReaders)
    {
        string postgres = database.ConnectionString;
        using var host = await StartNodeAsync(world, postgres, redis);
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        var node = host.Services.GetRequiredService<ServiceNode>();
        var readiness = host.Services.GetRequiredService<NodeReadiness>();
        for (var deadline = DateTime.UtcNow.AddMinutes(1); !readiness.IsReady; await Task.Delay(50))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("The node did not become ready within a minute.");
            }
        }

        // PUT /readers/{id}, as the API does it: store the profile, arm the reader's daily reminder (activates its grain).
        var empty = MemorySnapshot.Take();
        var putClock = new Stopwatches(world);
        for (int i = 0; i < world.Options.Readers; i++)
        {
            var (id, _, json) = world.Reader(i);
            await node.Database.PutReaderProfileAsync(id, json);
            await grains.GetGrain<IReaderGrain>(id).ScheduleAsync();
        }

        var put = putClock.Stop("PUT /readers/{id} (store the profile, arm the reminder)", world.Options.Readers);
        var before = MemorySnapshot.Take();
        long transactionsBefore = await PostgresCpu.TransactionsAsync(postgres, database.Name);
        var postgresBefore = PostgresCpu.Of(database.Name);
        int feedBefore = world.Arxiv.Requests.Count(r => r.Endpoint == ArxivEndpoint.Rss);

        // POST /runs: the runs grain fetches the announcement once (the fetch grain), records the run, kicks the day.
        var fetchClock = new Stopwatches(world);
        var started = await grains.GetGrain<IRunsGrain>(0).StartAsync(node.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        var fetch = fetchClock.Stop("fetch + record the run + kick", 1);
        var day = DateOnly.ParseExact(started.Date ?? throw new InvalidOperationException("The node found no announcement."), "yyyy-MM-dd", CultureInfo.InvariantCulture);

        var digestClock = new Stopwatches(world);
        long peak = 0;
        RunCounts counts;
        while (true)
        {
            counts = await node.Database.GetRunCountsAsync(day);
            using (var process = Process.GetCurrentProcess())
            {
                peak = Math.Max(peak, process.WorkingSet64);
            }

            if (counts.Done + counts.Failed >= counts.Readers)
            {
                break;
            }

            await Task.Delay(100);
        }

        var digests = digestClock.Stop($"service node (Orleans + PostgreSQL), {node.Options.MaxConcurrentRuns} at once", counts.Readers);
        var postgresCpu = PostgresCpu.Of(database.Name) - postgresBefore;
        long transactions = await PostgresCpu.TransactionsAsync(postgres, database.Name) - transactionsBefore;
        digests = digests with { PostgresCpuMsPerReader = postgresCpu.TotalMilliseconds / counts.Readers, PostgresTransactionsPerReader = transactions / (double)counts.Readers };
        var management = grains.GetGrain<IManagementGrain>(0);
        int activations = await ReaderActivationsAsync(management);
        var after = MemorySnapshot.Take();

        var selections = new Dictionary<string, IReadOnlyList<string>?>();
        foreach (string id in sampleReaders)
        {
            selections[id] = (await node.Database.ForReader(id).LoadDigestAsync(day))?.Papers.Select(p => p.Paper.Id.ToString()).ToList();
        }

        // Deactivate the idle grains: what stays is what a reader costs the node between days.
        await management.ForceActivationCollection(TimeSpan.FromMilliseconds(1));
        await Task.Delay(TimeSpan.FromSeconds(2));
        var deactivated = MemorySnapshot.Take();
        int left = await ReaderActivationsAsync(management);

        int feed = world.Arxiv.Requests.Count(r => r.Endpoint == ArxivEndpoint.Rss) - feedBefore;
        await host.StopAsync();
        return new NodeRun(put, fetch, digests, counts.Done, counts.Failed, feed, activations, left, empty, before, after, deactivated, peak, selections);
    }

    private static async Task<int> ReaderActivationsAsync(IManagementGrain management)
        => (await management.GetSimpleGrainStatistics()).Where(s => s.GrainType.Contains("readergrain", StringComparison.OrdinalIgnoreCase)).Sum(s => s.ActivationCount);

    private static async Task<IHost> StartNodeAsync(BenchWorld world, string postgres, string? redis)
    {
        var settings = world.NodeSettings(postgres);
        string clusterId = "bench-" + Guid.NewGuid().ToString("N")[..8];
        int siloPort = FreePort(), gatewayPort = FreePort();
        IHost host;
        if (redis is not null)
        {
            // The service's own composition: ServiceHosting.AddArxivRankService on a web application (no endpoints mapped).
            settings["ConnectionStrings:Orleans"] = redis;
            settings["Orleans:ClusterId"] = clusterId;
            settings["Orleans:ServiceId"] = clusterId;
            settings["Orleans:Endpoints:SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture);
            settings["Orleans:Endpoints:GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture);
            var builder = WebApplication.CreateBuilder();
            builder.Configuration.AddInMemoryCollection(settings);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.AddArxivRankService();
            host = builder.Build();
        }
        else
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Services.AddArxivRankNode(builder.Configuration);
            builder.UseOrleans(silo =>
            {
                silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: clusterId, clusterId: clusterId);
                silo.UseInMemoryReminderService();
                silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, clusterId));
                silo.ConfigureArxivRankSilo(builder.Configuration);
            });
            host = builder.Build();
        }

        await host.StartAsync();
        return host;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
