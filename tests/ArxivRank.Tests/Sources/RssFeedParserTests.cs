using ArxivRank.Sources;
using ArxivRank.Sources.Rss;
using ArxivRank.Sources.Xml;

namespace ArxivRank.Tests.Sources;

public class RssFeedParserTests
{
    private static Task<RssFeed> ParseFixtureAsync(string path)
        => RssFeedParser.ParseAsync(ArxivFixtures.Reader(ArxivFixtures.Read(path)), ArxivFixtures.Url, default);

    [Fact]
    public async Task ParseAsync_RealCsLgFeed_ReadsEveryItemWithItsAnnouncementDate()
    {
        var feed = await ParseFixtureAsync("rss/cs.LG.xml");

        feed.Title.Should().Be("cs.LG updates on arXiv.org");
        feed.AnnouncementDate.Should().Be(new DateOnly(2025, 2, 26));
        feed.TotalItems.Should().Be(12);
        feed.Items.Should().HaveCount(12);
        feed.Skipped.Should().Be(0);
        feed.Diagnostics.Should().BeEmpty();
        feed.Items.Select(p => p.AnnounceType).Should().ContainInOrder(AnnounceType.New, AnnounceType.Cross, AnnounceType.Replace, AnnounceType.ReplaceCross);
    }

    [Fact]
    public async Task ParseAsync_Item_StripsDescriptionHeaderAndTakesVersionFromGuid()
    {
        var feed = await ParseFixtureAsync("rss/cs.LG.xml");

        var reversal = feed.Items.Single(p => p.Id.Id == "2502.18435");
        reversal.Id.Version.Should().Be(1);
        reversal.Abstract.Should().StartWith("Language models usually use left-to-right (L2R)");
        reversal.Abstract.Should().NotContain("Announce Type").And.NotContain("Abstract:");
        reversal.Categories.Should().Equal("cs.LG", "cs.AI", "cs.CL");
        reversal.PrimaryCategory.Should().Be("cs.LG");
        reversal.License.Should().Be("http://creativecommons.org/licenses/by/4.0/");
        reversal.Authors.Should().HaveCount(8).And.StartWith("Yizhe Zhang");

        var replaced = feed.Items.Single(p => p.Id.Id == "2502.12224");
        replaced.Id.Version.Should().Be(2);
        replaced.AnnounceType.Should().Be(AnnounceType.Replace);
        replaced.Doi.Should().Be("10.18653/v1/2025.naacl-long.42");
        replaced.JournalReference.Should().Be("Proceedings of NAACL 2025, pages 812--830");
    }

    [Fact]
    public async Task ParseAsync_TexInNamesAndAbstracts_KeptAsSent()
    {
        var feed = await ParseFixtureAsync("rss/cs.LG.xml");

        feed.Items.Single(p => p.Id.Id == "2502.17690").Authors.Should().Equal("Zhixin Lu", @"{\L}ukasz Ku\'smierz", "Stefan Mihalas");
        feed.Items.Single(p => p.Id.Id == "2502.17578").Abstract.Should().Contain("${\\sim}2-4$");
        feed.Items.Single(p => p.Id.Id == "2502.17578").Comments.Should().Be("29 pages, 12 figures");
    }

    [Fact]
    public async Task ParseAsync_CreatorWithAffiliationsAndAnd_OneNamePerAuthor()
    {
        var feed = await ParseFixtureAsync("rss/cs.LG.xml");

        feed.Items.Single(p => p.Id.Id == "2502.18377").Authors.Should().Equal("Adeel Pervez", "Efstratios Gavves", "Francesco Locatello");
        feed.Items.Single(p => p.Title.StartsWith("Global law", StringComparison.Ordinal)).Authors.Should().Equal("Alice Guionnet", "Vanessa Piccolo");
    }

    [Fact]
    public async Task ParseAsync_CrossList_PrimaryIsFirstCategory()
    {
        var feed = await ParseFixtureAsync("rss/cs.LG.xml");

        var cross = feed.Items.Single(p => p.Title.StartsWith("Global law", StringComparison.Ordinal));
        cross.AnnounceType.Should().Be(AnnounceType.Cross);
        cross.PrimaryCategory.Should().Be("math.PR");
        cross.Categories.Should().Equal("math.PR", "cs.LG", "stat.ML");
    }

    [Fact]
    public async Task ParseAsync_BadItems_EachSkippedOrFlaggedWithADiagnostic()
    {
        var feed = await ParseFixtureAsync("rss/cs.LG-bad-items.xml");

        feed.TotalItems.Should().Be(6);
        feed.Skipped.Should().Be(3);
        feed.Diagnostics.Select(d => d.Code).Should().BeEquivalentTo(["item-missing-id", "item-bad-id", "unknown-announce-type", "item-missing-title"]);
        feed.Diagnostics.Should().OnlyContain(d => d.Url == ArxivFixtures.Url && d.Position!.StartsWith("item ", StringComparison.Ordinal));
        feed.Diagnostics.Single(d => d.Code == "item-missing-id").Position.Should().StartWith("item 2 (line ");
        feed.Items.Should().HaveCount(3);
        feed.Items.Single(p => p.Id.Id == "2502.18435").AnnounceType.Should().Be(AnnounceType.New);
        feed.Items.Single(p => p.Title.StartsWith("AMPO", StringComparison.Ordinal)).AnnounceType.Should().Be(AnnounceType.Unknown);
    }

    [Fact]
    public async Task ParseAsync_ItemWithoutGuid_TakesIdAndVersionFromDescriptionHeader()
    {
        var feed = await ParseFixtureAsync("rss/cs.LG-bad-items.xml");

        var paper = feed.Items.Single(p => p.Title.StartsWith("PICASO", StringComparison.Ordinal));
        paper.Id.ToString().Should().Be("2502.17605v2");
    }

    [Fact]
    public async Task ParseAsync_WeekendFeed_NoItemsAndItsOwnDate()
    {
        var feed = await ParseFixtureAsync("rss/cs.LG-weekend.xml");

        feed.Items.Should().BeEmpty();
        feed.TotalItems.Should().Be(0);
        feed.AnnouncementDate.Should().Be(new DateOnly(2025, 3, 1));
    }

    [Fact]
    public async Task ParseAsync_ApiAtomInsteadOfRss_ThrowsFormatErrorNamingTheRoot()
    {
        var act = () => RssFeedParser.ParseAsync(ArxivFixtures.Reader(ArxivFixtures.Read("api/query-page.xml")), ArxivFixtures.Url, default);

        (await act.Should().ThrowAsync<FeedFormatException>()).Which.Message.Should().Contain("<feed>");
    }

    [Fact]
    public async Task ParseAsync_HtmlPage_ThrowsHtmlError()
    {
        string html = "<html><head><title>Down for maintenance</title></head><body/></html>";

        var act = () => RssFeedParser.ParseAsync(ArxivFixtures.Reader(html), ArxivFixtures.Url, default);

        var ex = (await act.Should().ThrowAsync<FeedFormatException>()).Which;
        ex.IsHtml.Should().BeTrue();
        ex.HtmlTitle.Should().Be("Down for maintenance");
    }

    [Theory]
    [InlineData("Wed, 26 Feb 2025 00:00:00 -0500", 2025, 2, 26)]
    [InlineData("Thu, 24 Sep 2026 00:00:00 -0400", 2026, 9, 24)]
    [InlineData("Thu, 24 Sep 2026 00:30:00 +0100", 2026, 9, 24)] // 23:30 UTC the day before: never converted
    [InlineData("Thu, 24 Sep 2026 23:30:00 -0400", 2026, 9, 24)] // 03:30 UTC the day after
    [InlineData("24 Sep 2026 00:00:00 EDT", 2026, 9, 24)]
    [InlineData("Thu, 24 Sep 2026 00:00:00 GMT", 2026, 9, 24)]
    public void TryParseDate_Rfc822_DateInItsOwnOffset(string text, int year, int month, int day)
    {
        Rfc822Date.TryParseDate(text, out var date).Should().BeTrue();

        date.Should().Be(new DateOnly(year, month, day));
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("Thu, 32 Sep 2026 00:00:00 -0400")]
    public void TryParseDate_NotADate_ReturnsFalse(string text)
        => Rfc822Date.TryParseDate(text, out _).Should().BeFalse();

    [Fact]
    public async Task ParseAsync_ChannelWithoutPubDate_WarnsAndUsesLastBuildDate()
    {
        string xml = ArxivFixtures.Read("rss/cs.LG.xml").Replace("<pubDate>Wed, 26 Feb 2025 00:00:00 -0500</pubDate>\n    <skipDays>", "<skipDays>", StringComparison.Ordinal);

        var feed = await RssFeedParser.ParseAsync(ArxivFixtures.Reader(xml), ArxivFixtures.Url, default);

        feed.AnnouncementDate.Should().Be(new DateOnly(2025, 2, 26));
        feed.Diagnostics.Should().ContainSingle(d => d.Code == "announcement-date-from-last-build");
    }

    [Fact]
    public void CollapseWhitespace_NewlinesAndRuns_SingleSpaces()
        => ArxivXml.CollapseWhitespace("  Towards Learning\n  High-Precision\t\tLeast ").Should().Be("Towards Learning High-Precision Least");
}

public class AuthorListTests
{
    [Theory]
    [InlineData("Yizhe Zhang, Richard Bai, Zijin Gu", new[] { "Yizhe Zhang", "Richard Bai", "Zijin Gu" })]
    [InlineData("Alice Guionnet and Vanessa Piccolo", new[] { "Alice Guionnet", "Vanessa Piccolo" })]
    [InlineData("A. One, B. Two, and C. Three", new[] { "A. One", "B. Two", "C. Three" })]
    [InlineData("Jane Doe (MIT, Cambridge, MA), John Roe", new[] { "Jane Doe", "John Roe" })]
    [InlineData("A. Author (1 and 2), B. Author (2) ((1) MIT, (2) ETH Zurich)", new[] { "A. Author", "B. Author" })]
    [InlineData(@"{\L}ukasz Ku\'smierz, Christopher R\'e", new[] { @"{\L}ukasz Ku\'smierz", @"Christopher R\'e" })]
    [InlineData(@"Korbinian P\""oppel, G\""unter Klambauer", new[] { @"Korbinian P\""oppel", @"G\""unter Klambauer" })]
    [InlineData("Alexander Anderson, Sandra Andrews", new[] { "Alexander Anderson", "Sandra Andrews" })]
    [InlineData("  ", new string[0])]
    public void Parse_AuthorString_OneNamePerAuthor(string text, string[] expected)
        => AuthorList.Parse(text).Should().Equal(expected);
}
