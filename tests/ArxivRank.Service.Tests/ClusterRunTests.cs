using ArxivRank.PostgreSql;
using ArxivRank.Service.Grains;
using ArxivRank.TestUtilities.Arxiv;
using Orleans.TestingHost;

namespace ArxivRank.Service.Tests;

/// <summary>The grains on an Orleans TestingHost cluster of two silos, against loopback arXiv and chat servers and a real PostgreSQL.</summary>
public sealed class ClusterRunTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task StartAsync_TwoSilos_EveryReaderGetsTheSingleReaderSelection_FeedFetchedOnce()
    {
        // Arrange
        await using var world = await ServiceWorld.StartAsync();
        var readers = await world.AddReadersAsync(8, distinctCriteria: 2);
        var cluster = await DeployAsync(world, "lexical", silos: 2);
        string today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        try
        {
            // Act
            var started = await cluster.GrainFactory.GetGrain<IRunsGrain>(0).StartAsync(today);
            var again = await cluster.GrainFactory.GetGrain<IRunsGrain>(0).StartAsync(today);
            var progress = await WaitAsync(cluster, started.Date!, readers.Count);

            // Assert
            started.Should().Be(new RunStarted("2025-02-26", "started"));
            again.Should().Be(new RunStarted("2025-02-26", "running"), "a second start of the same day starts nothing new");
            progress.Should().Be(new RunProgress(8, 8, 0));
            world.Arxiv.Requests.Count(r => r.Endpoint == ArxivEndpoint.Rss).Should().Be(1, "the cluster fetches an announcement once, not once per reader");
            foreach (var (id, criteria) in readers.Take(2))
            {
                var (expected, _) = await world.ReferenceSelectionAsync(criteria, "lexical");
                (await world.SelectedIdsAsync(id, new DateOnly(2025, 2, 26))).Should().Equal(expected);
            }
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task StartAsync_SiloKilledMidRun_TheSurvivorFinishesEveryReaderOnceAndSharesScores()
    {
        // Arrange: every model answer takes a while, so the kill lands mid-run.
        await using var world = await ServiceWorld.StartAsync(modelDelay: TimeSpan.FromMilliseconds(150));
        var readers = await world.AddReadersAsync(12, distinctCriteria: 3);
        var (expected, oneReadersCalls) = await world.ReferenceSelectionAsync(ServiceWorld.Criteria[0], "llm");
        int callsBefore = world.Chat.RequestCount;
        var cluster = await DeployAsync(world, "llm", silos: 2);
        string today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        try
        {
            // Act: kill the second silo once a few digests are written.
            var started = await cluster.GrainFactory.GetGrain<IRunsGrain>(0).StartAsync(today);
            await WaitAsync(cluster, started.Date!, 2);
            await cluster.KillSiloAsync(cluster.SecondarySilos[0]);
            var progress = await WaitAsync(cluster, started.Date!, readers.Count);

            // Assert
            progress.Should().Be(new RunProgress(12, 12, 0));
            var day = new DateOnly(2025, 2, 26);
            foreach (var (id, criteria) in readers)
            {
                var selected = await world.SelectedIdsAsync(id, day);
                selected.Should().NotBeNull($"{id}'s digest survives the kill");
                if (criteria == ServiceWorld.Criteria[0])
                {
                    selected.Should().Equal(expected);
                }
            }

            int calls = world.Chat.RequestCount - callsBefore;
            calls.Should().BeGreaterThanOrEqualTo(3 * oneReadersCalls - 1).And.BeLessThanOrEqualTo(5 * oneReadersCalls, "readers who share criteria share scores: about 3x one reader's calls, not 12x");
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    private static async Task<TestCluster> DeployAsync(ServiceWorld world, string scorer, int silos)
    {
        var builder = new TestClusterBuilder((short)silos);
        foreach (var (key, value) in world.Settings(scorer))
        {
            builder.Properties[key] = value;
        }

        builder.AddSiloBuilderConfigurator<NodeConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private static async Task<RunProgress> WaitAsync(TestCluster cluster, string date, int done)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var progress = await cluster.GrainFactory.GetGrain<IRunGrain>(date).GetProgressAsync();
            if (progress.Done + progress.Failed >= done || DateTime.UtcNow > deadline)
            {
                return progress;
            }

            await Task.Delay(200);
        }
    }
}
