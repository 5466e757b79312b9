using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace ArxivRank.Sources.Api;

/// <summary>
/// Queries and backfill from arXiv's export API (<c>{base}/api/query</c>): by id list, or by categories and a
/// <c>submittedDate</c> range, paged with <c>start</c>/<c>max_results</c>.
/// </summary>
internal sealed class ApiArxivSource(HttpClient httpClient, ArxivSourceOptions options, TimeProvider timeProvider, ILogger logger)
    : ArxivSourceBase(httpClient, options, timeProvider, logger)
{
    protected override string SourceName => "export API";

    public override async Task<SourceResult> FetchAsync(ArxivQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var categories = NormalizeCategories(query.Categories, required: false, SourceName);
        var diagnostics = new List<SourceDiagnostic>();
        var merger = new PaperMerger();
        int total = 0, skipped = 0;

        if (query.Ids.Count > 0)
        {
            var ids = query.Ids.Where(i => !i.IsEmpty).Distinct().ToList();
            for (int offset = 0; offset < ids.Count; offset += Options.ApiPageSize)
            {
                var chunk = ids.Skip(offset).Take(Options.ApiPageSize).ToList();
                string idList = string.Join(',', chunk.Select(i => i.ToString()));
                var url = BuildUrl($"id_list={Uri.EscapeDataString(idList)}&start=0&max_results={chunk.Count.ToString(CultureInfo.InvariantCulture)}");
                var page = await FetchPageAsync(url, cancellationToken).ConfigureAwait(false);
                total += page.EntryCount;
                skipped += page.Skipped;
                diagnostics.AddRange(page.Diagnostics);
                foreach (var paper in page.Entries)
                {
                    if (!query.PrimaryCategoryOnly || categories.Count == 0 || MatchesAny(categories, paper.PrimaryCategory))
                    {
                        merger.Add(paper);
                    }
                }
            }

            foreach (var id in ids)
            {
                if (!merger.Papers.Any(p => p.Id.SamePaperAs(id)) && !diagnostics.Any(d => d.PaperId is { } p && p.SamePaperAs(id)))
                {
                    diagnostics.Add(new SourceDiagnostic(DiagnosticSeverity.Warning, "id-not-found", $"The export API returned no paper for {id}.") { PaperId = id });
                }
            }
        }
        else
        {
            if (categories.Count == 0)
            {
                throw new ArgumentException("The export API source needs ArxivQuery.Ids, or ArxivQuery.Categories with a date range.", nameof(query));
            }

            if (query.From is null && query.Until is null)
            {
                throw new NotSupportedException("The export API source needs a date range (ArxivQuery.From/Until) with categories: submission dates are not announcement dates and the API index lags, so for today's announcement use the RSS source (ArxivSourceKind.Rss).");
            }

            var from = query.From ?? new DateOnly(1991, 8, 1);
            var until = query.Until ?? DateOnly.FromDateTime(TimeProvider.GetUtcNow().UtcDateTime);
            if (until < from)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"ArxivQuery.Until ({until:yyyy-MM-dd}) is before ArxivQuery.From ({from:yyyy-MM-dd})."), nameof(query));
            }

            string search = BuildSearch(categories, from, until);
            int start = 0;
            int target = Options.ApiMaxResults;
            bool first = true;
            while (start < target)
            {
                int size = Math.Min(Options.ApiPageSize, target - start);
                var url = BuildUrl(string.Create(CultureInfo.InvariantCulture, $"search_query={Uri.EscapeDataString(search)}&start={start}&max_results={size}&sortBy=submittedDate&sortOrder=ascending"));
                var page = await FetchPageAsync(url, cancellationToken).ConfigureAwait(false);
                total += page.EntryCount;
                skipped += page.Skipped;
                diagnostics.AddRange(page.Diagnostics);
                foreach (var paper in page.Entries)
                {
                    if (MatchesAny(categories, paper.PrimaryCategory) || (!query.PrimaryCategoryOnly && paper.Categories.Any(c => MatchesAny(categories, c))))
                    {
                        merger.Add(paper);
                    }
                }

                if (first)
                {
                    first = false;
                    int available = page.TotalResults ?? page.EntryCount;
                    if (available > Options.ApiMaxResults)
                    {
                        diagnostics.Add(new SourceDiagnostic(DiagnosticSeverity.Warning, "results-truncated", string.Create(CultureInfo.InvariantCulture, $"The export API has {available} results for this query; only the first {Options.ApiMaxResults} (ApiMaxResults) were read. Split the date range.")) { Url = url });
                    }

                    target = Math.Min(available, Options.ApiMaxResults);
                }

                start += page.EntryCount;
                if (page.EntryCount == 0 && start < target)
                {
                    diagnostics.Add(new SourceDiagnostic(DiagnosticSeverity.Warning, "short-page", string.Create(CultureInfo.InvariantCulture, $"The export API returned an empty page at start={start} although it announced {target} results; the remaining {target - start} were not read. Try again later.")) { Url = url });
                    break;
                }
            }
        }

        var result = new SourceResult
        {
            Status = FetchStatus.Fetched,
            Papers = merger.Papers,
            Counts = new SourceCounts { TotalItems = total, Kept = merger.Added, Unique = merger.Papers.Count, Skipped = skipped },
            Diagnostics = diagnostics,
        };
        LogDiagnostics(diagnostics);
        LogFetched(result);
        return result;
    }

    private Task<ApiPage> FetchPageAsync(Uri url, CancellationToken cancellationToken)
        => GetXmlAsync(url, "the export API query", (reader, ct) => ApiFeedParser.ParseAsync(reader, url, ct), ApiFeedParser.ErrorMessage, cancellationToken);

    private Uri BuildUrl(string queryString) => new(Options.EffectiveApiBaseUrl, "api/query?" + queryString);

    internal static string BuildSearch(IReadOnlyList<string> categories, DateOnly from, DateOnly until)
    {
        var builder = new StringBuilder();
        builder.Append(categories.Count > 1 ? "(" : "");
        for (int i = 0; i < categories.Count; i++)
        {
            builder.Append(i > 0 ? " OR " : "").Append("cat:").Append(categories[i].Contains('.', StringComparison.Ordinal) ? categories[i] : categories[i] + ".*");
        }

        builder.Append(categories.Count > 1 ? ")" : "");
        builder.Append(CultureInfo.InvariantCulture, $" AND submittedDate:[{from:yyyyMMdd}0000 TO {until:yyyyMMdd}2359]");
        return builder.ToString();
    }
}
