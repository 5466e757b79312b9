using System.Text;
using ArxivRank.Scoring;

namespace ArxivRank.Rendering;

/// <summary>
/// A digest as an email: a subject with the date and the paper count, a plain-text body, and an HTML body made for mail
/// clients (inline styles, a table layout, no script, no remote image, light and dark). Used by <c>ArxivRank.Email</c>.
/// </summary>
internal static class MailDigest
{
    /// <summary>The subject: <c>arXiv digest 2025-02-26: 12 papers</c>.</summary>
    public static string Subject(Digest digest, string title)
        => $"{RenderText.CollapseWhitespace(title)} {RenderText.Date(digest.Date)}: {Papers(digest.Papers.Count)}";

    /// <summary>The plain-text part: numbered papers with title, authors, scores, link, comment and abstract.</summary>
    public static string Text(Digest digest, string title, bool includeAbstracts)
    {
        var sb = new StringBuilder(4096 + (digest.Papers.Count * 1500));
        sb.Append(RenderText.CollapseWhitespace(title)).Append(" — ").Append(RenderText.LongDate(digest.Date)).Append('\n');
        sb.Append(Facts(digest)).Append("\n\n");
        if (digest.Papers.Count == 0)
        {
            sb.Append("No paper was selected today.\n");
        }

        for (int i = 0; i < digest.Papers.Count; i++)
        {
            var (paper, score) = digest.Papers[i];
            sb.Append(RenderText.Integer(i + 1)).Append(". ").Append(RenderText.Display(paper.Title)).Append('\n');
            AppendIndented(sb, RenderText.Authors(paper.Authors));
            string summary = RenderText.ScoreSummary(score);
            AppendIndented(sb, summary.Length > 0 ? summary + " · arXiv:" + paper.Id.Id : "arXiv:" + paper.Id.Id);
            AppendIndented(sb, paper.AbsUri.AbsoluteUri);
            if (Comment(score) is { } comment)
            {
                AppendIndented(sb, comment);
            }

            if (includeAbstracts && !string.IsNullOrWhiteSpace(paper.Abstract))
            {
                AppendIndented(sb, RenderText.Display(paper.Abstract));
            }

            sb.Append('\n');
        }

        sb.Append("-- \nRanked by ArxivRank. Paper metadata from arXiv (CC0).\n");
        return sb.ToString();
    }

    /// <summary>The HTML part: one centered table, every style inline, a dark-mode override for clients that honor it.</summary>
    public static string Html(Digest digest, string title, bool includeAbstracts)
    {
        var sb = new StringBuilder(8192 + (digest.Papers.Count * 2000));
        string heading = RenderText.CollapseWhitespace(title);
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
          .Append("<meta name=\"color-scheme\" content=\"light dark\">\n<meta name=\"supported-color-schemes\" content=\"light dark\">\n<title>")
          .AppendHtml(Subject(digest, title)).Append("</title>\n")
          .Append("<style>@media (prefers-color-scheme: dark){.bg{background:#15171a!important}.card{background:#1f2226!important;border-color:#363a40!important}")
          .Append(".fg{color:#e6e8eb!important}.muted{color:#a4abb4!important}a{color:#8ab4f8!important}}</style>\n</head>\n")
          .Append("<body class=\"bg\" style=\"margin:0;padding:0;background:#f4f5f7;\">\n")
          .Append("<table role=\"presentation\" class=\"bg\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" style=\"background:#f4f5f7;\"><tr><td align=\"center\" style=\"padding:16px 8px;\">\n")
          .Append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" style=\"max-width:680px;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;\">\n")
          .Append("<tr><td class=\"fg\" style=\"padding:8px 4px 4px;color:#1b1f24;\"><div class=\"muted\" style=\"font-size:13px;color:#5b636e;\">").AppendHtml(heading)
          .Append("</div><h1 style=\"margin:4px 0 6px;font-size:22px;line-height:1.3;\">").Append(RenderText.LongDate(digest.Date)).Append("</h1>")
          .Append("<div class=\"muted\" style=\"font-size:14px;color:#5b636e;\">").AppendHtml(Facts(digest)).Append("</div></td></tr>\n");
        if (digest.Papers.Count == 0)
        {
            sb.Append("<tr><td class=\"fg\" style=\"padding:16px 4px;color:#1b1f24;font-size:15px;\">No paper was selected today.</td></tr>\n");
        }

        for (int i = 0; i < digest.Papers.Count; i++)
        {
            var (paper, score) = digest.Papers[i];
            sb.Append("<tr><td style=\"padding:6px 0;\"><table role=\"presentation\" class=\"card\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" style=\"background:#ffffff;border:1px solid #dde1e6;border-radius:8px;\"><tr><td class=\"fg\" style=\"padding:12px 14px;color:#1b1f24;\">")
              .Append("<div style=\"font-size:16px;line-height:1.35;font-weight:600;\">").Append(RenderText.Integer(i + 1)).Append(". <a href=\"").AppendHtml(paper.AbsUri.AbsoluteUri)
              .Append("\" style=\"color:#0b57d0;text-decoration:none;\">").AppendHtml(RenderText.Display(paper.Title)).Append("</a></div>");
            string authors = RenderText.Authors(paper.Authors);
            if (authors.Length > 0)
            {
                sb.Append("<div class=\"muted\" style=\"font-size:13px;color:#5b636e;margin-top:3px;\">").AppendHtml(authors).Append("</div>");
            }

            string summary = RenderText.ScoreSummary(score);
            sb.Append("<div style=\"font-size:13px;margin-top:5px;\"><b>").AppendHtml(summary.Length > 0 ? summary : "Selected").Append("</b> · arXiv:").AppendHtml(paper.Id.Id).Append("</div>");
            if (Comment(score) is { } comment)
            {
                sb.Append("<div style=\"font-size:14px;margin-top:6px;font-style:italic;\">").AppendHtml(comment).Append("</div>");
            }

            if (includeAbstracts && !string.IsNullOrWhiteSpace(paper.Abstract))
            {
                sb.Append("<div style=\"font-size:14px;line-height:1.5;margin-top:8px;\">").AppendHtml(RenderText.Display(paper.Abstract)).Append("</div>");
            }

            sb.Append("</td></tr></table></td></tr>\n");
        }

        sb.Append("<tr><td class=\"muted\" style=\"padding:12px 4px;font-size:12px;color:#5b636e;\">Ranked by ArxivRank. Paper metadata from arXiv (CC0).</td></tr>\n")
          .Append("</table>\n</td></tr></table>\n</body>\n</html>\n");
        return sb.ToString();
    }

    private static string Papers(int count) => count == 1 ? "1 paper" : RenderText.Grouped(count) + " papers";

    private static string Facts(Digest digest)
    {
        var sb = new StringBuilder();
        sb.Append(Papers(digest.Papers.Count)).Append(" selected");
        if (digest.Totals.ScannedPapers > 0)
        {
            sb.Append(" of ").Append(RenderText.Grouped(digest.Totals.ScannedPapers)).Append(" scanned");
        }

        if (digest.Categories.Count > 0)
        {
            sb.Append(" in ").Append(string.Join(", ", digest.Categories.Select(RenderText.CollapseWhitespace)));
        }

        return sb.ToString();
    }

    private static string? Comment(PaperScore score)
        => score.Origin == ScoreOrigin.AuthorMatch || string.IsNullOrWhiteSpace(score.Comment) ? null : RenderText.Display(score.Comment);

    private static void AppendIndented(StringBuilder sb, string line)
    {
        if (line.Length > 0)
        {
            sb.Append("   ").Append(line).Append('\n');
        }
    }
}
