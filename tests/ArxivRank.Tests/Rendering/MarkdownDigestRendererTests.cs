using System.Text.RegularExpressions;
using ArxivRank.Rendering;
using ArxivRank.Scoring;
using ArxivRank.TestUtilities;
using ArxivRank.TestUtilities.Digests;
using Markdig;

namespace ArxivRank.Tests.Rendering;

public sealed partial class MarkdownDigestRendererTests
{
    [Fact]
    public async Task Render_ReferenceDigest001_HasTheReferenceLayoutSectionForSection()
    {
        // Arrange
        string referenceText = TestData.ReadText(TestData.ReferenceDigestFiles[1]);
        var digest = TestDigests.FromReference(1);

        // Act
        string markdown = await DigestRenderers.Markdown().RenderTextAsync(digest);

        // Assert: the same kinds of lines in the same order, section for section.
        Skeleton(markdown).Should().Equal(Skeleton(referenceText));
    }

    [Fact]
    public async Task Render_ReferenceDigest001_ReadsBackToTheSameContent()
    {
        // Arrange
        var reference = ReferenceDigest.Load(1);

        // Act
        string markdown = await DigestRenderers.Markdown().RenderTextAsync(TestDigests.FromReference(reference));
        var parsed = ReferenceDigest.Parse(markdown);

        // Assert
        parsed.Date.Should().Be(reference.Date);
        parsed.Model.Should().Be(reference.Model);
        (parsed.PromptTokens, parsed.CompletionTokens, parsed.PromptCost, parsed.CompletionCost)
            .Should().Be((reference.PromptTokens, reference.CompletionTokens, reference.PromptCost, reference.CompletionCost));
        (parsed.TotalPapers, parsed.ScannedPapers, parsed.RelevantPapers).Should().Be((reference.TotalPapers, reference.ScannedPapers, reference.RelevantPapers));
        parsed.Prompt.Should().Be(reference.Prompt);
        parsed.Entries.Should().HaveSameCount(reference.Entries);
        for (int i = 0; i < reference.Entries.Count; i++)
        {
            var expected = reference.Entries[i];
            var actual = parsed.Entries[i];
            actual.Paper.Id.Should().Be(expected.Paper.Id);
            Unescape(actual.Paper.Title).Should().Be(TexText.ToUnicode(expected.Paper.Title));
            actual.Paper.Authors.Select(Unescape).Should().Equal(expected.Paper.Authors.Select(TexText.ToUnicode));
            (actual.Relevance, actual.Novelty, actual.IsAuthorMatch).Should().Be((expected.Relevance, expected.Novelty, expected.IsAuthorMatch));
        }
    }

    [Fact]
    public async Task Render_ReferenceDigest001_UsageTableIsTheReferenceTable()
    {
        string referenceText = TestData.ReadText(TestData.ReferenceDigestFiles[1]);

        string markdown = await DigestRenderers.Markdown().RenderTextAsync(TestDigests.FromReference(1));

        string Table(string text) => string.Join('\n', text.Split('\n').SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')));
        Table(markdown).Should().Be(Table(referenceText)).And.Contain("| **Cost**     | $0.15    | $0.08        | $0.23   |");
    }

    [Fact]
    public async Task Render_AuthorMatch_ShowsCommentAndNoScores()
    {
        var digest = TestDigests.FromReference(1);

        string markdown = await DigestRenderers.Markdown().RenderTextAsync(digest);

        string first = Section(markdown, 1);
        first.Should().Contain("**Comment:** Author match").And.NotContain("**Relevance:**").And.NotContain("**Novelty:**");
        Section(markdown, 2).Should().Contain("**Relevance:** 9\n**Novelty:** 9");
    }

    [Fact]
    public async Task Render_TexInNamesAndTitles_ShowsUnicodeAndKeepsMath()
    {
        var digest = TestDigests.FromReference(1);

        string markdown = await DigestRenderers.Markdown().RenderTextAsync(digest);

        markdown.Should().Contain("Łukasz Kuśmierz").And.NotContain("{\\L}ukasz");
        markdown.Should().Contain("${\\sim}2-4$", "math is left intact");
    }

    [Fact]
    public async Task Render_UnknownCost_ShowsUnknownNeverZero()
    {
        var digest = TestDigests.FromReference(1) with { Usage = [new ModelUsage { ModelId = "my-local-model", InputTokens = 1200, OutputTokens = 300 }] };

        string markdown = await DigestRenderers.Markdown().RenderTextAsync(digest);

        markdown.Should().Contain("| **Cost**").And.Contain("unknown").And.NotContain("$0.00").And.NotContain("| $0 ");
    }

    [Fact]
    public async Task Render_SeveralModels_ShowsTheirRowsAndATotal()
    {
        var digest = TestDigests.Synthetic(3);

        string markdown = await DigestRenderers.Markdown().RenderTextAsync(digest);

        markdown.Should().Contain("*[gpt-4o-mini, local-llama]*")
            .And.Contain("**Token** · gpt-4o-mini").And.Contain("**Cost** · local-llama")
            .And.Contain("**Token** · total").And.MatchRegex(@"\*\*Cost\*\* · total\s*\|\s*unknown");
    }

    [Fact]
    public async Task Render_LeaveOutOptions_OmitPromptAbstractsAndUsage()
    {
        var digest = TestDigests.FromReference(1);
        var options = new MarkdownRendererOptions { IncludeCriteria = false, IncludeAbstracts = false, IncludeUsage = false };

        string markdown = await DigestRenderers.Markdown(options).RenderTextAsync(digest);

        markdown.Should().NotContain("# Paper Selection Prompt").And.NotContain("**Abstract:**").And.NotContain("| **Token**");
        markdown.Should().Contain("**Comment:**").And.Contain("Total relevant papers: 37");
    }

    [Fact]
    public async Task Render_HostileText_IsEscapedSoMarkdownShowsItAsWritten()
    {
        var digest = TestDigests.Hostile();

        string markdown = await DigestRenderers.Markdown(new() { IncludeCriteria = false }).RenderTextAsync(digest);
        string html = Markdig.Markdown.ToHtml(markdown, new MarkdownPipelineBuilder().UseAdvancedExtensions().Build());

        html.Should().NotContain("<script").And.NotContain("<img").And.NotContain("javascript:alert(document.cookie)\"")
            .And.NotContain("href=\"javascript");
        html.Should().NotContain("<em>free</em>").And.NotContain("<em>tokens</em>").And.NotContain("<del>").And.NotContain("<code>");
        html.Should().Contain("Click [here](javascript:alert(document.cookie)) for *free* _tokens_", "the title shows as written");
        html.Should().Contain("Łukasz Kuśmierz").And.Contain("David Pöppel").And.Contain("João Gonçalves");
        markdown.Should().Contain("$\\|x\\|_2 \\lt \\epsilon$", "math keeps its TeX; only < becomes \\lt");
        var hrefs = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html).QuerySelectorAll("a[href]").Select(a => a.GetAttribute("href")!).ToList();
        hrefs.Should().HaveCount(6).And.OnlyContain(h => h.StartsWith("https://arxiv.org/abs/", StringComparison.Ordinal) || h.StartsWith("#user-content-link", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Render_PlainAnchors_EveryTocLinkReachesItsSectionInMarkdig()
    {
        var digest = TestDigests.FromReference(1);

        string markdown = await DigestRenderers.Markdown(new() { AnchorStyle = MarkdownAnchorStyle.Plain }).RenderTextAsync(digest);
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(Markdig.Markdown.ToHtml(markdown));

        var tocLinks = document.QuerySelectorAll("a[href^='#']").Select(a => a.GetAttribute("href")!).ToList();
        tocLinks.Should().HaveCount(37);
        foreach (string href in tocLinks)
        {
            var target = document.GetElementById(href[1..]);
            target.Should().NotBeNull(href);
            target!.ParentElement!.TextContent.Should().StartWith(href[5..] + ". ", "the anchor sits in the paper's heading");
        }
    }

    [Fact]
    public async Task Render_GitHubAnchors_LinkToTheIdsGitHubGives()
    {
        string markdown = await DigestRenderers.Markdown().RenderTextAsync(TestDigests.FromReference(1));

        var links = TocLinkRegex().Matches(markdown).Select(m => m.Groups[1].Value).ToList();
        var anchors = AnchorRegex().Matches(markdown).Select(m => m.Groups[1].Value).ToList();
        links.Should().HaveCount(37).And.Equal(anchors.Select(a => "user-content-" + a));
    }

    [Fact]
    public async Task Render_EmptyDigest_WritesHeadingAndZeroRelevant()
    {
        var digest = new Digest { Date = new DateOnly(2025, 3, 1) };

        string markdown = await DigestRenderers.Markdown().RenderTextAsync(digest);

        markdown.Should().StartWith("# Personalized Daily Arxiv Papers 03/01/2025").And.Contain("Total relevant papers: 0").And.NotContain("Table of contents");
    }

    [Fact]
    public async Task Render_NullEntry_ThrowsArgumentExceptionNamingIt()
    {
        var digest = TestDigests.Hostile() with { Papers = [TestDigests.Hostile().Papers[0], null!] };

        var act = () => DigestRenderers.Markdown().RenderAsync(digest, new MemoryDigestOutput());

        (await act.Should().ThrowAsync<ArgumentException>()).WithMessage("*paper #2*");
    }

    [Fact]
    public void Markdown_InvalidOptions_ThrowNamingTheOption()
    {
        var act = () => DigestRenderers.Markdown(new MarkdownRendererOptions { Title = " " });

        act.Should().Throw<ArgumentException>().WithMessage("*MarkdownRendererOptions.Title*");
    }

    private static string Unescape(string text) => EscapeRegex().Replace(text, "$1");

    private static string Section(string markdown, int rank)
    {
        int start = markdown.IndexOf($"\n## {rank}. ", StringComparison.Ordinal);
        int end = markdown.IndexOf("\n---", start, StringComparison.Ordinal);
        return markdown[start..end];
    }

    /// <summary>Reduces a digest to the kinds of its lines (up to the prompt), so layouts can be compared section for section.</summary>
    private static List<string> Skeleton(string markdown)
    {
        var kinds = new List<string>();
        foreach (string raw in markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            string line = raw.TrimEnd();
            string? kind = line switch
            {
                "" => null,
                "---" => "rule",
                "**Table of contents with paper titles:**" => "toc-heading",
                "# Paper Selection Prompt" => "prompt-heading",
                _ when line.StartsWith("# Personalized Daily Arxiv Papers ", StringComparison.Ordinal) => "title",
                _ when line.StartsWith("|--", StringComparison.Ordinal) => "table-rule",
                _ when line.StartsWith("| *[", StringComparison.Ordinal) => "table-header",
                _ when line.StartsWith("| **Token**", StringComparison.Ordinal) => "table-tokens",
                _ when line.StartsWith("| **Cost**", StringComparison.Ordinal) => "table-cost",
                _ when line.StartsWith("Total ArXiv papers: ", StringComparison.Ordinal) => "total",
                _ when line.StartsWith("Total scanned papers: ", StringComparison.Ordinal) => "scanned",
                _ when line.StartsWith("Total relevant papers: ", StringComparison.Ordinal) => "relevant",
                _ when TocItemRegex().IsMatch(line) => "toc-item",
                _ when PaperHeadingRegex().IsMatch(line) => "paper-heading",
                _ when line.StartsWith("**", StringComparison.Ordinal) && line.IndexOf(":**", StringComparison.Ordinal) is > 2 and var colon => "field:" + line[2..colon],
                _ => "text",
            };
            if (kind == "prompt-heading")
            {
                kinds.Add(kind);
                break;
            }

            if (kind is not null)
            {
                kinds.Add(kind);
            }
        }

        return kinds;
    }

    [GeneratedRegex(@"^\d+\. \[.+\]\(#user-content-link\d+\)$")]
    private static partial Regex TocItemRegex();

    [GeneratedRegex(@"^## \d+\. \[.+\]\(https://arxiv\.org/abs/[^)]+\) <a id=""link\d+""></a>$")]
    private static partial Regex PaperHeadingRegex();

    [GeneratedRegex(@"^\d+\. \[.+\]\(#(user-content-link\d+)\)$", RegexOptions.Multiline)]
    private static partial Regex TocLinkRegex();

    [GeneratedRegex(@"<a id=""(link\d+)""></a>")]
    private static partial Regex AnchorRegex();

    [GeneratedRegex(@"\\([\\`*_\[\]<>|~#&])")]
    private static partial Regex EscapeRegex();
}
