using ArxivRank.Sources.Api;
using ArxivRank.Sources.Xml;

namespace ArxivRank.Tests.Sources;

public class ApiFeedParserTests
{
    private static readonly Uri Url = new("https://export.arxiv.org/api/query?id_list=2503.12295");

    private static Task<ApiPage> ParseFixtureAsync(string path)
        => ApiFeedParser.ParseAsync(ArxivFixtures.Reader(ArxivFixtures.Read(path)), Url, default);

    [Fact]
    public async Task ParseAsync_CurrentLayout_ReadsTotalsAndEntries()
    {
        var page = await ParseFixtureAsync("api/query-page.xml");

        page.TotalResults.Should().Be(5);
        page.StartIndex.Should().Be(0);
        page.ItemsPerPage.Should().Be(10);
        page.EntryCount.Should().Be(5);
        page.Entries.Select(p => p.Id.ToString()).Should().Equal("2503.12295v1", "2503.13427v2", "2503.13304v1", "2502.17690v1", "2502.12224v2");
        page.Diagnostics.Should().BeEmpty();
    }

    [Fact]
    public async Task ParseAsync_Entry_ReadsEveryField()
    {
        var page = await ParseFixtureAsync("api/query-page.xml");

        var xlstm = page.Entries.Single(p => p.Id.Id == "2503.13427");
        xlstm.Title.Should().Be("xLSTM 7B: A Recurrent LLM for Fast and Efficient Inference");
        xlstm.Authors.Should().HaveCount(8).And.Contain(@"Korbinian P\""oppel").And.Contain(@"G\""unter Klambauer");
        xlstm.Abstract.Should().StartWith("Recent breakthroughs in solving reasoning").And.NotContain("\n");
        xlstm.Published.Should().Be(new DateTimeOffset(2025, 3, 17, 17, 54, 18, TimeSpan.Zero));
        xlstm.Updated.Should().Be(new DateTimeOffset(2025, 3, 18, 9, 12, 7, TimeSpan.Zero));
        xlstm.PrimaryCategory.Should().Be("cs.LG");
        xlstm.Categories.Should().Equal("cs.LG", "cs.AI", "cs.CL");
        xlstm.Comments.Should().Be("Code available at: https://github.com/NX-AI/xlstm");

        var naacl = page.Entries.Single(p => p.Id.Id == "2502.12224");
        naacl.Doi.Should().Be("10.18653/v1/2025.naacl-long.42");
        naacl.JournalReference.Should().Be("Proceedings of NAACL 2025, pages 812--830");
    }

    [Fact]
    public async Task ParseAsync_PrimaryCategoryNotFirst_PrimaryMovedFirst()
    {
        var page = await ParseFixtureAsync("api/query-page.xml");

        var paper = page.Entries.Single(p => p.Id.Id == "2502.17690");
        paper.PrimaryCategory.Should().Be("q-bio.NC");
        paper.Categories.Should().Equal("q-bio.NC", "cs.LG");
        paper.Authors.Should().Equal("Zhixin Lu", @"{\L}ukasz Ku\'smierz", "Stefan Mihalas");
    }

    [Fact]
    public async Task ParseAsync_OldLayout_SamePapersAsCurrentLayout()
    {
        var current = await ParseFixtureAsync("api/query-page.xml");

        var old = await ParseFixtureAsync("api/query-old-layout.xml");

        old.TotalResults.Should().Be(current.TotalResults);
        old.Entries.Should().BeEquivalentTo(current.Entries, o => o.WithStrictOrdering());
    }

    [Fact]
    public async Task ParseAsync_ErrorEntry_ThrowsWithArxivsMessageNeverAPaper()
    {
        var act = () => ParseFixtureAsync("api/error.xml");

        var ex = (await act.Should().ThrowAsync<FeedFormatException>()).Which;
        ex.Message.Should().Contain("incorrect id format for 2502.1843");
        ex.Position.Should().StartWith("entry 1");
    }

    [Fact]
    public async Task ParseAsync_NoResults_EmptyPage()
    {
        var page = await ParseFixtureAsync("api/empty.xml");

        page.TotalResults.Should().Be(0);
        page.Entries.Should().BeEmpty();
    }

    [Fact]
    public async Task ParseAsync_EntryWithoutId_SkippedWithDiagnostic()
    {
        string xml = ArxivFixtures.Read("api/query-page.xml").Replace("<id>http://arxiv.org/abs/2503.13304v1</id>", "", StringComparison.Ordinal);

        var page = await ApiFeedParser.ParseAsync(ArxivFixtures.Reader(xml), Url, default);

        page.EntryCount.Should().Be(5);
        page.Entries.Should().HaveCount(4);
        page.Skipped.Should().Be(1);
        page.Diagnostics.Should().ContainSingle().Which.Should().Match<ArxivRank.Sources.SourceDiagnostic>(d => d.Code == "item-missing-id" && d.Position!.StartsWith("entry 3", StringComparison.Ordinal));
    }

    [Fact]
    public void ErrorMessage_ErrorFeedBody_ExtractsSummary()
        => ApiFeedParser.ErrorMessage(ArxivFixtures.Read("api/error.xml")).Should().Be("arXiv says: incorrect id format for 2502.1843");
}

public class OaiParserTests
{
    private static readonly Uri Url = new("https://arxiv.org/oai?verb=ListRecords&metadataPrefix=arXiv&set=cs");

    private static Task<ArxivRank.Sources.Oai.OaiPage> ParseFixtureAsync(string path)
        => ArxivRank.Sources.Oai.OaiParser.ParseAsync(ArxivFixtures.Reader(ArxivFixtures.Read(path)), Url, default);

    [Fact]
    public async Task ParseAsync_ListRecords_ReadsRecordsAndSkipsDeletedWithDiagnostic()
    {
        var page = await ParseFixtureAsync("oai/list-records.xml");

        page.RecordCount.Should().Be(7);
        page.Records.Should().HaveCount(6);
        page.Skipped.Should().Be(1);
        var deleted = page.Diagnostics.Should().ContainSingle().Which;
        deleted.Code.Should().Be("deleted-record");
        deleted.PaperId!.Value.Id.Should().Be("2502.16001");
        page.ResumptionToken.Should().BeNull();
        page.CompleteListSize.Should().Be(7);
    }

    [Fact]
    public async Task ParseAsync_ArxivMetadata_NamesCategoriesDatesAndTex()
    {
        var page = await ParseFixtureAsync("oai/list-records.xml");

        var pde = page.Records.Single(p => p.Id.Id == "2502.18377");
        pde.Authors.Should().Equal("Adeel Pervez", "Efstratios Gavves", "Francesco Locatello");
        pde.Id.Version.Should().BeNull();
        var tex = page.Records.Single(p => p.Id.Id == "2502.17690");
        tex.Authors.Should().Equal("Zhixin Lu", @"{\L}ukasz Ku\'smierz", "Stefan Mihalas");
        tex.PrimaryCategory.Should().Be("q-bio.NC");
        tex.Comments.Should().Be("9 pages, 4 figures");
        var naacl = page.Records.Single(p => p.Id.Id == "2502.12224");
        naacl.Published.Should().Be(new DateTimeOffset(2025, 2, 17, 0, 0, 0, TimeSpan.Zero));
        naacl.Updated.Should().Be(new DateTimeOffset(2025, 2, 25, 0, 0, 0, TimeSpan.Zero));
        naacl.Doi.Should().Be("10.18653/v1/2025.naacl-long.42");
        naacl.Title.Should().NotContain("\n");
    }

    [Fact]
    public async Task ParseAsync_NoRecordsMatch_EmptyPageNotAnError()
    {
        var page = await ParseFixtureAsync("oai/no-records-match.xml");

        page.NoRecordsMatch.Should().BeTrue();
        page.Records.Should().BeEmpty();
        page.ResumptionToken.Should().BeNull();
    }

    [Fact]
    public async Task ParseAsync_BadResumptionToken_ThrowsWithCodeAndHint()
    {
        var act = () => ParseFixtureAsync("oai/bad-resumption-token.xml");

        (await act.Should().ThrowAsync<FeedFormatException>()).Which.Message.Should().Contain("badResumptionToken").And.Contain("expire daily");
    }
}
