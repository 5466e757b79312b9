using System.Globalization;
using Microsoft.Extensions.Logging;

namespace ArxivRank.Sources.Oai;

/// <summary>
/// Bulk harvest from arXiv's OAI-PMH endpoint (<c>{base}/oai</c>): <c>ListRecords</c> with <c>metadataPrefix=arXiv</c>,
/// one set per archive of the asked categories, <c>from</c>/<c>until</c> datestamps, resumption tokens until the list ends.
/// </summary>
internal sealed class OaiArxivSource(HttpClient httpClient, ArxivSourceOptions options, TimeProvider timeProvider, ILogger logger)
    : ArxivSourceBase(httpClient, options, timeProvider, logger)
{
    private static readonly HashSet<string> PhysicsArchives = new(StringComparer.OrdinalIgnoreCase)
    {
        "astro-ph", "cond-mat", "gr-qc", "hep-ex", "hep-lat", "hep-ph", "hep-th", "math-ph", "nlin", "nucl-ex", "nucl-th", "physics", "quant-ph",
    };

    protected override string SourceName => "OAI-PMH";

    public override async Task<SourceResult> FetchAsync(ArxivQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Ids.Count > 0)
        {
            throw new NotSupportedException("The OAI-PMH source harvests by set and date; fetch named papers with the export API source (ArxivSourceKind.Api).");
        }

        if (query.From is null)
        {
            throw new NotSupportedException("The OAI-PMH source needs ArxivQuery.From: a harvest without a start date would fetch the whole archive. For today's announcement use the RSS source.");
        }

        if (query.Until is { } u && u < query.From)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"ArxivQuery.Until ({u:yyyy-MM-dd}) is before ArxivQuery.From ({query.From:yyyy-MM-dd})."), nameof(query));
        }

        var categories = NormalizeCategories(query.Categories, required: true, SourceName);
        var sets = categories.Select(SetOf).Distinct(StringComparer.Ordinal).ToList();
        var diagnostics = new List<SourceDiagnostic>();
        var merger = new PaperMerger();
        int total = 0, skipped = 0;

        foreach (var set in sets)
        {
            string first = string.Create(CultureInfo.InvariantCulture, $"verb=ListRecords&metadataPrefix=arXiv&set={Uri.EscapeDataString(set)}&from={query.From:yyyy-MM-dd}{(query.Until is { } until ? $"&until={until:yyyy-MM-dd}" : "")}");
            string? token = null;
            var seenTokens = new HashSet<string>(StringComparer.Ordinal);
            for (int pageNumber = 1; ; pageNumber++)
            {
                if (pageNumber > Options.OaiMaxPages)
                {
                    diagnostics.Add(new SourceDiagnostic(DiagnosticSeverity.Warning, "harvest-truncated", string.Create(CultureInfo.InvariantCulture, $"The harvest of set {set} stopped after {Options.OaiMaxPages} pages (OaiMaxPages); the rest was not read.")));
                    break;
                }

                var url = new Uri(Options.EffectiveOaiBaseUrl, "oai?" + (token is null ? first : "verb=ListRecords&resumptionToken=" + Uri.EscapeDataString(token)));
                var page = await GetXmlAsync(url, $"the OAI-PMH harvest of set {set} (page {pageNumber.ToString(CultureInfo.InvariantCulture)})", (reader, ct) => OaiParser.ParseAsync(reader, url, ct), null, cancellationToken).ConfigureAwait(false);
                total += page.RecordCount;
                skipped += page.Skipped;
                diagnostics.AddRange(page.Diagnostics);
                foreach (var paper in page.Records)
                {
                    bool keep = query.PrimaryCategoryOnly
                        ? MatchesAny(categories, paper.PrimaryCategory)
                        : paper.Categories.Any(c => MatchesAny(categories, c));
                    if (keep)
                    {
                        merger.Add(paper);
                    }
                }

                token = page.ResumptionToken;
                if (string.IsNullOrEmpty(token))
                {
                    break;
                }

                if (!seenTokens.Add(token))
                {
                    throw new ArxivSourceException($"The OAI-PMH server repeated the resumption token '{token}' for set {set}: the harvest would never end.", url, System.Net.HttpStatusCode.OK);
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

    /// <summary>The OAI-PMH set of a category's archive: <c>cs.LG</c> → <c>cs</c>, <c>hep-th</c> → <c>physics:hep-th</c>.</summary>
    internal static string SetOf(string category)
    {
        int dot = category.IndexOf('.', StringComparison.Ordinal);
        string archive = (dot < 0 ? category : category[..dot]).ToLowerInvariant();
        return PhysicsArchives.Contains(archive) ? "physics:" + archive : archive;
    }
}
