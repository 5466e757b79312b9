using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using ArxivRank.Rendering;
using ArxivRank.Scoring;
using ArxivRank.TestUtilities.Digests;

namespace ArxivRank.Tests.Rendering;

public sealed class HtmlDigestRendererTests
{
    private static async Task<IDocument> RenderDocumentAsync(Digest digest, HtmlRendererOptions? options = null)
    {
        string html = await DigestRenderers.Html(options).RenderTextAsync(digest);
        return new HtmlParser().ParseDocument(html);
    }

    [Fact]
    public async Task Render_Digest_WritesOneSelfContainedPageNamedByDate()
    {
        var output = await DigestRenderers.Html().RenderAsync(TestDigests.FromReference(1));

        output.Names.Should().Equal("2025-02-26.html");
        output.GetMediaType("2025-02-26.html").Should().Be("text/html");
        var document = new HtmlParser().ParseDocument(output.GetText("2025-02-26.html"));
        document.QuerySelectorAll("script, link:not([rel=alternate]), iframe, object, embed, img, base, form").Should().BeEmpty();
        document.QuerySelector("link[rel=alternate]")!.GetAttribute("href").Should().Be("feed.xml", "the archive page links its Atom feed (never fetched: only a hint to feed readers)");
        document.All.Where(e => e.HasAttribute("src") || e.Attributes.Any(a => a.Name.StartsWith("on", StringComparison.Ordinal))).Should().BeEmpty();
        document.QuerySelector("meta[http-equiv='Content-Security-Policy']")!.GetAttribute("content")
            .Should().Be("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
        document.QuerySelector("style")!.TextContent.Should().Contain("prefers-color-scheme: dark").And.NotContain("@import").And.NotContain("url(");
    }

    [Fact]
    public async Task Render_HostileText_IsEncodedAndLinksStayOnAllowedHosts()
    {
        var digest = TestDigests.Hostile();

        var document = await RenderDocumentAsync(digest);

        document.QuerySelectorAll("script, img").Should().BeEmpty();
        document.QuerySelector("#paper-1 h3 a")!.TextContent.Should().Be(TestDigests.ScriptTitle);
        document.QuerySelector("#paper-1 .abstract")!.TextContent.Should().Be(TestDigests.BreakoutAbstract);
        document.QuerySelector("#paper-1 .authors")!.TextContent.Should().Be("Mallory <img src=x onerror=alert(1)>, Christopher Ré");
        document.QuerySelector("details.criteria pre")!.TextContent.Should().Contain("<script>alert('criteria')</script>");
        foreach (string href in document.QuerySelectorAll("a[href]").Select(a => a.GetAttribute("href")!))
        {
            bool allowed = href.StartsWith("https://arxiv.org/", StringComparison.Ordinal) || href.StartsWith("https://doi.org/", StringComparison.Ordinal)
                || (!href.Contains(':', StringComparison.Ordinal) && !href.StartsWith("//", StringComparison.Ordinal));
            allowed.Should().BeTrue($"'{href}' must be arxiv.org, doi.org or relative");
        }

        document.QuerySelector("a[href^='https://doi.org/']")!.GetAttribute("href").Should().Be("https://doi.org/10.1000/x%22%3E%3Cscript%3Ealert%281%29%3C/script%3E");
    }

    [Fact]
    public async Task Render_TexNames_ShowAsUnicode()
    {
        var document = await RenderDocumentAsync(TestDigests.Hostile());

        document.QuerySelector("#paper-2 .authors")!.TextContent.Should().Be("Łukasz Kuśmierz, David Pöppel, João Gonçalves");
    }

    [Fact]
    public async Task Render_Toc_HasOneLinkPerPaperToItsCard()
    {
        var document = await RenderDocumentAsync(TestDigests.FromReference(1));

        var links = document.QuerySelectorAll("nav.toc a").ToList();
        links.Should().HaveCount(37);
        foreach (var (link, i) in links.Select((l, i) => (l, i)))
        {
            string id = link.GetAttribute("href")![1..];
            var card = document.GetElementById(id);
            card.Should().NotBeNull();
            card!.QuerySelector(".rank")!.TextContent.Should().Be((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
            card.QuerySelector("h3 a")!.TextContent.Should().Be(link.TextContent);
        }
    }

    [Fact]
    public async Task Render_Scores_ShowBadgesAndAuthorMatchShowsNoScores()
    {
        var document = await RenderDocumentAsync(TestDigests.FromReference(1));

        document.QuerySelector("#paper-1 .badges")!.TextContent.Should().Be("Author match");
        document.QuerySelector("#paper-1 .comment").Should().BeNull("the badge already says it");
        var second = document.QuerySelectorAll("#paper-2 .badges .badge").Select(b => (b.TextContent, b.ClassName)).ToList();
        second.Should().Equal(("Relevance 9", "badge hi"), ("Novelty 9", "badge hi"));
    }

    [Fact]
    public async Task Render_Navigation_LinksPreviousMonthAndNext()
    {
        var digest = TestDigests.FromReference(1) with { Navigation = new() { Previous = new(2025, 2, 25), Next = null } };

        var document = await RenderDocumentAsync(digest);

        document.QuerySelector("nav.topnav a[rel=prev]")!.GetAttribute("href").Should().Be("2025-02-25.html");
        document.QuerySelector("nav.topnav a.mid")!.GetAttribute("href").Should().Be("2025-02/index.html");
        document.QuerySelector("nav.topnav a[rel=next]").Should().BeNull();
        document.QuerySelector("nav.topnav .off")!.TextContent.Should().Contain("Next day");
    }

    [Fact]
    public async Task Render_UnknownCost_ShowsUnknownNeverZero()
    {
        var document = await RenderDocumentAsync(TestDigests.Hostile());

        var cells = document.QuerySelectorAll("table.usage tbody td").Select(td => td.TextContent).ToList();
        cells.Should().Contain("unknown").And.NotContain("$0.00");
        document.QuerySelector(".stats")!.TextContent.Should().Contain("1,100tokens, cost unknown").And.NotContain("$0");
    }

    [Fact]
    public async Task Render_LeaveOutOptions_OmitCriteriaAbstractsUsageAndNavigation()
    {
        var options = new HtmlRendererOptions { IncludeAbstracts = false, IncludeCriteria = false, IncludeUsage = false, IncludeNavigation = false };

        var document = await RenderDocumentAsync(TestDigests.FromReference(1), options);

        document.QuerySelectorAll(".abstract, details.criteria, table.usage, nav.topnav").Should().BeEmpty();
        document.QuerySelectorAll("article.paper").Should().HaveCount(37);
    }

    [Fact]
    public async Task Render_EmptyDigest_SaysSo()
    {
        var document = await RenderDocumentAsync(new Digest { Date = new DateOnly(2025, 3, 1) });

        document.QuerySelector(".empty")!.TextContent.Should().Contain("No paper");
        document.QuerySelectorAll("nav.toc").Should().BeEmpty();
    }

    [Fact]
    public async Task Render_KeywordRuleAndLexicalScore_ShowTheirBadges()
    {
        var paper = TestDigests.Hostile().Papers[2].Paper;
        var digest = new Digest
        {
            Date = new DateOnly(2025, 3, 1),
            Papers =
            [
                new(paper, new PaperScore { PaperId = paper.Id, Origin = ScoreOrigin.KeywordRule, Comment = "keyword: sparse" }),
                new(paper with { Id = ArxivId.Parse("2502.00009") }, new PaperScore { PaperId = ArxivId.Parse("2502.00009"), Score = 0.7312, Comment = "bm25: sparse, moe" }),
            ],
        };

        var document = await RenderDocumentAsync(digest);

        document.QuerySelector("#paper-1 .badges")!.TextContent.Should().Be("Keyword rule");
        document.QuerySelector("#paper-2 .badges")!.TextContent.Should().Be("Score 0.731");
    }
}
