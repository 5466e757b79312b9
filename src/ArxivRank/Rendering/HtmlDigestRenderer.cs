using System.Globalization;
using System.Text;
using ArxivRank.Scoring;

namespace ArxivRank.Rendering;

/// <summary>
/// Renders a digest as one self-contained HTML page: inline CSS, no script, no external resource, every feed or
/// model text HTML-encoded, links only to arxiv.org, doi.org and the archive's own relative pages.
/// </summary>
internal sealed class HtmlDigestRenderer : TextDigestRenderer
{
    private readonly HtmlRendererOptions _options;

    public HtmlDigestRenderer(HtmlRendererOptions options)
    {
        _options = options;
    }

    public override string Format => "html";

    protected override string Extension => "html";

    protected override string MediaType => "text/html";

    protected override async Task WriteAsync(Digest digest, ChunkedTextWriter writer, CancellationToken cancellationToken)
    {
        var sb = writer.Text;
        string date = RenderText.Date(digest.Date);
        HtmlPage.AppendHead(sb, $"{_options.SiteTitle} · {date}", $"{digest.Papers.Count} papers selected from arXiv on {date}", _options.IncludeNavigation ? DigestOutputNames.AtomFeed : null);
        sb.Append("<body id=\"top\">\n");
        if (_options.IncludeNavigation)
        {
            AppendNavigation(sb, digest);
        }

        sb.Append("<main class=\"wrap\">\n<header class=\"hero\">\n<p class=\"kicker\">").AppendHtml(_options.SiteTitle).Append("</p>\n<h1><time datetime=\"")
          .Append(date).Append("\">").Append(RenderText.LongDate(digest.Date)).Append("</time></h1>\n");
        AppendSummary(sb, digest);
        sb.Append("</header>\n");
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);

        if (digest.Papers.Count == 0)
        {
            sb.Append("<p class=\"empty\">No paper was selected on this day.</p>\n");
        }
        else
        {
            sb.Append("<h2 class=\"section\" id=\"contents\">Contents</h2>\n<nav class=\"toc\" aria-label=\"Table of contents\">\n<ol>\n");
            for (int i = 0; i < digest.Papers.Count; i++)
            {
                AppendTocItem(sb, digest.Papers[i], i + 1);
                if (sb.Length > 16 * 1024)
                {
                    await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            sb.Append("</ol>\n</nav>\n<h2 class=\"section\">Papers</h2>\n");
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            for (int i = 0; i < digest.Papers.Count; i++)
            {
                AppendPaper(sb, digest.Papers[i], i + 1);
                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        if (_options.IncludeCriteria && !string.IsNullOrWhiteSpace(digest.CriteriaText))
        {
            sb.Append("<details class=\"criteria\">\n<summary>Selection criteria</summary>\n<pre>").AppendHtml(digest.CriteriaText.Trim()).Append("</pre>\n</details>\n");
        }

        sb.Append("</main>\n<footer class=\"wrap\">Ranked and rendered by ArxivRank");
        if (!string.IsNullOrWhiteSpace(digest.ScorerName))
        {
            sb.Append(" with ").AppendHtml(RenderText.Display(digest.ScorerName));
        }

        sb.Append(". Paper metadata from arXiv (CC0).</footer>\n</body>\n</html>\n");
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void AppendNavigation(StringBuilder sb, Digest digest)
    {
        var nav = digest.Navigation;
        sb.Append("<nav class=\"topnav\" aria-label=\"Days\"><div class=\"wrap\">");
        if (nav.Previous is { } previous)
        {
            sb.Append("<a rel=\"prev\" href=\"").Append(DigestOutputNames.Daily(previous, "html")).Append("\">← <span class=\"lbl\">Previous day </span>")
              .Append(RenderText.Date(previous)).Append("</a>");
        }
        else
        {
            sb.Append("<span class=\"off\">← <span class=\"lbl\">Previous day</span></span>");
        }

        sb.Append("<a class=\"mid\" href=\"").Append(DigestOutputNames.Month(digest.Date.Year, digest.Date.Month)).Append("\"><span class=\"lbl\">Monthly overview </span>")
          .Append(digest.Date.ToString("yyyy-MM", CultureInfo.InvariantCulture)).Append("</a>");
        if (nav.Next is { } next)
        {
            sb.Append("<a rel=\"next\" href=\"").Append(DigestOutputNames.Daily(next, "html")).Append("\"><span class=\"lbl\">Next day </span>")
              .Append(RenderText.Date(next)).Append(" →</a>");
        }
        else
        {
            sb.Append("<span class=\"off\"><span class=\"lbl\">Next day</span> →</span>");
        }

        sb.Append("</div></nav>\n");
    }

    private void AppendSummary(StringBuilder sb, Digest digest)
    {
        var totals = digest.Totals;
        sb.Append("<div class=\"stats\">");
        if (totals.TotalPapers > 0)
        {
            sb.Append("<div class=\"stat\"><b>").Append(RenderText.Grouped(totals.TotalPapers)).Append("</b><span>papers announced</span></div>");
        }

        if (totals.ScannedPapers > 0)
        {
            sb.Append("<div class=\"stat\"><b>").Append(RenderText.Grouped(totals.ScannedPapers)).Append("</b><span>papers scanned</span></div>");
        }

        sb.Append("<div class=\"stat sel\"><b>").Append(RenderText.Grouped(digest.Papers.Count)).Append("</b><span>papers selected</span></div>");
        if (_options.IncludeUsage && digest.Usage.Count > 0)
        {
            var total = RenderText.Total(digest.Usage) ?? digest.Usage[0];
            if (total.TotalCost is null)
            {
                sb.Append("<div class=\"stat\"><b>").Append(RenderText.Grouped(total.TotalTokens)).Append("</b><span>tokens, cost unknown</span></div>");
            }
            else
            {
                sb.Append("<div class=\"stat\"><b>").AppendHtml(RenderText.Cost(total.TotalCost)).Append("</b><span>spent on ")
                  .Append(RenderText.Grouped(total.TotalTokens)).Append(" tokens</span></div>");
            }
        }

        sb.Append("</div>\n");
        if (_options.IncludeUsage && digest.Usage.Count > 0)
        {
            sb.Append("<div class=\"scroll\"><table class=\"usage\">\n<caption>Tokens and cost by model</caption>\n")
              .Append("<thead><tr><th scope=\"col\">Model</th><th scope=\"col\">Prompt tokens</th><th scope=\"col\">Completion tokens</th><th scope=\"col\">Total tokens</th><th scope=\"col\">Cost</th></tr></thead>\n<tbody>\n");
            foreach (var usage in digest.Usage)
            {
                AppendUsageRow(sb, usage, RenderText.Display(usage.ModelId));
            }

            if (RenderText.Total(digest.Usage) is { } sum)
            {
                AppendUsageRow(sb, sum, "Total");
            }

            sb.Append("</tbody>\n</table></div>\n");
        }
    }

    private static void AppendUsageRow(StringBuilder sb, ModelUsage usage, string name)
    {
        sb.Append("<tr><th scope=\"row\">").AppendHtml(name).Append("</th><td>").Append(RenderText.Grouped(usage.InputTokens))
          .Append("</td><td>").Append(RenderText.Grouped(usage.OutputTokens)).Append("</td><td>").Append(RenderText.Grouped(usage.TotalTokens))
          .Append("</td><td title=\"prompt ").AppendHtml(RenderText.Cost(usage.InputCost)).Append(" + completion ").AppendHtml(RenderText.Cost(usage.OutputCost))
          .Append("\">").AppendHtml(RenderText.Cost(usage.TotalCost)).Append("</td></tr>\n");
    }

    private static void AppendTocItem(StringBuilder sb, DigestEntry entry, int rank)
    {
        string r = RenderText.Integer(rank);
        sb.Append("<li><span class=\"n\">").Append(r).Append(".</span><a class=\"t\" href=\"#paper-").Append(r).Append("\">")
          .AppendHtml(RenderText.Display(entry.Paper.Title)).Append("</a><span class=\"s\">");
        AppendBadges(sb, entry.Score, compact: true);
        sb.Append("</span><span class=\"a\">").AppendHtml(RenderText.Authors(entry.Paper.Authors)).Append("</span></li>\n");
    }

    private void AppendPaper(StringBuilder sb, DigestEntry entry, int rank)
    {
        var paper = entry.Paper;
        var score = entry.Score;
        string r = RenderText.Integer(rank);
        string abs = paper.AbsUri.AbsoluteUri;
        sb.Append("<article class=\"paper\" id=\"paper-").Append(r).Append("\">\n<h3><span class=\"rank\">").Append(r).Append("</span><a href=\"")
          .Append(abs).Append("\">").AppendHtml(RenderText.Display(paper.Title)).Append("</a></h3>\n<div class=\"badges\">");
        AppendBadges(sb, score, compact: false);
        sb.Append("</div>\n<p class=\"authors\">").AppendHtml(RenderText.Authors(paper.Authors)).Append("</p>\n<p class=\"meta\">arXiv:").Append(paper.Id.Id);
        if (paper.PrimaryCategory is { Length: > 0 } category)
        {
            sb.Append(" · ").AppendHtml(category);
        }

        sb.Append(" · <a href=\"").Append(abs).Append("\">abstract</a> · <a href=\"https://arxiv.org/pdf/").Append(paper.Id.Id).Append("\">PDF</a>");
        if (DoiUri(paper.Doi) is { } doi)
        {
            sb.Append(" · <a href=\"").AppendHtml(doi).Append("\">DOI</a>");
        }

        sb.Append("</p>\n");
        // An author match's badge already says "Author match"; a longer comment (who matched) is still shown.
        string? comment = score.Origin == ScoreOrigin.AuthorMatch && string.Equals(score.Comment?.Trim(), "Author match", StringComparison.OrdinalIgnoreCase) ? null : score.Comment;
        if (!string.IsNullOrWhiteSpace(comment))
        {
            sb.Append("<p class=\"comment\">").AppendHtml(RenderText.Display(comment)).Append("</p>\n");
        }

        if (_options.IncludeAbstracts && !string.IsNullOrWhiteSpace(paper.Abstract))
        {
            sb.Append("<p class=\"abstract\">").AppendHtml(RenderText.Display(paper.Abstract)).Append("</p>\n");
        }

        sb.Append("<a class=\"back\" href=\"#contents\">↑ Contents</a>\n</article>\n");
    }

    private static void AppendBadges(StringBuilder sb, PaperScore score, bool compact)
    {
        if (score.Origin == ScoreOrigin.AuthorMatch)
        {
            sb.Append("<span class=\"badge author\">Author match</span>");
            return;
        }

        if (score.Origin == ScoreOrigin.KeywordRule)
        {
            sb.Append("<span class=\"badge\">Keyword rule</span>");
        }

        if (score.Relevance is { } relevance)
        {
            sb.Append("<span class=\"badge ").Append(Level(relevance)).Append("\" title=\"Relevance ").Append(relevance).Append(" of 10\">")
              .Append(compact ? "R " : "Relevance ").Append(RenderText.Integer(relevance)).Append("</span>");
        }

        if (score.Novelty is { } novelty)
        {
            sb.Append("<span class=\"badge ").Append(Level(novelty)).Append("\" title=\"Novelty ").Append(novelty).Append(" of 10\">")
              .Append(compact ? "N " : "Novelty ").Append(RenderText.Integer(novelty)).Append("</span>");
        }

        if (score.Relevance is null && score.Novelty is null && score.Score is { } value)
        {
            sb.Append("<span class=\"badge\">Score ").Append(value.ToString("0.###", CultureInfo.InvariantCulture)).Append("</span>");
        }
    }

    private static string Level(int value) => value switch
    {
        >= 9 => "hi",
        >= 7 => "mid",
        >= 5 => "lo",
        _ => "none",
    };

    /// <summary>A https://doi.org/ link for a DOI that looks like one (<c>10.</c> prefix), every segment percent-encoded; otherwise none.</summary>
    internal static string? DoiUri(string? doi)
    {
        if (string.IsNullOrWhiteSpace(doi))
        {
            return null;
        }

        string trimmed = doi.Trim();
        if (!trimmed.StartsWith("10.", StringComparison.Ordinal) || trimmed.Length > 300)
        {
            return null;
        }

        return "https://doi.org/" + string.Join('/', trimmed.Split('/').Select(Uri.EscapeDataString));
    }
}
