using ArxivRank.Pipeline;
using ArxivRank.Profiles;
using ArxivRank.Sources;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArxivRank.Service.Tests;

/// <summary>A node's digest of one reader, against the loopback arXiv server and a real PostgreSQL.</summary>
public sealed class ServiceNodeTests
{
    [Fact]
    public async Task RunDigestAsync_StoreRunLeaseHeldByANodeThatDiedOnAnotherMachine_MakesTheDigestAtOnce()
    {
        // Arrange: a node on another machine died holding the reader's store run lease, with an hour left to live. Its
        // process cannot be checked from here; only the reader's run claim (reader_runs) decides who runs.
        await using var world = await ServiceWorld.StartAsync();
        var (id, criteria) = (await world.AddReadersAsync(1, distinctCriteria: 1))[0];
        var dead = new RunLeaseOwner("node-that-died", 4242, new DateTimeOffset(2025, 2, 26, 6, 0, 0, TimeSpan.Zero));
        (await world.Store.ForReader(id).TryAcquireRunLeaseAsync(dead, TimeSpan.FromHours(1))).Acquired.Should().BeTrue();
        var defaults = new ReaderProfile { BaseUrl = world.Arxiv.BaseUrl.ToString(), Arxiv = new ReaderArxivOptions { RequestIntervalMs = 100 }, Scorer = "lexical", Categories = ["cs.LG"] };
        using var node = new ServiceNode(world.Store, defaults, new ServiceOptions(), TimeProvider.System, NullLoggerFactory.Instance);
        var announcement = await node.Source.FetchAsync(new ArxivQuery { Categories = ["cs.LG"] });
        var profile = (await node.LoadProfileAsync(id))!;

        // Act
        var result = await node.RunDigestAsync(id, profile, announcement, CancellationToken.None);

        // Assert
        result.Status.Should().Be(DigestRunStatus.Written);
        var (expected, _) = await world.ReferenceSelectionAsync(criteria, "lexical");
        (await world.SelectedIdsAsync(id, announcement.AnnouncementDate!.Value)).Should().Equal(expected);
    }
}
