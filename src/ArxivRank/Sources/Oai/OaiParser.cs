using System.Globalization;
using System.Text;
using System.Xml;
using ArxivRank.Sources.Rss;
using ArxivRank.Sources.Xml;

namespace ArxivRank.Sources.Oai;

/// <summary>One page of an OAI-PMH <c>ListRecords</c> answer in the <c>arXiv</c> metadata format.</summary>
internal sealed class OaiPage
{
    public List<Paper> Records { get; } = [];

    /// <summary>Gets or sets the number of <c>record</c> elements, deleted and unusable ones included.</summary>
    public int RecordCount { get; set; }

    public int Skipped { get; set; }

    public List<SourceDiagnostic> Diagnostics { get; } = [];

    /// <summary>Gets or sets the token of the next page; <see langword="null"/> or empty when the list is complete.</summary>
    public string? ResumptionToken { get; set; }

    public int? CompleteListSize { get; set; }

    /// <summary>Gets or sets a value indicating whether the server answered <c>noRecordsMatch</c> (an empty result, not a failure).</summary>
    public bool NoRecordsMatch { get; set; }
}

/// <summary>
/// Streams an OAI-PMH <c>ListRecords</c> page (<c>metadataPrefix=arXiv</c>) record by record, so a page of tens of
/// megabytes never becomes a DOM. Deleted records are skipped with a diagnostic; <c>noRecordsMatch</c> is an empty page;
/// any other OAI-PMH error is an error of the whole response.
/// </summary>
internal static class OaiParser
{
    public static async Task<OaiPage> ParseAsync(XmlReader reader, Uri? url, CancellationToken cancellationToken)
    {
        await ArxivXml.ExpectRootAsync(reader, "OAI-PMH", ArxivXml.OaiNamespace, "an OAI-PMH response").ConfigureAwait(false);
        var page = new OaiPage();
        int depth = reader.Depth;
        bool sawListRecords = false;
        if (await ArxivXml.EnterAsync(reader).ConfigureAwait(false))
        {
            while (await ArxivXml.NextChildAsync(reader, depth).ConfigureAwait(false))
            {
                if (reader.NamespaceURI != ArxivXml.OaiNamespace)
                {
                    await reader.SkipAsync().ConfigureAwait(false);
                    continue;
                }

                switch (reader.LocalName)
                {
                    case "error":
                        string code = reader.GetAttribute("code") ?? "unknown";
                        string? position = ArxivXml.PositionOf(reader);
                        string message = ArxivXml.CollapseWhitespace(await ArxivXml.ReadTextAsync(reader).ConfigureAwait(false));
                        if (code == "noRecordsMatch")
                        {
                            page.NoRecordsMatch = true;
                            break;
                        }

                        throw new FeedFormatException($"reported the OAI-PMH error '{code}'{(message.Length > 0 ? ": " + message : "")}{Hint(code)}") { Position = position };
                    case "ListRecords":
                        sawListRecords = true;
                        await ReadListRecordsAsync(reader, page, url, cancellationToken).ConfigureAwait(false);
                        break;
                    default:
                        await reader.SkipAsync().ConfigureAwait(false);
                        break;
                }
            }
        }

        while (await reader.ReadAsync().ConfigureAwait(false))
        {
        }

        if (!sawListRecords && !page.NoRecordsMatch)
        {
            throw new FeedFormatException("is an OAI-PMH response without ListRecords or an error.");
        }

        return page;
    }

    private static string Hint(string code) => code switch
    {
        "badResumptionToken" => " (resumption tokens expire daily; restart the harvest).",
        "badArgument" => " (check the set and the from/until dates).",
        _ => ".",
    };

    private static async Task ReadListRecordsAsync(XmlReader reader, OaiPage page, Uri? url, CancellationToken cancellationToken)
    {
        int depth = reader.Depth;
        if (!await ArxivXml.EnterAsync(reader).ConfigureAwait(false))
        {
            return;
        }

        while (await ArxivXml.NextChildAsync(reader, depth).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (reader.NamespaceURI == ArxivXml.OaiNamespace && reader.LocalName == "record")
            {
                await ReadRecordAsync(reader, page, url).ConfigureAwait(false);
            }
            else if (reader.NamespaceURI == ArxivXml.OaiNamespace && reader.LocalName == "resumptionToken")
            {
                if (int.TryParse(reader.GetAttribute("completeListSize"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int size))
                {
                    page.CompleteListSize = size;
                }

                page.ResumptionToken = ArxivXml.NullIfEmpty(await ArxivXml.ReadTextAsync(reader).ConfigureAwait(false));
            }
            else
            {
                await reader.SkipAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task ReadRecordAsync(XmlReader reader, OaiPage page, Uri? url)
    {
        int index = ++page.RecordCount;
        int line = ArxivXml.LineOf(reader);
        string position = ArxivXml.ItemPosition("record", index, line);
        int depth = reader.Depth;
        string? identifier = null;
        bool deleted = false;
        Metadata? metadata = null;
        if (await ArxivXml.EnterAsync(reader).ConfigureAwait(false))
        {
            while (await ArxivXml.NextChildAsync(reader, depth).ConfigureAwait(false))
            {
                if (reader.NamespaceURI == ArxivXml.OaiNamespace && reader.LocalName == "header")
                {
                    deleted = reader.GetAttribute("status") == "deleted";
                    int headerDepth = reader.Depth;
                    if (await ArxivXml.EnterAsync(reader).ConfigureAwait(false))
                    {
                        while (await ArxivXml.NextChildAsync(reader, headerDepth).ConfigureAwait(false))
                        {
                            if (reader.LocalName == "identifier")
                            {
                                identifier = ArxivXml.CollapseWhitespace(await ArxivXml.ReadTextAsync(reader).ConfigureAwait(false));
                            }
                            else
                            {
                                await reader.SkipAsync().ConfigureAwait(false);
                            }
                        }
                    }
                }
                else if (reader.NamespaceURI == ArxivXml.OaiNamespace && reader.LocalName == "metadata")
                {
                    int metadataDepth = reader.Depth;
                    if (await ArxivXml.EnterAsync(reader).ConfigureAwait(false))
                    {
                        while (await ArxivXml.NextChildAsync(reader, metadataDepth).ConfigureAwait(false))
                        {
                            if (reader.NamespaceURI == ArxivXml.OaiArxivNamespace && reader.LocalName == "arXiv")
                            {
                                metadata = await ReadArxivAsync(reader).ConfigureAwait(false);
                            }
                            else
                            {
                                await reader.SkipAsync().ConfigureAwait(false);
                            }
                        }
                    }
                }
                else
                {
                    await reader.SkipAsync().ConfigureAwait(false);
                }
            }
        }

        ArxivId.TryParse(identifier.AsSpan(), out var headerId);
        if (deleted)
        {
            page.Skipped++;
            page.Diagnostics.Add(new SourceDiagnostic(DiagnosticSeverity.Info, "deleted-record", $"The OAI-PMH {position} ({identifier ?? "no identifier"}) is a deleted record; it was skipped.")
            {
                Url = url,
                Position = position,
                PaperId = headerId.IsEmpty ? null : headerId,
            });
            return;
        }

        if (metadata is null)
        {
            page.Skipped++;
            page.Diagnostics.Add(new SourceDiagnostic(DiagnosticSeverity.Warning, "record-missing-metadata", $"The OAI-PMH {position} ({identifier ?? "no identifier"}) has no arXiv metadata; it was skipped.")
            { Url = url, Position = position, PaperId = headerId.IsEmpty ? null : headerId });
            return;
        }

        ArxivId id = default;
        string? idError = null;
        foreach (var candidate in (ReadOnlySpan<string?>)[metadata.Id, identifier])
        {
            if (!string.IsNullOrWhiteSpace(candidate))
            {
                if (ArxivId.TryParse(candidate.AsSpan(), out id, out var error))
                {
                    break;
                }

                idError ??= error;
            }
        }

        if (id.IsEmpty)
        {
            page.Skipped++;
            page.Diagnostics.Add(idError is null
                ? new SourceDiagnostic(DiagnosticSeverity.Warning, "item-missing-id", $"The OAI-PMH {position} has no identifier; it was skipped.") { Url = url, Position = position }
                : new SourceDiagnostic(DiagnosticSeverity.Warning, "item-bad-id", $"The OAI-PMH {position} has no usable arXiv id ({idError}); it was skipped.") { Url = url, Position = position });
            return;
        }

        string title = ArxivXml.CollapseWhitespace(metadata.Title);
        if (title.Length == 0)
        {
            page.Skipped++;
            page.Diagnostics.Add(new SourceDiagnostic(DiagnosticSeverity.Warning, "item-missing-title", $"The OAI-PMH {position} ({id}) has no title; it was skipped.") { Url = url, Position = position, PaperId = id });
            return;
        }

        var categories = metadata.Categories is null
            ? []
            : metadata.Categories.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        page.Records.Add(new Paper
        {
            Id = id,
            Title = title,
            Authors = metadata.Authors,
            Abstract = ArxivXml.CollapseWhitespace(metadata.Abstract),
            Categories = categories,
            PrimaryCategory = categories.Length > 0 ? categories[0] : null,
            Published = ParseDate(metadata.Created),
            Updated = ParseDate(metadata.Updated) ?? ParseDate(metadata.Created),
            Comments = ArxivXml.NullIfEmpty(metadata.Comments),
            JournalReference = ArxivXml.NullIfEmpty(metadata.JournalRef),
            Doi = RssFeedParser.NormalizeDoi(metadata.Doi),
            License = ArxivXml.NullIfEmpty(metadata.License),
        });
    }

    private static async Task<Metadata> ReadArxivAsync(XmlReader reader)
    {
        var m = new Metadata();
        int depth = reader.Depth;
        if (!await ArxivXml.EnterAsync(reader).ConfigureAwait(false))
        {
            return m;
        }

        while (await ArxivXml.NextChildAsync(reader, depth).ConfigureAwait(false))
        {
            if (reader.NamespaceURI != ArxivXml.OaiArxivNamespace)
            {
                await reader.SkipAsync().ConfigureAwait(false);
                continue;
            }

            switch (reader.LocalName)
            {
                case "id": m.Id = await ArxivXml.ReadTextAsync(reader).ConfigureAwait(false); break;
                case "created": m.Created = await ArxivXml.ReadTextAsync(reader).ConfigureAwait(false); break;
                case "updated": m.Updated = await ArxivXml.ReadTextAsync(reader).ConfigureAwait(false); break;
                case "title": m.Title = await ArxivXml.ReadTextAsync(reader).ConfigureAwait(false); break;
                case "categories": m.Categories = await ArxivXml.ReadTextAsync(reader).ConfigureAwait(false); break;
                case "comments": m.Comments = await ArxivXml.ReadTextAsync(reader).ConfigureAwait(false); break;
                case "journal-ref": m.JournalRef = await ArxivXml.ReadTextAsync(reader).ConfigureAwait(false); break;
                case "doi": m.Doi = await ArxivXml.ReadTextAsync(reader).ConfigureAwait(false); break;
                case "license": m.License = await ArxivXml.ReadTextAsync(reader).ConfigureAwait(false); break;
                case "abstract": m.Abstract = await ArxivXml.ReadTextAsync(reader).ConfigureAwait(false); break;
                case "authors": await ReadAuthorsAsync(reader, m.Authors).ConfigureAwait(false); break;
                default: await reader.SkipAsync().ConfigureAwait(false); break;
            }
        }

        return m;
    }

    private static async Task ReadAuthorsAsync(XmlReader reader, List<string> authors)
    {
        int depth = reader.Depth;
        if (!await ArxivXml.EnterAsync(reader).ConfigureAwait(false))
        {
            return;
        }

        while (await ArxivXml.NextChildAsync(reader, depth).ConfigureAwait(false))
        {
            if (reader.LocalName != "author")
            {
                await reader.SkipAsync().ConfigureAwait(false);
                continue;
            }

            int authorDepth = reader.Depth;
            string? keyname = null, forenames = null, suffix = null;
            if (await ArxivXml.EnterAsync(reader).ConfigureAwait(false))
            {
                while (await ArxivXml.NextChildAsync(reader, authorDepth).ConfigureAwait(false))
                {
                    switch (reader.LocalName)
                    {
                        case "keyname": keyname = ArxivXml.CollapseWhitespace(await ArxivXml.ReadTextAsync(reader).ConfigureAwait(false)); break;
                        case "forenames": forenames = ArxivXml.CollapseWhitespace(await ArxivXml.ReadTextAsync(reader).ConfigureAwait(false)); break;
                        case "suffix": suffix = ArxivXml.CollapseWhitespace(await ArxivXml.ReadTextAsync(reader).ConfigureAwait(false)); break;
                        default: await reader.SkipAsync().ConfigureAwait(false); break; // affiliation
                    }
                }
            }

            var name = new StringBuilder();
            foreach (var part in (ReadOnlySpan<string?>)[forenames, keyname, suffix])
            {
                if (!string.IsNullOrEmpty(part))
                {
                    name.Append(name.Length > 0 ? " " : "").Append(part);
                }
            }

            if (name.Length > 0)
            {
                authors.Add(name.ToString());
            }
        }
    }

    private static DateTimeOffset? ParseDate(string? text)
        => DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? new DateTimeOffset(date, TimeOnly.MinValue, TimeSpan.Zero)
            : null;

    private sealed class Metadata
    {
        public string? Id { get; set; }

        public string? Created { get; set; }

        public string? Updated { get; set; }

        public string? Title { get; set; }

        public string? Categories { get; set; }

        public string? Comments { get; set; }

        public string? JournalRef { get; set; }

        public string? Doi { get; set; }

        public string? License { get; set; }

        public string? Abstract { get; set; }

        public List<string> Authors { get; } = [];
    }
}
