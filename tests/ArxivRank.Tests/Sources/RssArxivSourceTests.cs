using System.Net;
using ArxivRank.Sources;
using ArxivRank.TestUtilities.Arxiv;

namespace ArxivRank.Tests.Sources;

public class RssArxivSourceTests
{
    private static readonly ArxivQuery LgAndAi = new() { Categories = ["cs.LG", "cs.AI"] };

    private static async Task<SourceTestHost> StartWithFixturesAsync(string aiFixture = "rss/cs.AI.xml")
    {
        var host = await SourceTestHost.StartAsync();
        host.Arxiv.SetRss("cs.LG", ArxivFixtures.Read("rss/cs.LG.xml")).SetRss("cs.AI", ArxivFixtures.Read(aiFixture)).SetRss("cs.LG+cs.AI", ArxivFixtures.Read("rss/cs.LG+cs.AI.xml"));
        return host;
    }

    [Fact]
    public async Task FetchAsync_TwoCategories_OneFeedEachPacedThreeSecondsApart()
    {
        await using var host = await StartWithFixturesAsync();
        var source = host.Create(ArxivSourceKind.Rss);

        var result = await host.FetchAsync(source, LgAndAi);

        result.Status.Should().Be(FetchStatus.Fetched);
        host.Arxiv.Requests.Select(r => r.Path).Should().Equal("/rss/cs.LG", "/rss/cs.AI");
        host.Gaps().Should().ContainSingle().Which.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(3));
        host.Arxiv.Requests.Should().OnlyContain(r => r.UserAgent!.StartsWith("ArxivRank/", StringComparison.Ordinal) && r.UserAgent.Contains("tests@arxivrank.invalid", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FetchAsync_PaperInBothFeeds_OnceWithCategoriesMergedAndNewWins()
    {
        await using var host = await StartWithFixturesAsync();
        var source = host.Create(ArxivSourceKind.Rss);

        var result = await host.FetchAsync(source, LgAndAi);

        result.Papers.Select(p => p.Id.Id).Should().OnlyHaveUniqueItems();
        // 2502.18435 is new in cs.LG and cross in cs.AI; the cs.AI paper 2502.17605's neighbour is the reverse.
        result.Papers.Single(p => p.Id.Id == "2502.18435").AnnounceType.Should().Be(AnnounceType.New);
        var aiPrimary = result.Papers.Single(p => p.PrimaryCategory == "cs.AI" && p.Categories.Contains("cs.LG"));
        aiPrimary.AnnounceType.Should().Be(AnnounceType.New);
        result.Papers.Should().OnlyContain(p => p.AnnouncedOn == new DateOnly(2025, 2, 26));
        result.AnnouncementDate.Should().Be(new DateOnly(2025, 2, 26));
    }

    [Fact]
    public async Task FetchAsync_DefaultAnnounceTypes_KeepsNewAndCrossWithCounts()
    {
        await using var host = await StartWithFixturesAsync();
        var source = host.Create(ArxivSourceKind.Rss);

        var result = await host.FetchAsync(source, LgAndAi);

        // cs.LG: 8 new + 2 cross + replace + replace-cross; cs.AI: 4 new + 2 cross + replace-cross.
        result.Counts.TotalItems.Should().Be(19);
        result.Counts.Kept.Should().Be(16);
        result.Counts.Unique.Should().Be(13);
        result.Counts.Skipped.Should().Be(0);
        result.Papers.Should().HaveCount(13);
        result.Papers.Should().OnlyContain(p => p.AnnounceType == AnnounceType.New || p.AnnounceType == AnnounceType.Cross);
    }

    [Fact]
    public async Task FetchAsync_AllAnnounceTypes_ReplacementMergedOnce()
    {
        await using var host = await StartWithFixturesAsync();
        var source = host.Create(ArxivSourceKind.Rss);
        var query = LgAndAi with { AnnounceTypes = new HashSet<AnnounceType> { AnnounceType.New, AnnounceType.Cross, AnnounceType.Replace, AnnounceType.ReplaceCross } };

        var result = await host.FetchAsync(source, query);

        result.Counts.Kept.Should().Be(19);
        result.Papers.Should().HaveCount(15);
        result.Papers.Single(p => p.Id.Id == "2502.12851").Should().Match<Paper>(p => p.Id.Version == 3 && p.AnnounceType == AnnounceType.ReplaceCross);
    }

    [Fact]
    public async Task FetchAsync_PrimaryCategoryOnly_DropsCrossListsFromOtherArchives()
    {
        await using var host = await StartWithFixturesAsync();
        var source = host.Create(ArxivSourceKind.Rss);

        var result = await host.FetchAsync(source, LgAndAi with { PrimaryCategoryOnly = true });

        result.Papers.Should().NotBeEmpty().And.OnlyContain(p => p.PrimaryCategory == "cs.LG" || p.PrimaryCategory == "cs.AI");
        result.Papers.Should().NotContain(p => p.PrimaryCategory == "math.PR");
    }

    [Fact]
    public async Task FetchAsync_StaleCategoryFeed_WarnsNamingItAndLeavesItsPapersOut()
    {
        await using var host = await StartWithFixturesAsync("rss/cs.AI-stale.xml");
        var source = host.Create(ArxivSourceKind.Rss);

        var result = await host.FetchAsync(source, LgAndAi);

        result.Status.Should().Be(FetchStatus.Fetched);
        result.AnnouncementDate.Should().Be(new DateOnly(2025, 2, 26));
        var warning = result.Diagnostics.Should().ContainSingle(d => d.Code == "stale-feed").Which;
        warning.Severity.Should().Be(DiagnosticSeverity.Warning);
        warning.Category.Should().Be("cs.AI");
        warning.Message.Should().Contain("cs.AI").And.Contain("2025-02-25").And.Contain("2025-02-26");
        result.Papers.Should().OnlyContain(p => p.AnnouncedOn == new DateOnly(2025, 2, 26));
        result.Papers.Should().HaveCount(10);
    }

    [Fact]
    public async Task FetchAsync_WeekendEmptyFeed_NoNewAnnouncementNotAnError()
    {
        await using var host = await SourceTestHost.StartAsync();
        host.Arxiv.SetRss("cs.LG", ArxivFixtures.Read("rss/cs.LG-weekend.xml"));
        var source = host.Create(ArxivSourceKind.Rss);

        var result = await host.FetchAsync(source, new ArxivQuery { Categories = ["cs.LG"] });

        result.Status.Should().Be(FetchStatus.NoNewAnnouncement);
        result.AnnouncementDate.Should().Be(new DateOnly(2025, 3, 1));
        result.Papers.Should().BeEmpty();
        result.Diagnostics.Should().ContainSingle(d => d.Code == "no-announcement");
    }

    [Fact]
    public async Task FetchAsync_FeedStillShowsLastProcessedDay_NoNewAnnouncementAndNoRepeat()
    {
        await using var host = await StartWithFixturesAsync();
        var source = host.Create(ArxivSourceKind.Rss);

        var result = await host.FetchAsync(source, LgAndAi with { LastProcessedAnnouncement = new DateOnly(2025, 2, 26) });

        result.Status.Should().Be(FetchStatus.NoNewAnnouncement);
        result.Papers.Should().BeEmpty();
        result.Counts.TotalItems.Should().Be(19);
        result.Diagnostics.Should().ContainSingle(d => d.Code == "already-processed");
    }

    [Fact]
    public async Task FetchAsync_LastProcessedIsTheDayBefore_Fetched()
    {
        await using var host = await StartWithFixturesAsync();
        var source = host.Create(ArxivSourceKind.Rss);

        var result = await host.FetchAsync(source, LgAndAi with { LastProcessedAnnouncement = new DateOnly(2025, 2, 25) });

        result.Status.Should().Be(FetchStatus.Fetched);
        result.Papers.Should().NotBeEmpty();
    }

    [Fact]
    public async Task FetchAsync_CombinedFeedOption_OneRequestToJoinedQuery()
    {
        await using var host = await StartWithFixturesAsync();
        var source = host.Create(ArxivSourceKind.Rss, o => o.RssFeedPerCategory = false);

        var result = await host.FetchAsync(source, LgAndAi);

        host.Arxiv.Requests.Should().ContainSingle().Which.Path.Should().Be("/rss/cs.LG+cs.AI");
        result.Papers.Should().HaveCount(6);
    }

    [Fact]
    public async Task FetchAsync_UnknownCategory_ThrowsWithArxivsFeedErrorAndStatus400()
    {
        await using var host = await SourceTestHost.StartAsync();
        var source = host.Create(ArxivSourceKind.Rss);

        var ex = await host.FetchFailsAsync<ArxivSourceException>(source, new ArxivQuery { Categories = ["cs.XX"] });

        ex.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        ex.Message.Should().Contain("Feed error for query: cs.XX");
        ex.Url.Should().Be(new Uri(host.Arxiv.BaseUrl, "rss/cs.XX"));
        host.Arxiv.Requests.Should().ContainSingle("a 400 is not retried");
    }

    [Fact]
    public async Task FetchAsync_GeneratedDailyFeed_FromTheDoublesCatalog()
    {
        await using var host = await SourceTestHost.StartAsync();
        var source = host.Create(ArxivSourceKind.Rss);

        var result = await host.FetchAsync(source, new ArxivQuery { Categories = ["cs.LG"] });

        result.Papers.Should().HaveCount(host.Arxiv.Catalog.Count);
        result.Papers.Select(p => p.Id.Id).Should().BeEquivalentTo(host.Arxiv.Catalog.Select(p => p.Id.Id));
    }

    [Fact]
    public async Task FetchAsync_IdsOrDates_NotSupportedNamingTheRightSource()
    {
        await using var host = await SourceTestHost.StartAsync();
        var source = host.Create(ArxivSourceKind.Rss);

        var byIds = () => source.FetchAsync(new ArxivQuery { Categories = ["cs.LG"], Ids = [ArxivId.Parse("2502.18435")] });
        var byDates = () => source.FetchAsync(new ArxivQuery { Categories = ["cs.LG"], From = new DateOnly(2025, 2, 1) });

        (await byIds.Should().ThrowAsync<NotSupportedException>()).Which.Message.Should().Contain("export API");
        (await byDates.Should().ThrowAsync<NotSupportedException>()).Which.Message.Should().Contain("OAI-PMH");
        host.Arxiv.Requests.Should().BeEmpty();
    }

    [Theory]
    [InlineData("")]
    [InlineData("cs LG")]
    [InlineData("cs.LG/../x")]
    public async Task FetchAsync_BadCategoryName_ArgumentExceptionBeforeAnyRequest(string category)
    {
        await using var host = await SourceTestHost.StartAsync();
        var source = host.Create(ArxivSourceKind.Rss);

        var act = () => source.FetchAsync(new ArxivQuery { Categories = [category] });

        await act.Should().ThrowAsync<ArgumentException>();
        host.Arxiv.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task FetchAsync_NullQuery_ArgumentNullException()
    {
        var source = ArxivSources.CreateRss();

        var act = () => source.FetchAsync(null!);

        await act.Should().ThrowAsync<ArgumentNullException>();
    }
}
