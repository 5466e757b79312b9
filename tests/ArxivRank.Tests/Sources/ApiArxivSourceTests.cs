using System.Net;
using ArxivRank.Sources;
using ArxivRank.Sources.Api;
using ArxivRank.TestUtilities.Arxiv;

namespace ArxivRank.Tests.Sources;

public class ApiArxivSourceTests
{
    private static readonly ArxivQuery OneDay = new() { Categories = ["cs.LG"], From = new DateOnly(2025, 2, 18), Until = new DateOnly(2025, 2, 18) };

    [Fact]
    public async Task FetchAsync_DateRange_SearchesByCategoryAndSubmittedDate()
    {
        await using var host = await SourceTestHost.StartAsync();
        var source = host.Create(ArxivSourceKind.Api);

        var result = await host.FetchAsync(source, OneDay);

        var request = host.Arxiv.Requests.Should().ContainSingle().Which;
        request.Path.Should().Be("/api/query");
        request.QueryValue("search_query").Should().Be("cat:cs.LG AND submittedDate:[202502180000 TO 202502182359]");
        request.QueryValue("start").Should().Be("0");
        request.QueryValue("sortBy").Should().Be("submittedDate");
        result.Status.Should().Be(FetchStatus.Fetched);
        result.Papers.Should().HaveCount(host.Arxiv.Catalog.Count);
        result.AnnouncementDate.Should().BeNull();
    }

    [Fact]
    public void BuildSearch_SeveralCategoriesAndArchive_OrGroupWithWildcard()
        => ApiArxivSource.BuildSearch(["cs.LG", "stat"], new DateOnly(2025, 2, 1), new DateOnly(2025, 2, 28))
            .Should().Be("(cat:cs.LG OR cat:stat.*) AND submittedDate:[202502010000 TO 202502282359]");

    [Fact]
    public async Task FetchAsync_MoreResultsThanAPage_PagesWithStartAndMaxResultsPaced()
    {
        await using var host = await SourceTestHost.StartAsync();
        host.Arxiv.Catalog = [.. ArxivFeedWriter.SyntheticPapers(2500)];
        var source = host.Create(ArxivSourceKind.Api, o => o.ApiPageSize = 1000);

        var result = await host.FetchAsync(source, OneDay);

        host.Arxiv.Requests.Select(r => (r.QueryValue("start"), r.QueryValue("max_results"))).Should().Equal(("0", "1000"), ("1000", "1000"), ("2000", "500"));
        host.Gaps().Should().HaveCount(2).And.OnlyContain(g => g >= TimeSpan.FromSeconds(3));
        result.Papers.Should().HaveCount(2500);
        result.Counts.Should().Be(new SourceCounts { TotalItems = 2500, Kept = 2500, Unique = 2500, Skipped = 0 });
    }

    [Fact]
    public async Task FetchAsync_MoreThanMaxResults_StopsAtTheLimitWithDiagnostic()
    {
        await using var host = await SourceTestHost.StartAsync();
        host.Arxiv.Catalog = [.. ArxivFeedWriter.SyntheticPapers(120)];
        var source = host.Create(ArxivSourceKind.Api, o => (o.ApiPageSize, o.ApiMaxResults) = (50, 100));

        var result = await host.FetchAsync(source, OneDay);

        host.Arxiv.Requests.Should().HaveCount(2);
        result.Papers.Should().HaveCount(100);
        result.Diagnostics.Should().ContainSingle(d => d.Code == "results-truncated").Which.Message.Should().Contain("120");
    }

    [Fact]
    public async Task FetchAsync_IdList_FetchesNamedPapersAndReportsMissingOnes()
    {
        await using var host = await SourceTestHost.StartAsync();
        var source = host.Create(ArxivSourceKind.Api);
        var known = host.Arxiv.Catalog[0].Id;
        var missing = ArxivId.Parse("2401.00001");

        var result = await host.FetchAsync(source, new ArxivQuery { Ids = [known, missing] });

        host.Arxiv.Requests.Should().ContainSingle().Which.QueryValue("id_list").Should().Be($"{known},{missing}");
        result.Papers.Should().ContainSingle().Which.Id.Id.Should().Be(known.Id);
        result.Diagnostics.Should().ContainSingle(d => d.Code == "id-not-found").Which.PaperId.Should().Be(missing);
    }

    [Fact]
    public async Task FetchAsync_ErrorEntry_ThrowsWithArxivsMessage()
    {
        await using var host = await SourceTestHost.StartAsync();
        host.Arxiv.ApiResponder = _ => (200, ArxivFixtures.Read("api/error.xml"));
        var source = host.Create(ArxivSourceKind.Api);

        var ex = await host.FetchFailsAsync<ArxivSourceException>(source, new ArxivQuery { Ids = [ArxivId.Parse("2502.18435")] });

        ex.Message.Should().Contain("incorrect id format for 2502.1843");
        ex.StatusCode.Should().Be(HttpStatusCode.OK);
        ex.Url!.AbsolutePath.Should().Be("/api/query");
    }

    [Fact]
    public async Task FetchAsync_Http400WithErrorFeed_ThrowsWithArxivsMessageWithoutRetry()
    {
        await using var host = await SourceTestHost.StartAsync();
        host.Arxiv.ApiResponder = _ => (400, ArxivFeedWriter.ApiError("max_results must be at most 2000"));
        var source = host.Create(ArxivSourceKind.Api);

        var ex = await host.FetchFailsAsync<ArxivSourceException>(source, OneDay);

        ex.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        ex.Message.Should().Contain("arXiv says: max_results must be at most 2000");
        host.Arxiv.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task FetchAsync_FixturePage_ParsedThroughHttp()
    {
        await using var host = await SourceTestHost.StartAsync();
        host.Arxiv.ApiResponder = _ => (200, ArxivFixtures.Read("api/query-page.xml"));
        var source = host.Create(ArxivSourceKind.Api);
        var ids = new[] { "2503.12295", "2503.13427", "2503.13304", "2502.17690", "2502.12224" }.Select(ArxivId.Parse).ToList();

        var result = await host.FetchAsync(source, new ArxivQuery { Ids = ids });

        result.Papers.Select(p => p.Id.Id).Should().Equal(ids.Select(i => i.Id));
        result.Diagnostics.Should().BeEmpty();
    }

    [Fact]
    public async Task FetchAsync_CategoriesWithoutDates_NotSupportedNamingRss()
    {
        var source = ArxivSources.CreateApi();

        var act = () => source.FetchAsync(new ArxivQuery { Categories = ["cs.LG"] });

        (await act.Should().ThrowAsync<NotSupportedException>()).Which.Message.Should().Contain("RSS");
    }

    [Fact]
    public async Task FetchAsync_UntilBeforeFrom_ArgumentException()
    {
        var source = ArxivSources.CreateApi();

        var act = () => source.FetchAsync(new ArxivQuery { Categories = ["cs.LG"], From = new DateOnly(2025, 3, 2), Until = new DateOnly(2025, 3, 1) });

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("before");
    }
}

public class OaiArxivSourceTests
{
    private static readonly ArxivQuery Harvest = new() { Categories = ["cs.LG"], From = new DateOnly(2025, 2, 26), Until = new DateOnly(2025, 2, 26) };

    [Fact]
    public async Task FetchAsync_FivePageResumptionChain_FollowsEveryTokenPaced()
    {
        await using var host = await SourceTestHost.StartAsync();
        host.Arxiv.Catalog = [.. ArxivFeedWriter.SyntheticPapers(23)];
        host.Arxiv.OaiPageSize = 5;
        var source = host.Create(ArxivSourceKind.Oai);

        var result = await host.FetchAsync(source, Harvest);

        var requests = host.Arxiv.Requests;
        requests.Should().HaveCount(5);
        requests[0].QueryValue("verb").Should().Be("ListRecords");
        requests[0].QueryValue("metadataPrefix").Should().Be("arXiv");
        requests[0].QueryValue("set").Should().Be("cs");
        requests[0].QueryValue("from").Should().Be("2025-02-26");
        requests[0].QueryValue("until").Should().Be("2025-02-26");
        requests.Skip(1).Select(r => r.QueryValue("resumptionToken")).Should().Equal("double|1", "double|2", "double|3", "double|4");
        requests.Skip(1).Should().OnlyContain(r => r.QueryValue("metadataPrefix") == null, "a resumed request carries only the verb and the token");
        host.Gaps().Should().HaveCount(4).And.OnlyContain(g => g >= TimeSpan.FromSeconds(3));
        result.Papers.Should().HaveCount(23);
        result.Counts.Should().Be(new SourceCounts { TotalItems = 23, Kept = 23, Unique = 23, Skipped = 0 });
    }

    [Fact]
    public async Task FetchAsync_DeletedRecords_SkippedWithDiagnostic()
    {
        await using var host = await SourceTestHost.StartAsync();
        host.Arxiv.DeletedRecords.Add(ArxivId.Parse("2502.16001"));
        var source = host.Create(ArxivSourceKind.Oai);

        var result = await host.FetchAsync(source, Harvest);

        result.Papers.Should().HaveCount(host.Arxiv.Catalog.Count);
        result.Counts.Skipped.Should().Be(1);
        result.Diagnostics.Should().ContainSingle(d => d.Code == "deleted-record").Which.PaperId!.Value.Id.Should().Be("2502.16001");
    }

    [Fact]
    public async Task FetchAsync_NoRecordsMatch_EmptyResultNotAnError()
    {
        await using var host = await SourceTestHost.StartAsync();
        host.Arxiv.OaiResponder = _ => (200, ArxivFixtures.Read("oai/no-records-match.xml"));
        var source = host.Create(ArxivSourceKind.Oai);

        var result = await host.FetchAsync(source, Harvest);

        result.Status.Should().Be(FetchStatus.Fetched);
        result.Papers.Should().BeEmpty();
        host.Arxiv.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task FetchAsync_FixturePage_FiltersToAskedCategories()
    {
        await using var host = await SourceTestHost.StartAsync();
        host.Arxiv.OaiResponder = _ => (200, ArxivFixtures.Read("oai/list-records.xml"));
        var source = host.Create(ArxivSourceKind.Oai);

        var result = await host.FetchAsync(source, Harvest);

        // 7 records: one deleted, one cs.AI only; the rest list cs.LG.
        result.Counts.TotalItems.Should().Be(7);
        result.Papers.Should().HaveCount(5).And.OnlyContain(p => p.Categories.Contains("cs.LG"));
        var primaryOnly = await host.FetchAsync(source, Harvest with { PrimaryCategoryOnly = true });
        primaryOnly.Papers.Should().HaveCount(3).And.OnlyContain(p => p.PrimaryCategory == "cs.LG");
    }

    [Fact]
    public async Task FetchAsync_ExpiredResumptionToken_ThrowsWithOaiErrorCode()
    {
        await using var host = await SourceTestHost.StartAsync();
        host.Arxiv.OaiResponder = r => r.QueryValue("resumptionToken") is null ? null : (200, ArxivFixtures.Read("oai/bad-resumption-token.xml"));
        host.Arxiv.Catalog = [.. ArxivFeedWriter.SyntheticPapers(8)];
        host.Arxiv.OaiPageSize = 5;
        var source = host.Create(ArxivSourceKind.Oai);

        var ex = await host.FetchFailsAsync<ArxivSourceException>(source, Harvest);

        ex.Message.Should().Contain("badResumptionToken").And.Contain("page 2");
    }

    [Theory]
    [InlineData("cs.LG", "cs")]
    [InlineData("stat.ML", "stat")]
    [InlineData("hep-th", "physics:hep-th")]
    [InlineData("cond-mat.str-el", "physics:cond-mat")]
    [InlineData("math", "math")]
    public void SetOf_Category_ArchiveSet(string category, string set)
        => ArxivRank.Sources.Oai.OaiArxivSource.SetOf(category).Should().Be(set);

    [Fact]
    public async Task FetchAsync_WithoutFrom_NotSupported()
    {
        var source = ArxivSources.CreateOai();

        var act = () => source.FetchAsync(new ArxivQuery { Categories = ["cs.LG"] });

        await act.Should().ThrowAsync<NotSupportedException>();
    }
}
