using System.Globalization;
using System.Text;
using ArxivRank.Scoring;

namespace ArxivRank.Rendering;

/// <summary>
/// Renders a digest as Markdown in the layout of the Python tool's digests: heading with the date, usage table, totals,
/// table of contents with authors, a <c>---</c> separated section per paper, and the criteria prompt at the end.
/// </summary>
internal sealed class MarkdownDigestRenderer : TextDigestRenderer
{
    private readonly MarkdownRendererOptions _options;

    public MarkdownDigestRenderer(MarkdownRendererOptions options)
    {
        _options = options;
    }

    public override string Format => "markdown";

    protected override string Extension => "md";

    protected override string MediaType => "text/markdown";

    protected override async Task WriteAsync(Digest digest, ChunkedTextWriter writer, CancellationToken cancellationToken)
    {
        var sb = writer.Text;
        sb.Append("# ").Append(_options.Title).Append(' ')
          .Append(digest.Date.ToString(_options.DateFormat, CultureInfo.InvariantCulture)).Append("\n\n");

        if (_options.IncludeUsage && digest.Usage.Count > 0)
        {
            AppendUsageTable(sb, digest.Usage);
            sb.Append('\n');
        }

        var totals = digest.Totals;
        if (totals.TotalPapers > 0)
        {
            sb.Append("Total ArXiv papers: ").Append(RenderText.Integer(totals.TotalPapers)).Append("\n\n");
        }

        if (totals.ScannedPapers > 0)
        {
            sb.Append("Total scanned papers: ").Append(RenderText.Integer(totals.ScannedPapers)).Append("\n\n");
        }

        sb.Append("Total relevant papers: ").Append(RenderText.Integer(digest.Papers.Count)).Append("\n\n");

        if (digest.Papers.Count > 0)
        {
            sb.Append("**Table of contents with paper titles:**\n\n");
            string anchorPrefix = _options.AnchorStyle == MarkdownAnchorStyle.GitHub ? "#user-content-link" : "#link";
            for (int i = 0; i < digest.Papers.Count; i++)
            {
                var paper = digest.Papers[i].Paper;
                string rank = RenderText.Integer(i + 1);
                sb.Append(rank).Append(". [").AppendMarkdown(RenderText.Display(paper.Title)).Append("](").Append(anchorPrefix).Append(rank).Append(")\n");
                sb.Append("**Authors:** ").AppendMarkdown(RenderText.Authors(paper.Authors)).Append("\n\n");
                if (sb.Length > 16 * 1024)
                {
                    await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            sb.Append("---\n\n");
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);

            for (int i = 0; i < digest.Papers.Count; i++)
            {
                AppendPaper(sb, digest.Papers[i], i + 1);
                sb.Append("\n\n---\n\n");
                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        if (_options.IncludeCriteria && !string.IsNullOrWhiteSpace(digest.CriteriaText))
        {
            // The criteria are the reader's own Markdown: shown as written.
            sb.Append("# Paper Selection Prompt\n\n").Append(digest.CriteriaText.Trim()).Append('\n');
        }

        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private void AppendPaper(StringBuilder sb, DigestEntry entry, int rank)
    {
        var paper = entry.Paper;
        var score = entry.Score;
        string r = RenderText.Integer(rank);
        sb.Append("## ").Append(r).Append(". [").AppendMarkdown(RenderText.Display(paper.Title)).Append("](")
          .Append(paper.AbsUri.AbsoluteUri).Append(") <a id=\"link").Append(r).Append("\"></a>\n\n");
        sb.Append("**ArXiv ID:** ").Append(paper.Id.Id).Append("\n\n");
        sb.Append("**Authors:** ").AppendMarkdown(RenderText.Authors(paper.Authors)).Append("\n\n");
        if (_options.IncludeAbstracts)
        {
            sb.Append("**Abstract:** ").AppendMarkdown(RenderText.Display(paper.Abstract)).Append("\n\n");
        }

        string? comment = score.Origin == ScoreOrigin.AuthorMatch && string.IsNullOrWhiteSpace(score.Comment) ? "Author match" : score.Comment;
        if (!string.IsNullOrWhiteSpace(comment))
        {
            sb.Append("**Comment:** ").AppendMarkdown(RenderText.Display(comment)).Append("\n\n");
        }

        if (score.Origin != ScoreOrigin.AuthorMatch)
        {
            var lines = new List<string>(2);
            if (score.Relevance is { } relevance)
            {
                lines.Add("**Relevance:** " + RenderText.Integer(relevance));
            }

            if (score.Novelty is { } novelty)
            {
                lines.Add("**Novelty:** " + RenderText.Integer(novelty));
            }

            if (lines.Count == 0 && score.Score is { } value)
            {
                lines.Add("**Score:** " + value.ToString("0.###", CultureInfo.InvariantCulture));
            }

            sb.AppendJoin('\n', lines);
        }

        // Trim the blank lines left after the last field, so sections are separated exactly by "\n\n---\n\n".
        while (sb.Length > 0 && sb[^1] == '\n')
        {
            sb.Length--;
        }
    }

    private static void AppendUsageTable(StringBuilder sb, IReadOnlyList<ModelUsage> usage)
    {
        var rows = new List<string[]>();
        string header = usage.Count == 1
            ? "*[" + Escape(usage[0].ModelId) + "]*"
            : "*[" + string.Join(", ", usage.Select(u => Escape(u.ModelId))) + "]*";
        rows.Add([header, "Prompt", "Completion", "Total"]);
        foreach (var u in usage)
        {
            string suffix = usage.Count == 1 ? string.Empty : " · " + Escape(u.ModelId);
            rows.Add(["**Token**" + suffix, RenderText.Integer(u.InputTokens), RenderText.Integer(u.OutputTokens), RenderText.Integer(u.TotalTokens)]);
            rows.Add(["**Cost**" + suffix, RenderText.Cost(u.InputCost), RenderText.Cost(u.OutputCost), RenderText.Cost(u.TotalCost)]);
        }

        if (RenderText.Total(usage) is { } total)
        {
            rows.Add(["**Token** · total", RenderText.Integer(total.InputTokens), RenderText.Integer(total.OutputTokens), RenderText.Integer(total.TotalTokens)]);
            rows.Add(["**Cost** · total", RenderText.Cost(total.InputCost), RenderText.Cost(total.OutputCost), RenderText.Cost(total.TotalCost)]);
        }

        // Columns padded like Python's tabulate (github format): width = longest cell + 2.
        int[] widths = new int[4];
        foreach (var row in rows)
        {
            for (int c = 0; c < 4; c++)
            {
                widths[c] = Math.Max(widths[c], row[c].Length + 2);
            }
        }

        AppendRow(sb, rows[0], widths);
        sb.Append('|');
        foreach (int w in widths)
        {
            sb.Append('-', w + 2).Append('|');
        }

        sb.Append('\n');
        foreach (var row in rows.Skip(1))
        {
            AppendRow(sb, row, widths);
        }
    }

    private static void AppendRow(StringBuilder sb, string[] cells, int[] widths)
    {
        sb.Append('|');
        for (int c = 0; c < cells.Length; c++)
        {
            sb.Append(' ').Append(cells[c]).Append(' ', widths[c] - cells[c].Length).Append(" |");
        }

        sb.Append('\n');
    }

    private static string Escape(string text) => new StringBuilder().AppendMarkdown(RenderText.Display(text)).ToString();
}
