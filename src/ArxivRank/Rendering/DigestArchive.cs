using System.Globalization;
using System.Text;
using ArxivRank.Pipeline;

namespace ArxivRank.Rendering;

/// <summary>One day of the archive: the day and how many papers its digest has.</summary>
/// <param name="Date">The digest's day.</param>
/// <param name="PaperCount">The number of papers in that day's digest.</param>
public sealed record ArchiveDay(DateOnly Date, int PaperCount);

/// <summary>
/// The HTML archive around the daily pages: a month page per month (a calendar of the days with a digest, each linked,
/// with its paper count) and an index of months, the Atom feed of the last days, and the links that join the daily
/// pages to each other.
/// </summary>
public static class DigestArchive
{
    /// <summary>Sets each digest's <see cref="Digest.Navigation"/> to its neighbours among <paramref name="digests"/>.</summary>
    /// <param name="digests">The digests, in any order; one per day.</param>
    /// <returns>The digests ordered by day, each linked to the previous and next one.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="digests"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Two digests are for the same day, or one is <see langword="null"/>.</exception>
    public static IReadOnlyList<Digest> Link(IEnumerable<Digest> digests)
    {
        ArgumentNullException.ThrowIfNull(digests);
        var ordered = digests.Select(d => d ?? throw new ArgumentException("The digests contain null.", nameof(digests))).OrderBy(d => d.Date).ToList();
        for (int i = 1; i < ordered.Count; i++)
        {
            if (ordered[i].Date == ordered[i - 1].Date)
            {
                throw new ArgumentException($"Two digests are for the same day, {RenderText.Date(ordered[i].Date)}.", nameof(digests));
            }
        }

        var linked = new List<Digest>(ordered.Count);
        for (int i = 0; i < ordered.Count; i++)
        {
            linked.Add(ordered[i] with
            {
                Navigation = new DigestNavigation
                {
                    Previous = i > 0 ? ordered[i - 1].Date : null,
                    Next = i < ordered.Count - 1 ? ordered[i + 1].Date : null,
                },
            });
        }

        return linked;
    }

    /// <summary>Writes a month page (<c>yyyy-MM/index.html</c>) for every month with a digest, and the archive index (<c>index.html</c>).</summary>
    /// <param name="days">The days with a digest, in any order.</param>
    /// <param name="output">Where to write.</param>
    /// <param name="options">The HTML options (site title); <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the writing.</param>
    /// <returns>A task that completes when every page is written.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="days"/> or <paramref name="output"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A day is listed twice, is <see langword="null"/>, has a negative count, or an option is invalid.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static async Task RenderHtmlAsync(IEnumerable<ArchiveDay> days, IDigestOutput output, HtmlRendererOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(days);
        ArgumentNullException.ThrowIfNull(output);
        options ??= new HtmlRendererOptions();
        options.Validate();
        var ordered = days.Select(d => d ?? throw new ArgumentException("The days contain null.", nameof(days))).OrderBy(d => d.Date).ToList();
        for (int i = 0; i < ordered.Count; i++)
        {
            if (ordered[i].PaperCount < 0)
            {
                throw new ArgumentException($"The day {RenderText.Date(ordered[i].Date)} has a negative paper count.", nameof(days));
            }

            if (i > 0 && ordered[i].Date == ordered[i - 1].Date)
            {
                throw new ArgumentException($"The day {RenderText.Date(ordered[i].Date)} is listed twice.", nameof(days));
            }
        }

        var months = ordered.GroupBy(d => (d.Date.Year, d.Date.Month)).Select(g => (g.Key.Year, g.Key.Month, Days: g.ToList())).ToList();
        for (int m = 0; m < months.Count; m++)
        {
            var (year, month, monthDays) = months[m];
            (int Year, int Month)? previous = m > 0 ? (months[m - 1].Year, months[m - 1].Month) : null;
            (int Year, int Month)? next = m < months.Count - 1 ? (months[m + 1].Year, months[m + 1].Month) : null;
            await WritePageAsync(output, DigestOutputNames.Month(year, month), sb => AppendMonth(sb, options, year, month, monthDays, previous, next), cancellationToken).ConfigureAwait(false);
        }

        await WritePageAsync(output, DigestOutputNames.ArchiveIndex, sb => AppendIndex(sb, options, months), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the archive's Atom feed (<c>feed.xml</c>): one entry per selected paper of the last <see cref="AtomFeedOptions.Days"/> days.</summary>
    /// <param name="digests">The digests, in any order (older than the window are left out).</param>
    /// <param name="output">Where to write.</param>
    /// <param name="options">The site URL, title and window; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the writing.</param>
    /// <returns>A task that completes when the feed is written.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="digests"/> or <paramref name="output"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A digest is <see langword="null"/>, or an option is invalid.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in their first parameter's type (digests or a store), so a call never binds ambiguously.")]
    public static Task RenderAtomAsync(IEnumerable<Digest> digests, IDigestOutput output, AtomFeedOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(digests);
        ArgumentNullException.ThrowIfNull(output);
        options ??= new AtomFeedOptions();
        options.Validate();
        var list = digests.Select(d => d ?? throw new ArgumentException("The digests contain null.", nameof(digests))).ToList();
        return AtomFeed.WriteAsync(list, output, options, cancellationToken);
    }

    /// <summary>Writes the archive's Atom feed from the digests a store kept for the last <see cref="AtomFeedOptions.Days"/> days.</summary>
    /// <param name="store">The store (days whose digest JSON was not kept are left out).</param>
    /// <param name="output">Where to write.</param>
    /// <param name="options">The site URL, title and window; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the writing.</param>
    /// <returns>A task that completes when the feed is written.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> or <paramref name="output"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    /// <exception cref="DigestStoreException">The store cannot be read.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in their first parameter's type (digests or a store), so a call never binds ambiguously.")]
    public static async Task RenderAtomAsync(IDigestStore store, IDigestOutput output, AtomFeedOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(output);
        options ??= new AtomFeedOptions();
        options.Validate();
        var digests = await AtomFeed.LoadAsync(store, options.Days, cancellationToken).ConfigureAwait(false);
        await AtomFeed.WriteAsync(digests, output, options, cancellationToken).ConfigureAwait(false);
    }

    private static async Task WritePageAsync(IDigestOutput output, string name, Action<StringBuilder> build, CancellationToken cancellationToken)
    {
        var stream = await output.CreateAsync(name, "text/html", cancellationToken).ConfigureAwait(false);
        var writer = new ChunkedTextWriter(stream);
        await using var writerScope = writer.ConfigureAwait(false);
        build(writer.Text);
        await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string MonthName(int year, int month) => new DateOnly(year, month, 1).ToString("MMMM yyyy", CultureInfo.InvariantCulture);

    private static string MonthKey(int year, int month) => string.Create(CultureInfo.InvariantCulture, $"{year:0000}-{month:00}");

    private static void AppendMonth(StringBuilder sb, HtmlRendererOptions options, int year, int month, List<ArchiveDay> days, (int Year, int Month)? previous, (int Year, int Month)? next)
    {
        string name = MonthName(year, month);
        HtmlPage.AppendHead(sb, $"{options.SiteTitle} · {name}", feedHref: "../" + DigestOutputNames.AtomFeed);
        sb.Append("<body>\n<nav class=\"topnav\" aria-label=\"Months\"><div class=\"wrap\">");
        if (previous is { } p)
        {
            sb.Append("<a rel=\"prev\" href=\"../").Append(DigestOutputNames.Month(p.Year, p.Month)).Append("\">← ").Append(MonthName(p.Year, p.Month)).Append("</a>");
        }
        else
        {
            sb.Append("<span class=\"off\">← Previous month</span>");
        }

        sb.Append("<a class=\"mid\" href=\"../").Append(DigestOutputNames.ArchiveIndex).Append("\">All months</a>");
        if (next is { } n)
        {
            sb.Append("<a rel=\"next\" href=\"../").Append(DigestOutputNames.Month(n.Year, n.Month)).Append("\">").Append(MonthName(n.Year, n.Month)).Append(" →</a>");
        }
        else
        {
            sb.Append("<span class=\"off\">Next month →</span>");
        }

        int papers = days.Sum(d => d.PaperCount);
        sb.Append("</div></nav>\n<main class=\"wrap\">\n<header class=\"hero\">\n<p class=\"kicker\">").AppendHtml(options.SiteTitle).Append("</p>\n<h1>Monthly overview ")
          .Append(MonthKey(year, month)).Append("</h1>\n<div class=\"stats\"><div class=\"stat\"><b>").Append(days.Count).Append("</b><span>daily digests</span></div>")
          .Append("<div class=\"stat sel\"><b>").Append(RenderText.Grouped(papers)).Append("</b><span>papers selected</span></div></div>\n</header>\n");

        var byDay = days.ToDictionary(d => d.Date.Day);
        var first = new DateOnly(year, month, 1);
        int offset = ((int)first.DayOfWeek + 6) % 7; // Monday first
        int daysInMonth = DateTime.DaysInMonth(year, month);
        sb.Append("<div class=\"scroll\"><table class=\"cal\">\n<caption class=\"sr\">").Append(name).Append("</caption>\n<thead><tr>");
        foreach (string d in (string[])["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"])
        {
            sb.Append("<th scope=\"col\">").Append(d).Append("</th>");
        }

        sb.Append("</tr></thead>\n<tbody>\n<tr>");
        for (int i = 0; i < offset; i++)
        {
            sb.Append("<td class=\"pad\"></td>");
        }

        for (int day = 1; day <= daysInMonth; day++)
        {
            if ((offset + day - 1) % 7 == 0 && day > 1)
            {
                sb.Append("</tr>\n<tr>");
            }

            if (byDay.TryGetValue(day, out var entry))
            {
                string count = entry.PaperCount == 1 ? "1 paper" : RenderText.Integer(entry.PaperCount) + " papers";
                sb.Append("<td class=\"has\"><a href=\"../").Append(DigestOutputNames.Daily(entry.Date, "html")).Append("\" title=\"")
                  .Append(RenderText.LongDate(entry.Date)).Append(": ").Append(count).Append("\">").Append(day).Append("<b>")
                  .Append(RenderText.Integer(entry.PaperCount)).Append("</b><small>").Append(entry.PaperCount == 1 ? "paper" : "papers").Append("</small></a></td>");
            }
            else
            {
                sb.Append("<td>").Append(day).Append("</td>");
            }
        }

        int trailing = (7 - ((offset + daysInMonth) % 7)) % 7;
        for (int i = 0; i < trailing; i++)
        {
            sb.Append("<td class=\"pad\"></td>");
        }

        sb.Append("</tr>\n</tbody>\n</table></div>\n</main>\n<footer class=\"wrap\">Ranked and rendered by ArxivRank. Paper metadata from arXiv (CC0).</footer>\n</body>\n</html>\n");
    }

    private static void AppendIndex(StringBuilder sb, HtmlRendererOptions options, List<(int Year, int Month, List<ArchiveDay> Days)> months)
    {
        HtmlPage.AppendHead(sb, options.SiteTitle, feedHref: DigestOutputNames.AtomFeed);
        sb.Append("<body>\n<main class=\"wrap\">\n<header class=\"hero\">\n<p class=\"kicker\">Archive</p>\n<h1>").AppendHtml(options.SiteTitle).Append("</h1>\n</header>\n");
        if (months.Count == 0)
        {
            sb.Append("<p class=\"empty\">No digest yet.</p>\n");
        }
        else
        {
            sb.Append("<ul class=\"months\">\n");
            for (int m = months.Count - 1; m >= 0; m--)
            {
                var (year, month, days) = months[m];
                int papers = days.Sum(d => d.PaperCount);
                sb.Append("<li><a href=\"").Append(DigestOutputNames.Month(year, month)).Append("\">").Append(MonthName(year, month)).Append("<span>")
                  .Append(days.Count).Append(days.Count == 1 ? " day · " : " days · ").Append(RenderText.Grouped(papers)).Append(papers == 1 ? " paper" : " papers")
                  .Append("</span></a></li>\n");
            }

            sb.Append("</ul>\n");
        }

        sb.Append("</main>\n<footer class=\"wrap\">Ranked and rendered by ArxivRank. Paper metadata from arXiv (CC0).</footer>\n</body>\n</html>\n");
    }
}
