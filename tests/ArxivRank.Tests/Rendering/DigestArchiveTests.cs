using AngleSharp.Html.Parser;
using ArxivRank.Rendering;
using ArxivRank.TestUtilities.Digests;

namespace ArxivRank.Tests.Rendering;

public sealed class DigestArchiveTests
{
    private static readonly ArchiveDay[] Days =
    [
        new(new DateOnly(2025, 3, 18), 40),
        new(new DateOnly(2025, 2, 19), 42),
        new(new DateOnly(2025, 2, 26), 37),
        new(new DateOnly(2025, 2, 27), 1),
    ];

    [Fact]
    public async Task RenderHtml_Days_WritesAMonthPagePerMonthAndAnIndex()
    {
        var output = new MemoryDigestOutput();

        await DigestArchive.RenderHtmlAsync(Days, output);

        output.Names.Should().BeEquivalentTo("2025-02/index.html", "2025-03/index.html", "index.html");
    }

    [Fact]
    public async Task RenderHtml_MonthPage_IsACalendarLinkingEachDayWithItsCount()
    {
        var output = new MemoryDigestOutput();

        await DigestArchive.RenderHtmlAsync(Days, output);
        var document = new HtmlParser().ParseDocument(output.GetText("2025-02/index.html"));

        document.QuerySelectorAll("table.cal td:not(.pad)").Should().HaveCount(28);
        var linked = document.QuerySelectorAll("td.has a").Select(a => (a.GetAttribute("href"), a.QuerySelector("b")!.TextContent)).ToList();
        linked.Should().Equal(("../2025-02-19.html", "42"), ("../2025-02-26.html", "37"), ("../2025-02-27.html", "1"));
        document.QuerySelectorAll("table.cal tbody tr").First().QuerySelectorAll("td.pad").Should().HaveCount(5, "February 2025 starts on a Saturday and weeks start on Monday");
        document.QuerySelector("a[rel=next]")!.GetAttribute("href").Should().Be("../2025-03/index.html");
        document.QuerySelector("a[rel=prev]").Should().BeNull();
        document.QuerySelector(".stats")!.TextContent.Should().Contain("80");
    }

    [Fact]
    public async Task RenderHtml_Index_ListsMonthsNewestFirst()
    {
        var output = new MemoryDigestOutput();

        await DigestArchive.RenderHtmlAsync(Days, output);
        var document = new HtmlParser().ParseDocument(output.GetText("index.html"));

        document.QuerySelectorAll("ul.months a").Select(a => a.GetAttribute("href")).Should().Equal("2025-03/index.html", "2025-02/index.html");
        document.QuerySelector("ul.months")!.TextContent.Should().Contain("3 days · 80 papers").And.Contain("1 day · 40 papers");
    }

    [Fact]
    public async Task RenderHtml_EveryRelativeLink_ResolvesToAPageOfTheSite()
    {
        var digests = DigestArchive.Link([TestDigests.FromReference(2), TestDigests.FromReference(0), TestDigests.FromReference(1)]);
        var output = new MemoryDigestOutput();
        foreach (var digest in digests)
        {
            await DigestRenderers.Html().RenderAsync(digest, output);
        }

        await DigestArchive.RenderHtmlAsync(digests.Select(d => new ArchiveDay(d.Date, d.Papers.Count)), output);

        var site = new Uri("http://site/");
        foreach (string name in output.Names)
        {
            var document = new HtmlParser().ParseDocument(output.GetText(name));
            foreach (string href in document.QuerySelectorAll("a[href]").Select(a => a.GetAttribute("href")!).Where(h => !h.StartsWith("https://", StringComparison.Ordinal) && !h.StartsWith('#')))
            {
                string target = new Uri(new Uri(site, name), href).AbsolutePath.TrimStart('/');
                output.Names.Should().Contain(target, $"{name} links to {href}");
            }
        }
    }

    [Fact]
    public void Link_Digests_SetsNeighboursInDateOrder()
    {
        var linked = DigestArchive.Link([TestDigests.FromReference(2), TestDigests.FromReference(0), TestDigests.FromReference(1)]);

        linked.Select(d => d.Date).Should().BeInAscendingOrder();
        linked[0].Navigation.Should().Be(new DigestNavigation { Previous = null, Next = new DateOnly(2025, 2, 26) });
        linked[1].Navigation.Should().Be(new DigestNavigation { Previous = new DateOnly(2025, 2, 19), Next = new DateOnly(2025, 3, 18) });
        linked[2].Navigation.Should().Be(new DigestNavigation { Previous = new DateOnly(2025, 2, 26), Next = null });
    }

    [Fact]
    public void Link_TwoDigestsForOneDay_Throws()
    {
        var act = () => DigestArchive.Link([TestDigests.FromReference(1), TestDigests.FromReference(1)]);

        act.Should().Throw<ArgumentException>().WithMessage("*2025-02-26*");
    }

    [Fact]
    public async Task RenderHtml_DuplicateOrNegativeDay_Throws()
    {
        var duplicate = () => DigestArchive.RenderHtmlAsync([Days[0], Days[0]], new MemoryDigestOutput());
        var negative = () => DigestArchive.RenderHtmlAsync([new ArchiveDay(new DateOnly(2025, 1, 1), -1)], new MemoryDigestOutput());

        await duplicate.Should().ThrowAsync<ArgumentException>().WithMessage("*listed twice*");
        await negative.Should().ThrowAsync<ArgumentException>().WithMessage("*negative*");
    }

    [Fact]
    public async Task RenderHtml_NoDays_WritesAnIndexThatSaysSo()
    {
        var output = new MemoryDigestOutput();

        await DigestArchive.RenderHtmlAsync([], output);

        output.Names.Should().Equal("index.html");
        output.GetText("index.html").Should().Contain("No digest yet");
    }
}
