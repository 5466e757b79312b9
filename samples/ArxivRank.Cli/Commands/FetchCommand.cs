using System.CommandLine;
using System.Globalization;
using ArxivRank.Sources;

namespace ArxivRank.Cli.Commands;

/// <summary>
/// <c>arxivrank fetch --categories cs.LG,cs.AI [--source rss|api|oai] [--from DATE --until DATE] [--arxiv-ids ID,…]
/// [--announce-types new,cross] [--primary-only] [--last-announcement DATE] [--base-url URL] [--out FILE]</c>:
/// papers as JSON lines (stdout or <c>--out</c>), counts and warnings on stderr. Exit codes in docs/sources.md.
/// </summary>
internal static class FetchCommand
{
    public static Command Create(CliContext context)
    {
        var categories = new Option<string?>("--categories") { Description = "Comma-separated categories or archives, e.g. cs.LG,cs.AI (required except with --arxiv-ids)." };
        var source = new Option<string?>("--source") { Description = "rss (today's announcement), api (ids or a date range) or oai (bulk harvest). Default: rss; api when --arxiv-ids, --from or --until is given." };
        source.AcceptOnlyFromAmong("rss", "api", "oai");
        var from = new Option<string?>("--from") { Description = "First day (yyyy-MM-dd) of a date range: submission dates for api, modification datestamps for oai." };
        var until = new Option<string?>("--until") { Description = "Last day (yyyy-MM-dd) of a date range, inclusive." };
        var ids = new Option<string?>("--arxiv-ids") { Description = "Comma-separated arXiv ids to fetch (export API), e.g. 2502.18435,2502.17578v2." };
        var announceTypes = new Option<string?>("--announce-types") { Description = "Comma-separated announce types to keep (rss): new, cross, replace, replace-cross. Default: new,cross." };
        var primaryOnly = new Option<bool>("--primary-only") { Description = "Keep only papers whose primary category is one of --categories." };
        var lastAnnouncement = new Option<string?>("--last-announcement") { Description = "The announcement day (yyyy-MM-dd) already processed; a feed still showing it means no new announcement (exit 3)." };
        var baseUrl = new Option<string?>("--base-url") { Description = "Send every request to this host with arXiv's paths (/rss/…, /api/query, /oai): a mirror, a proxy, a test server." };
        var output = new Option<string?>("--out") { Description = "Write the papers to this file instead of stdout." };
        var interval = new Option<double?>("--request-interval") { Description = "Least seconds between two requests (default 3, arXiv's rule; only lower it for a mirror or a local server)." };
        var contact = new Option<string?>("--contact") { Description = "Your e-mail or URL for the User-Agent (default: $ARXIVRANK_CONTACT, else the project's URL)." };
        var combined = new Option<bool>("--combined-feed") { Description = "rss: one combined feed (cs.LG+cs.AI) instead of one per category; saves requests but cannot detect a stale category." };

        var command = new Command("fetch", "Fetch papers from arXiv (daily RSS, export API or OAI-PMH) as JSON lines, the input of `score --papers`.");
        foreach (var option in new Option[] { categories, source, from, until, ids, announceTypes, primaryOnly, lastAnnouncement, baseUrl, output, interval, contact, combined })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var error = context.Error;
            ArxivQuery query;
            ArxivSourceKind kind;
            ArxivSourceOptions options;
            try
            {
                var idList = ParseList(parseResult.GetValue(ids)).Select(ParseId).ToList();
                var fromDate = ParseDate(parseResult.GetValue(from), "--from");
                var untilDate = ParseDate(parseResult.GetValue(until), "--until");
                kind = parseResult.GetValue(source) switch
                {
                    "api" => ArxivSourceKind.Api,
                    "oai" => ArxivSourceKind.Oai,
                    "rss" => ArxivSourceKind.Rss,
                    _ => idList.Count > 0 || fromDate is not null || untilDate is not null ? ArxivSourceKind.Api : ArxivSourceKind.Rss,
                };
                var categoryList = ParseList(parseResult.GetValue(categories));
                if (categoryList.Count == 0 && idList.Count == 0)
                {
                    throw new UsageException("--categories is required (e.g. --categories cs.LG,cs.AI), unless --arxiv-ids names the papers.");
                }

                query = new ArxivQuery
                {
                    Categories = categoryList,
                    Ids = idList,
                    From = fromDate,
                    Until = untilDate,
                    PrimaryCategoryOnly = parseResult.GetValue(primaryOnly),
                    LastProcessedAnnouncement = ParseDate(parseResult.GetValue(lastAnnouncement), "--last-announcement"),
                    AnnounceTypes = parseResult.GetValue(announceTypes) is { } types
                        ? ParseList(types).Select(ParseAnnounceType).ToHashSet()
                        : new ArxivQuery().AnnounceTypes,
                };
                options = new ArxivSourceOptions { RssFeedPerCategory = !parseResult.GetValue(combined) };
                if (parseResult.GetValue(baseUrl) is { } url)
                {
                    options.BaseUrl = Uri.TryCreate(url, UriKind.Absolute, out var u) ? u : throw new UsageException($"--base-url '{url}' is not an absolute URL (e.g. http://127.0.0.1:8080).");
                }

                if (parseResult.GetValue(interval) is { } seconds)
                {
                    options.MinRequestInterval = seconds is >= 0 and <= 3600 ? TimeSpan.FromSeconds(seconds) : throw new UsageException($"--request-interval must be between 0 and 3600 seconds, not {seconds.ToString(CultureInfo.InvariantCulture)}.");
                }

                if ((parseResult.GetValue(contact) ?? context.GetEnvironmentVariable("ARXIVRANK_CONTACT")) is { Length: > 0 } who)
                {
                    options.Contact = who;
                }
            }
            catch (UsageException ex)
            {
                await error.WriteLineAsync("fetch: " + ex.Message);
                return ExitCodes.Usage;
            }

            SourceResult result;
            try
            {
                var arxiv = ArxivSources.Create(kind, options);
                result = await arxiv.FetchAsync(query, cancellationToken);
            }
            catch (Exception ex) when (ex is NotSupportedException or ArgumentException)
            {
                await error.WriteLineAsync("fetch: " + ex.Message);
                return ExitCodes.Usage;
            }
            catch (ArxivSourceException ex)
            {
                await error.WriteLineAsync("fetch: error: " + ex.Message);
                return ExitCodes.Failure;
            }

            foreach (var d in result.Diagnostics)
            {
                string severity = d.Severity switch { DiagnosticSeverity.Error => "error", DiagnosticSeverity.Warning => "warning", _ => "info" };
                await error.WriteLineAsync($"fetch: {severity}: {d.Code}{(d.Category is null ? "" : $" [{d.Category}]")}: {d.Message}");
            }

            string day = result.AnnouncementDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "-";
            var c = result.Counts;
            string scope = query.Ids.Count > 0 ? $"{query.Ids.Count} ids" : string.Join(",", query.Categories);
            if (result.Status == FetchStatus.NoNewAnnouncement)
            {
                await error.WriteLineAsync($"fetch: {Name(kind)} {scope}: no new announcement (feed date {day}, {c.TotalItems} items); nothing written.");
                return ExitCodes.NoNewAnnouncement;
            }

            try
            {
                if (parseResult.GetValue(output) is { } path)
                {
                    var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
                    await using (stream)
                    {
                        await using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false));
                        await PaperJsonLines.WriteAsync(result.Papers, writer, cancellationToken);
                    }
                }
                else
                {
                    await PaperJsonLines.WriteAsync(result.Papers, context.Out, cancellationToken);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"fetch: error: cannot write the papers: {ex.Message}");
                return ExitCodes.Failure;
            }

            await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"fetch: {Name(kind)} {scope}: announcement {day}: {c.TotalItems} items, {c.Kept} kept, {c.Unique} unique, {c.Skipped} skipped; {result.Papers.Count} papers written."));
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Name(ArxivSourceKind kind) => kind switch { ArxivSourceKind.Api => "api", ArxivSourceKind.Oai => "oai", _ => "rss" };

    private static List<string> ParseList(string? text)
        => text is null ? [] : [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static ArxivId ParseId(string text)
        => ArxivId.TryParse(text.AsSpan(), out var id, out var error) ? id : throw new UsageException($"--arxiv-ids: {error}");

    private static DateOnly? ParseDate(string? text, string option)
        => text is null ? null
            : DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date
            : throw new UsageException($"{option} '{text}' is not a date in yyyy-MM-dd form.");

    private static AnnounceType ParseAnnounceType(string text) => text.ToLowerInvariant() switch
    {
        "new" => AnnounceType.New,
        "cross" => AnnounceType.Cross,
        "replace" => AnnounceType.Replace,
        "replace-cross" => AnnounceType.ReplaceCross,
        _ => throw new UsageException($"--announce-types: '{text}' is not one of new, cross, replace, replace-cross."),
    };

    private sealed class UsageException(string message) : Exception(message);
}
