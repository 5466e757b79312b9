using System.IO.Compression;
using ArxivRank.Sources;

namespace ArxivRank.Cli.Snapshot;

/// <summary>
/// A small real-data snapshot shipped inside the CLI: every cs.LG/cs.AI candidate of the arXiv announcement of
/// 2025-07-08 (metadata is CC0), so <c>arxivrank digest --source snapshot</c> works on a machine with no network.
/// Announce types are derived from the primary category (cs.LG/cs.AI: new; otherwise: cross).
/// </summary>
internal sealed class SnapshotSource : IArxivSource
{
    public const string ResourceName = "ArxivRank.Cli.Snapshot.2025-07-08.jsonl.gz";

    public static DateOnly AnnouncementDate { get; } = new(2025, 7, 8);

    public async Task<SourceResult> FetchAsync(ArxivQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var resource = typeof(SnapshotSource).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded snapshot '{ResourceName}' is missing from the CLI assembly.");
        await using var gzip = new GZipStream(resource, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);

        var papers = new List<Paper>();
        var diagnostics = new List<SourceDiagnostic>();
        int total = 0;
        await foreach (var line in PaperJsonLines.ReadAsync(reader, cancellationToken))
        {
            total++;
            if (line.Paper is null)
            {
                diagnostics.Add(new SourceDiagnostic(DiagnosticSeverity.Warning, "snapshot-bad-line", $"Snapshot line {line.LineNumber}: {line.Error}"));
                continue;
            }

            if (Keep(line.Paper, query))
            {
                papers.Add(line.Paper);
            }
        }

        return new SourceResult
        {
            AnnouncementDate = AnnouncementDate,
            Papers = papers,
            Counts = new SourceCounts { TotalItems = total, Kept = papers.Count, Unique = papers.Count, Skipped = diagnostics.Count },
            Diagnostics = diagnostics,
        };
    }

    private static bool Keep(Paper paper, ArxivQuery query)
    {
        if (query.AnnounceTypes.Count > 0 && !query.AnnounceTypes.Contains(paper.AnnounceType))
        {
            return false;
        }

        if (query.Categories.Count == 0)
        {
            return true;
        }

        return query.PrimaryCategoryOnly
            ? paper.PrimaryCategory is { } primary && query.Categories.Contains(primary, StringComparer.OrdinalIgnoreCase)
            : paper.Categories.Any(c => query.Categories.Contains(c, StringComparer.OrdinalIgnoreCase));
    }
}
