using System.Globalization;
using System.Xml;
using ArxivRank.Sources.Xml;

namespace ArxivRank.Sources.Rss;

/// <summary>One daily RSS feed as read: the channel's announcement date and the usable items.</summary>
internal sealed class RssFeed
{
    public string? Title { get; set; }

    /// <summary>Gets or sets the date of the channel's <c>pubDate</c> in its own offset (US Eastern), never converted.</summary>
    public DateOnly? AnnouncementDate { get; set; }

    public string? PubDateText { get; set; }

    public List<Paper> Items { get; } = [];

    public List<SourceDiagnostic> Diagnostics { get; } = [];

    /// <summary>Gets or sets the number of <c>item</c> elements, usable or not.</summary>
    public int TotalItems { get; set; }

    public int Skipped { get; set; }
}

/// <summary>
/// Streams arXiv's daily RSS 2.0 feed (format since January 2024) with an <see cref="XmlReader"/>: elements are matched
/// by namespace and name, never by position; an item without a usable id or title is skipped with a diagnostic.
/// </summary>
internal static class RssFeedParser
{
    public static async Task<RssFeed> ParseAsync(XmlReader reader, Uri? url, CancellationToken cancellationToken)
    {
        await ArxivXml.ExpectRootAsync(reader, "rss", null, "an RSS 2.0 feed (<rss><channel>…)").ConfigureAwait(false);
        var feed = new RssFeed();
        int rootDepth = reader.Depth;
        bool sawChannel = false;
        if (await ArxivXml.EnterAsync(reader).ConfigureAwait(false))
        {
            while (await ArxivXml.NextChildAsync(reader, rootDepth).ConfigureAwait(false))
            {
                if (reader.LocalName == "channel" && reader.NamespaceURI.Length == 0)
                {
                    sawChannel = true;
                    await ReadChannelAsync(reader, feed, url, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await reader.SkipAsync().ConfigureAwait(false);
                }
            }
        }

        if (!sawChannel)
        {
            throw new FeedFormatException("is an RSS document without a <channel>.");
        }

        // Drain to the end so a truncated tail is still detected.
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
        }

        return feed;
    }

    private static async Task ReadChannelAsync(XmlReader reader, RssFeed feed, Uri? url, CancellationToken cancellationToken)
    {
        int depth = reader.Depth;
        string? lastBuildDate = null;
        if (!await ArxivXml.EnterAsync(reader).ConfigureAwait(false))
        {
            return;
        }

        while (await ArxivXml.NextChildAsync(reader, depth).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (reader.NamespaceURI.Length != 0)
            {
                await reader.SkipAsync().ConfigureAwait(false);
                continue;
            }

            switch (reader.LocalName)
            {
                case "item":
                    await ReadItemAsync(reader, feed, url).ConfigureAwait(false);
                    break;
                case "title":
                    feed.Title = ArxivXml.CollapseWhitespace(await ArxivXml.ReadTextAsync(reader).ConfigureAwait(false));
                    break;
                case "pubDate":
                    feed.PubDateText = ArxivXml.CollapseWhitespace(await ArxivXml.ReadTextAsync(reader).ConfigureAwait(false));
                    break;
                case "lastBuildDate":
                    lastBuildDate = ArxivXml.CollapseWhitespace(await ArxivXml.ReadTextAsync(reader).ConfigureAwait(false));
                    break;
                default:
                    await reader.SkipAsync().ConfigureAwait(false);
                    break;
            }
        }

        if (feed.PubDateText is { Length: > 0 } pubDate)
        {
            if (Rfc822Date.TryParseDate(pubDate, out var date))
            {
                feed.AnnouncementDate = date;
            }
            else
            {
                feed.Diagnostics.Add(new SourceDiagnostic(DiagnosticSeverity.Warning, "bad-announcement-date", $"The channel pubDate '{pubDate}' is not an RFC 822 date; the announcement date is unknown.") { Url = url });
            }
        }
        else if (lastBuildDate is { Length: > 0 } && Rfc822Date.TryParseDate(lastBuildDate, out var built))
        {
            feed.AnnouncementDate = built;
            feed.Diagnostics.Add(new SourceDiagnostic(DiagnosticSeverity.Info, "announcement-date-from-last-build", $"The channel has no pubDate; the announcement date {built:yyyy-MM-dd} comes from lastBuildDate '{lastBuildDate}'.") { Url = url });
        }
        else
        {
            feed.Diagnostics.Add(new SourceDiagnostic(DiagnosticSeverity.Warning, "missing-announcement-date", "The channel has no pubDate (nor lastBuildDate); the announcement date is unknown.") { Url = url });
        }
    }

    private static async Task ReadItemAsync(XmlReader reader, RssFeed feed, Uri? url)
    {
        int index = ++feed.TotalItems;
        int line = ArxivXml.LineOf(reader);
        int depth = reader.Depth;
        string? title = null, link = null, description = null, guid = null, announceType = null, creator = null;
        string? rights = null, doi = null, journal = null, comment = null;
        List<string>? categories = null;
        if (await ArxivXml.EnterAsync(reader).ConfigureAwait(false))
        {
            while (await ArxivXml.NextChildAsync(reader, depth).ConfigureAwait(false))
            {
                string ns = reader.NamespaceURI;
                string name = reader.LocalName;
                if (ns.Length == 0)
                {
                    switch (name)
                    {
                        case "title": title = await ArxivXml.ReadTextAsync(reader).ConfigureAwait(false); continue;
                        case "link": link = await ArxivXml.ReadTextAsync(reader).ConfigureAwait(false); continue;
                        case "description": description = await ArxivXml.ReadTextAsync(reader).ConfigureAwait(false); continue;
                        case "guid": guid = await ArxivXml.ReadTextAsync(reader).ConfigureAwait(false); continue;
                        case "category":
                            string category = ArxivXml.CollapseWhitespace(await ArxivXml.ReadTextAsync(reader).ConfigureAwait(false));
                            if (category.Length > 0)
                            {
                                (categories ??= []).Add(category);
                            }

                            continue;
                    }
                }
                else if (ns == ArxivXml.ArxivNamespace)
                {
                    switch (name)
                    {
                        case "announce_type": announceType = await ArxivXml.ReadTextAsync(reader).ConfigureAwait(false); continue;
                        case "DOI" or "doi": doi = await ArxivXml.ReadTextAsync(reader).ConfigureAwait(false); continue;
                        case "journal_reference" or "journal_ref": journal = await ArxivXml.ReadTextAsync(reader).ConfigureAwait(false); continue;
                        case "comment": comment = await ArxivXml.ReadTextAsync(reader).ConfigureAwait(false); continue;
                    }
                }
                else if (ns == ArxivXml.DublinCoreNamespace)
                {
                    switch (name)
                    {
                        case "creator": creator = creator is null ? await ArxivXml.ReadTextAsync(reader).ConfigureAwait(false) : creator + ", " + await ArxivXml.ReadTextAsync(reader).ConfigureAwait(false); continue;
                        case "rights": rights = await ArxivXml.ReadTextAsync(reader).ConfigureAwait(false); continue;
                    }
                }

                await reader.SkipAsync().ConfigureAwait(false);
            }
        }

        string position = ArxivXml.ItemPosition("item", index, line);
        var header = DescriptionHeader.Parse(description);
        ArxivId id = default;
        string? idError = null;
        foreach (var candidate in (ReadOnlySpan<string?>)[guid, header.Id, link])
        {
            if (string.IsNullOrWhiteSpace(candidate))
            {
                continue;
            }

            if (ArxivId.TryParse(candidate.AsSpan(), out var parsed, out var error))
            {
                id = parsed;
                break;
            }

            idError ??= error;
        }

        if (id.IsEmpty)
        {
            feed.Skipped++;
            feed.Diagnostics.Add(idError is null
                ? new SourceDiagnostic(DiagnosticSeverity.Warning, "item-missing-id", $"The feed's {position} has no guid, link or description header naming its arXiv id; it was skipped.") { Url = url, Position = position }
                : new SourceDiagnostic(DiagnosticSeverity.Warning, "item-bad-id", $"The feed's {position} has no usable arXiv id ({idError}); it was skipped.") { Url = url, Position = position });
            return;
        }

        // The guid carries the version; when it was missing, take the one of the description header.
        if (id.Version is null && header.Id is { } headerId && ArxivId.TryParse(headerId, out var withVersion) && withVersion.SamePaperAs(id) && withVersion.Version is { } v)
        {
            id = id.WithVersion(v);
        }

        string cleanTitle = ArxivXml.CollapseWhitespace(title);
        if (cleanTitle.Length == 0)
        {
            feed.Skipped++;
            feed.Diagnostics.Add(new SourceDiagnostic(DiagnosticSeverity.Warning, "item-missing-title", $"The feed's {position} ({id}) has no title; it was skipped.") { Url = url, Position = position, PaperId = id });
            return;
        }

        string? typeText = ArxivXml.NullIfEmpty(announceType) ?? header.AnnounceType;
        var type = ParseAnnounceType(typeText);
        if (type == AnnounceType.Unknown)
        {
            feed.Diagnostics.Add(new SourceDiagnostic(
                DiagnosticSeverity.Warning,
                "unknown-announce-type",
                typeText is null ? $"The feed's {position} ({id}) has no announce type; it counts as 'unknown'." : $"The feed's {position} ({id}) has the unknown announce type '{typeText}'; it counts as 'unknown'.")
            { Url = url, Position = position, PaperId = id });
        }

        IReadOnlyList<string> cats = categories is null ? [] : categories;
        feed.Items.Add(new Paper
        {
            Id = id,
            Title = cleanTitle,
            Authors = AuthorList.Parse(creator),
            Abstract = ArxivXml.CollapseWhitespace(header.Abstract),
            Categories = cats,
            PrimaryCategory = cats.Count > 0 ? cats[0] : null,
            AnnounceType = type,
            Comments = ArxivXml.NullIfEmpty(comment),
            JournalReference = ArxivXml.NullIfEmpty(journal),
            Doi = NormalizeDoi(doi),
            License = ArxivXml.NullIfEmpty(rights),
        });
    }

    internal static AnnounceType ParseAnnounceType(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "new" => AnnounceType.New,
        "cross" => AnnounceType.Cross,
        "replace" => AnnounceType.Replace,
        "replace-cross" => AnnounceType.ReplaceCross,
        _ => AnnounceType.Unknown,
    };

    internal static string? NormalizeDoi(string? doi)
    {
        var text = ArxivXml.NullIfEmpty(doi);
        if (text is null)
        {
            return null;
        }

        foreach (var prefix in (ReadOnlySpan<string>)["https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:"])
        {
            if (text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return text[prefix.Length..].Trim();
            }
        }

        return text;
    }

    /// <summary>The <c>arXiv:2502.12851v1 Announce Type: new \nAbstract: …</c> header of an item's description.</summary>
    private readonly record struct DescriptionHeader(string? Id, string? AnnounceType, string Abstract)
    {
        public static DescriptionHeader Parse(string? description)
        {
            if (string.IsNullOrEmpty(description))
            {
                return new(null, null, string.Empty);
            }

            var text = description.AsSpan().TrimStart();
            if (!text.StartsWith("arXiv:", StringComparison.OrdinalIgnoreCase))
            {
                return new(null, null, description);
            }

            int abstractAt = text.IndexOf("Abstract:", StringComparison.Ordinal);
            var header = abstractAt < 0 ? text : text[..abstractAt];
            string body = abstractAt < 0 ? string.Empty : text[(abstractAt + "Abstract:".Length)..].ToString();
            var afterPrefix = header["arXiv:".Length..].TrimStart();
            int space = afterPrefix.IndexOfAny(' ', '\n', '\t');
            string id = (space < 0 ? afterPrefix : afterPrefix[..space]).ToString();
            string? type = null;
            int typeAt = header.IndexOf("Announce Type:", StringComparison.Ordinal);
            if (typeAt >= 0)
            {
                var rest = header[(typeAt + "Announce Type:".Length)..].Trim();
                int end = rest.IndexOfAny(' ', '\n', '\t');
                type = (end < 0 ? rest : rest[..end]).ToString();
            }

            return new(id, type, body);
        }
    }
}

/// <summary>Parses RFC 822 dates as RSS writes them (<c>Thu, 24 Sep 2026 00:00:00 -0400</c>).</summary>
internal static class Rfc822Date
{
    private static readonly string[] Formats =
    [
        "ddd, d MMM yyyy HH:mm:ss zzz",
        "d MMM yyyy HH:mm:ss zzz",
        "ddd, d MMM yyyy HH:mm zzz",
        "d MMM yyyy HH:mm zzz",
        "ddd, d MMM yy HH:mm:ss zzz",
    ];

    /// <summary>Gets the calendar date as written, in the date's own offset (never converted to UTC or local time).</summary>
    public static bool TryParseDate(string text, out DateOnly date)
    {
        if (TryParse(text, out var value))
        {
            // DateTimeOffset.DateTime is the clock time in the value's own offset: no conversion.
            date = DateOnly.FromDateTime(value.DateTime);
            return true;
        }

        date = default;
        return false;
    }

    public static bool TryParse(string text, out DateTimeOffset value)
    {
        string normalized = NormalizeZone(text.Trim());
        return DateTimeOffset.TryParseExact(normalized, Formats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out value)
            || DateTimeOffset.TryParse(normalized, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out value);
    }

    private static string NormalizeZone(string text)
    {
        int space = text.LastIndexOf(' ');
        if (space < 0)
        {
            return text;
        }

        var zone = text.AsSpan(space + 1);
        string? offset = zone switch
        {
            "GMT" or "UT" or "UTC" or "Z" => "+00:00",
            "EST" => "-05:00",
            "EDT" => "-04:00",
            "CST" => "-06:00",
            "CDT" => "-05:00",
            "MST" => "-07:00",
            "MDT" => "-06:00",
            "PST" => "-08:00",
            "PDT" => "-07:00",
            _ when zone.Length == 5 && (zone[0] == '+' || zone[0] == '-') => string.Concat(zone[..3], ":", zone[3..]),
            _ => null,
        };
        return offset is null ? text : string.Concat(text.AsSpan(0, space + 1), offset);
    }
}
