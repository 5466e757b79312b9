using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;
using ArxivRank.Sources.Rss;
using ArxivRank.Sources.Xml;

namespace ArxivRank.Sources.Api;

/// <summary>One page of the export API's Atom answer.</summary>
internal sealed class ApiPage
{
    public int? TotalResults { get; set; }

    public int? StartIndex { get; set; }

    public int? ItemsPerPage { get; set; }

    public List<Paper> Entries { get; } = [];

    /// <summary>Gets or sets the number of <c>entry</c> elements, usable or not.</summary>
    public int EntryCount { get; set; }

    public int Skipped { get; set; }

    public List<SourceDiagnostic> Diagnostics { get; } = [];
}

/// <summary>
/// Streams the export API's Atom 1.0 answer. Elements are matched by namespace and name, never by position, so older
/// and newer layouts (namespace placement, http or https ids, <c>primary_category</c> with or without <c>scheme</c>)
/// read alike. arXiv's error entry (<c>id</c> <c>http://arxiv.org/api/errors#…</c>, title <c>Error</c>) becomes an error, never a paper.
/// </summary>
internal static partial class ApiFeedParser
{
    public static async Task<ApiPage> ParseAsync(XmlReader reader, Uri? url, CancellationToken cancellationToken)
    {
        await ArxivXml.ExpectRootAsync(reader, "feed", ArxivXml.AtomNamespace, "an Atom feed from the export API").ConfigureAwait(false);
        var page = new ApiPage();
        int depth = reader.Depth;
        if (await ArxivXml.EnterAsync(reader).ConfigureAwait(false))
        {
            while (await ArxivXml.NextChildAsync(reader, depth).ConfigureAwait(false))
            {
                cancellationToken.ThrowIfCancellationRequested();
                string ns = reader.NamespaceURI;
                if (ns == ArxivXml.AtomNamespace && reader.LocalName == "entry")
                {
                    await ReadEntryAsync(reader, page, url).ConfigureAwait(false);
                }
                else if (ns == ArxivXml.OpenSearchNamespace)
                {
                    string name = reader.LocalName;
                    int? value = ParseInt(await ArxivXml.ReadTextAsync(reader).ConfigureAwait(false));
                    switch (name)
                    {
                        case "totalResults": page.TotalResults = value; break;
                        case "startIndex": page.StartIndex = value; break;
                        case "itemsPerPage": page.ItemsPerPage = value; break;
                    }
                }
                else
                {
                    await reader.SkipAsync().ConfigureAwait(false);
                }
            }
        }

        while (await reader.ReadAsync().ConfigureAwait(false))
        {
        }

        return page;
    }

    private static async Task ReadEntryAsync(XmlReader reader, ApiPage page, Uri? url)
    {
        int index = ++page.EntryCount;
        int line = ArxivXml.LineOf(reader);
        int depth = reader.Depth;
        string? id = null, title = null, summary = null, published = null, updated = null;
        string? primary = null, comment = null, journal = null, doi = null, doiLink = null, license = null;
        var authors = new List<string>();
        var categories = new List<string>();
        if (await ArxivXml.EnterAsync(reader).ConfigureAwait(false))
        {
            while (await ArxivXml.NextChildAsync(reader, depth).ConfigureAwait(false))
            {
                string ns = reader.NamespaceURI;
                string name = reader.LocalName;
                if (ns == ArxivXml.AtomNamespace)
                {
                    switch (name)
                    {
                        case "id": id = await ArxivXml.ReadTextAsync(reader).ConfigureAwait(false); continue;
                        case "title": title = await ArxivXml.ReadTextAsync(reader).ConfigureAwait(false); continue;
                        case "summary": summary = await ArxivXml.ReadTextAsync(reader).ConfigureAwait(false); continue;
                        case "published": published = await ArxivXml.ReadTextAsync(reader).ConfigureAwait(false); continue;
                        case "updated": updated = await ArxivXml.ReadTextAsync(reader).ConfigureAwait(false); continue;
                        case "rights": license = await ArxivXml.ReadTextAsync(reader).ConfigureAwait(false); continue;
                        case "category":
                            if (ArxivXml.NullIfEmpty(reader.GetAttribute("term")) is { } term && !categories.Contains(term))
                            {
                                categories.Add(term);
                            }

                            await reader.SkipAsync().ConfigureAwait(false);
                            continue;
                        case "link":
                            if (reader.GetAttribute("title") == "doi")
                            {
                                doiLink = reader.GetAttribute("href");
                            }

                            await reader.SkipAsync().ConfigureAwait(false);
                            continue;
                        case "author":
                            if (await ReadAuthorAsync(reader).ConfigureAwait(false) is { Length: > 0 } author)
                            {
                                authors.Add(author);
                            }

                            continue;
                    }
                }
                else if (ns == ArxivXml.ArxivNamespace)
                {
                    switch (name)
                    {
                        case "primary_category":
                            primary = ArxivXml.NullIfEmpty(reader.GetAttribute("term"));
                            await reader.SkipAsync().ConfigureAwait(false);
                            continue;
                        case "comment": comment = await ArxivXml.ReadTextAsync(reader).ConfigureAwait(false); continue;
                        case "journal_ref": journal = await ArxivXml.ReadTextAsync(reader).ConfigureAwait(false); continue;
                        case "doi": doi = await ArxivXml.ReadTextAsync(reader).ConfigureAwait(false); continue;
                    }
                }
                else if (ns == ArxivXml.DublinCoreNamespace && name == "rights")
                {
                    license = await ArxivXml.ReadTextAsync(reader).ConfigureAwait(false);
                    continue;
                }

                await reader.SkipAsync().ConfigureAwait(false);
            }
        }

        if (IsErrorEntry(id, title))
        {
            string message = ArxivXml.CollapseWhitespace(summary);
            throw new FeedFormatException($"reported an error: {(message.Length > 0 ? message : "(no message)")}{(id is null ? "" : $" [{ArxivXml.CollapseWhitespace(id)}]")}.") { Position = ArxivXml.ItemPosition("entry", index, line) };
        }

        string position = ArxivXml.ItemPosition("entry", index, line);
        if (string.IsNullOrWhiteSpace(id))
        {
            page.Skipped++;
            page.Diagnostics.Add(new SourceDiagnostic(DiagnosticSeverity.Warning, "item-missing-id", $"The API answer's {position} has no id; it was skipped.") { Url = url, Position = position });
            return;
        }

        if (!ArxivId.TryParse(id.AsSpan(), out var arxivId, out var idError))
        {
            page.Skipped++;
            page.Diagnostics.Add(new SourceDiagnostic(DiagnosticSeverity.Warning, "item-bad-id", $"The API answer's {position} has no usable arXiv id ({idError}); it was skipped.") { Url = url, Position = position });
            return;
        }

        string cleanTitle = ArxivXml.CollapseWhitespace(title);
        if (cleanTitle.Length == 0)
        {
            page.Skipped++;
            page.Diagnostics.Add(new SourceDiagnostic(DiagnosticSeverity.Warning, "item-missing-title", $"The API answer's {position} ({arxivId}) has no title; it was skipped.") { Url = url, Position = position, PaperId = arxivId });
            return;
        }

        if (primary is not null)
        {
            categories.Remove(primary);
            categories.Insert(0, primary);
        }

        page.Entries.Add(new Paper
        {
            Id = arxivId,
            Title = cleanTitle,
            Authors = authors,
            Abstract = ArxivXml.CollapseWhitespace(summary),
            Categories = categories,
            PrimaryCategory = primary ?? (categories.Count > 0 ? categories[0] : null),
            Published = ParseTimestamp(published),
            Updated = ParseTimestamp(updated),
            Comments = ArxivXml.NullIfEmpty(comment),
            JournalReference = ArxivXml.NullIfEmpty(journal),
            Doi = RssFeedParser.NormalizeDoi(doi ?? doiLink),
            License = ArxivXml.NullIfEmpty(license),
        });
    }

    private static async Task<string> ReadAuthorAsync(XmlReader reader)
    {
        int depth = reader.Depth;
        string name = string.Empty;
        if (await ArxivXml.EnterAsync(reader).ConfigureAwait(false))
        {
            while (await ArxivXml.NextChildAsync(reader, depth).ConfigureAwait(false))
            {
                if (reader.LocalName == "name" && reader.NamespaceURI == ArxivXml.AtomNamespace)
                {
                    name = ArxivXml.CollapseWhitespace(await ArxivXml.ReadTextAsync(reader).ConfigureAwait(false));
                }
                else
                {
                    // arxiv:affiliation: the paper model has no place for it.
                    await reader.SkipAsync().ConfigureAwait(false);
                }
            }
        }

        return name;
    }

    private static bool IsErrorEntry(string? id, string? title)
        => (id is not null && id.Contains("/api/errors", StringComparison.OrdinalIgnoreCase))
            || (string.Equals(title?.Trim(), "Error", StringComparison.Ordinal) && (id is null || !ArxivId.TryParse(id.AsSpan(), out _)));

    internal static DateTimeOffset? ParseTimestamp(string? text)
        => DateTimeOffset.TryParse(text?.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value : null;

    private static int? ParseInt(string text)
        => int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : null;

    /// <summary>Finds arXiv's message in an error body (an Atom feed with one <c>Error</c> entry), for non-2xx answers.</summary>
    internal static string? ErrorMessage(string body)
    {
        if (!body.Contains("api/errors", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var match = SummaryRegex().Match(body);
        return match.Success ? "arXiv says: " + ArxivXml.CollapseWhitespace(System.Net.WebUtility.HtmlDecode(match.Groups[1].Value)) : null;
    }

    [GeneratedRegex(@"<summary[^>]*>(.*?)</summary>", RegexOptions.Singleline, matchTimeoutMilliseconds: 1000)]
    private static partial Regex SummaryRegex();
}
