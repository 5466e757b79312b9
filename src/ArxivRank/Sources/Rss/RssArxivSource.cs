using System.Globalization;
using Microsoft.Extensions.Logging;

namespace ArxivRank.Sources.Rss;

/// <summary>
/// Today's announcement from arXiv's daily RSS feeds (<c>{base}/rss/{category}</c>): one feed per category by default
/// (paced by the shared gate) so a stale category is caught, papers merged across categories, announce-type and
/// primary-category filters, and "no new announcement" as its own outcome.
/// </summary>
internal sealed class RssArxivSource(HttpClient httpClient, ArxivSourceOptions options, TimeProvider timeProvider, ILogger logger)
    : ArxivSourceBase(httpClient, options, timeProvider, logger)
{
    protected override string SourceName => "RSS";

    public override async Task<SourceResult> FetchAsync(ArxivQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Ids.Count > 0)
        {
            throw new NotSupportedException("The daily RSS feed carries only the latest announcement and cannot fetch named papers; use the export API source (ArxivSourceKind.Api) for ids.");
        }

        if (query.From is not null || query.Until is not null)
        {
            throw new NotSupportedException("The daily RSS feed carries only the latest announcement and cannot go back in time; backfill a date range with the export API (ArxivSourceKind.Api) or OAI-PMH (ArxivSourceKind.Oai) source.");
        }

        var categories = NormalizeCategories(query.Categories, required: true, SourceName);
        var feedQueries = Options.RssFeedPerCategory ? categories : [string.Join('+', categories)];

        var feeds = new List<(string Query, RssFeed Feed, Uri Url)>(feedQueries.Count);
        foreach (var q in feedQueries)
        {
            var url = new Uri(Options.EffectiveRssBaseUrl, "rss/" + q);
            var feed = await GetXmlAsync(url, $"the RSS feed for {q}", (reader, ct) => RssFeedParser.ParseAsync(reader, url, ct), null, cancellationToken).ConfigureAwait(false);
            feeds.Add((q, feed, url));
        }

        var diagnostics = new List<SourceDiagnostic>();
        foreach (var (_, feed, _) in feeds)
        {
            diagnostics.AddRange(feed.Diagnostics);
        }

        DateOnly? newest = feeds.Max(f => f.Feed.AnnouncementDate);
        int total = feeds.Sum(f => f.Feed.TotalItems);
        int skipped = feeds.Sum(f => f.Feed.Skipped);

        // Stale feeds: a category still showing an older announcement than the others.
        var fresh = new List<RssFeed>(feeds.Count);
        foreach (var (q, feed, url) in feeds)
        {
            if (newest is { } current && feed.AnnouncementDate is { } date && date < current)
            {
                diagnostics.Add(new SourceDiagnostic(
                    DiagnosticSeverity.Warning,
                    "stale-feed",
                    string.Create(CultureInfo.InvariantCulture, $"The {q} feed still shows the {date:yyyy-MM-dd} announcement while other categories show {current:yyyy-MM-dd}; its {feed.Items.Count} papers were left out. Fetch again later, or catch {q} up from the export API."))
                { Url = url, Category = q });
                continue;
            }

            fresh.Add(feed);
        }

        var counts = new SourceCounts { TotalItems = total, Skipped = skipped };
        if (fresh.All(f => f.Items.Count == 0))
        {
            diagnostics.Add(new SourceDiagnostic(DiagnosticSeverity.Info, "no-announcement", newest is { } d
                ? string.Create(CultureInfo.InvariantCulture, $"The feed{(feeds.Count > 1 ? "s" : "")} for {string.Join(", ", categories)} dated {d:yyyy-MM-dd} carr{(feeds.Count > 1 ? "y" : "ies")} no papers: no announcement today (weekend or holiday).")
                : $"The feed{(feeds.Count > 1 ? "s" : "")} for {string.Join(", ", categories)} carr{(feeds.Count > 1 ? "y" : "ies")} no papers: no announcement today (weekend or holiday)."));
            return Finish(SourceResult.NoNewAnnouncement(newest, diagnostics) with { Counts = counts });
        }

        if (query.LastProcessedAnnouncement is { } last && newest is { } latest && latest <= last)
        {
            diagnostics.Add(new SourceDiagnostic(DiagnosticSeverity.Info, "already-processed", latest == last
                ? string.Create(CultureInfo.InvariantCulture, $"The feed still shows the {latest:yyyy-MM-dd} announcement, already processed: no new announcement yet.")
                : string.Create(CultureInfo.InvariantCulture, $"The feed shows the {latest:yyyy-MM-dd} announcement, older than the last one processed ({last:yyyy-MM-dd}): no new announcement.")));
            return Finish(SourceResult.NoNewAnnouncement(newest, diagnostics) with { Counts = counts });
        }

        var merger = new PaperMerger();
        foreach (var feed in fresh)
        {
            foreach (var paper in feed.Items)
            {
                if (!query.AnnounceTypes.Contains(paper.AnnounceType))
                {
                    continue;
                }

                if (query.PrimaryCategoryOnly && !MatchesAny(categories, paper.PrimaryCategory))
                {
                    continue;
                }

                merger.Add(newest is null ? paper : paper with { AnnouncedOn = newest });
            }
        }

        return Finish(new SourceResult
        {
            Status = FetchStatus.Fetched,
            AnnouncementDate = newest,
            Papers = merger.Papers,
            Counts = counts with { Kept = merger.Added, Unique = merger.Papers.Count },
            Diagnostics = diagnostics,
        });
    }

    private SourceResult Finish(SourceResult result)
    {
        LogDiagnostics(result.Diagnostics);
        LogFetched(result);
        return result;
    }
}
