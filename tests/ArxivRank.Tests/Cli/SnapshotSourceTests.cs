using ArxivRank.Cli.Snapshot;
using ArxivRank.Sources;

namespace ArxivRank.Tests.Cli;

public class SnapshotSourceTests
{
    [Fact]
    public async Task FetchAsync_DefaultQuery_ReturnsTheRealDayWithCounts()
    {
        var source = new SnapshotSource();

        var result = await source.FetchAsync(new ArxivQuery { Categories = ["cs.LG", "cs.AI"] });

        result.Status.Should().Be(FetchStatus.Fetched);
        result.AnnouncementDate.Should().Be(new DateOnly(2025, 7, 8));
        result.Counts.TotalItems.Should().Be(646);
        result.Papers.Should().HaveCount(646);
        result.Papers.Should().OnlyHaveUniqueItems(p => p.Id);
        result.Diagnostics.Should().BeEmpty();
    }

    [Fact]
    public async Task FetchAsync_NewOnlyPrimaryCsLg_FiltersByTypeAndPrimaryCategory()
    {
        var source = new SnapshotSource();

        var result = await source.FetchAsync(new ArxivQuery
        {
            Categories = ["cs.LG"],
            PrimaryCategoryOnly = true,
            AnnounceTypes = new HashSet<AnnounceType> { AnnounceType.New },
        });

        result.Papers.Should().NotBeEmpty().And.OnlyContain(p => p.PrimaryCategory == "cs.LG" && p.AnnounceType == AnnounceType.New);
        result.Papers.Count.Should().BeLessThan(646);
    }
}
