using System.Globalization;
using System.Text;
using System.Xml;

namespace ArxivRank.TestUtilities.Arxiv;

/// <summary>
/// Writes papers in arXiv's three wire formats, shaped like arXiv's real responses (namespaces, element order,
/// the RSS description header, the OAI-PMH arXiv metadata). Used by <see cref="ArxivDouble"/> and by benchmarks.
/// </summary>
public static class ArxivFeedWriter
{
    private const string ArxivNs = "http://arxiv.org/schemas/atom";
    private const string DcNs = "http://purl.org/dc/elements/1.1/";
    private const string AtomNs = "http://www.w3.org/2005/Atom";
    private const string OpenSearchNs = "http://a9.com/-/spec/opensearch/1.1/";
    private const string OaiNs = "http://www.openarchives.org/OAI/2.0/";
    private const string OaiArxivNs = "http://arxiv.org/OAI/arXiv/";

    // The double sends UTF-8 bytes: declare UTF-8 (a StringBuilder writer would declare utf-16).
    private const string Declaration = "<?xml version='1.0' encoding='UTF-8'?>\n";
    private static readonly XmlWriterSettings Settings = new() { Indent = true, OmitXmlDeclaration = true };

    /// <summary>The RFC 822 form of an announcement day at midnight US Eastern (<c>Wed, 26 Feb 2025 00:00:00 -0500</c>).</summary>
    public static string PubDate(DateOnly day)
    {
        // US Eastern: daylight time from the second Sunday of March to the first Sunday of November.
        var marchStart = new DateOnly(day.Year, 3, 1);
        var dstStart = marchStart.AddDays(((7 - (int)marchStart.DayOfWeek) % 7) + 7);
        var novStart = new DateOnly(day.Year, 11, 1);
        var dstEnd = novStart.AddDays((7 - (int)novStart.DayOfWeek) % 7);
        string offset = day >= dstStart && day < dstEnd ? "-0400" : "-0500";
        return day.ToString("ddd, dd MMM yyyy", CultureInfo.InvariantCulture) + " 00:00:00 " + offset;
    }

    /// <summary>Writes a daily RSS feed. Each paper's <see cref="Paper.AnnounceType"/> (unknown → new) and version (none → 1) are used.</summary>
    public static string Rss(string query, DateOnly announcement, IEnumerable<Paper> papers)
    {
        var sb = new StringBuilder(Declaration);
        using (var w = XmlWriter.Create(sb, Settings))
        {
            string pub = PubDate(announcement);
            w.WriteStartElement("rss");
            w.WriteAttributeString("xmlns", "arxiv", null, ArxivNs);
            w.WriteAttributeString("xmlns", "dc", null, DcNs);
            w.WriteAttributeString("xmlns", "atom", null, AtomNs);
            w.WriteAttributeString("version", "2.0");
            w.WriteStartElement("channel");
            string title = query.Replace("+", ", ", StringComparison.Ordinal);
            w.WriteElementString("title", title + " updates on arXiv.org");
            w.WriteElementString("link", "http://rss.arxiv.org/rss/" + query);
            w.WriteElementString("description", title + " updates on the arXiv.org e-print archive.");
            w.WriteStartElement("atom", "link", AtomNs);
            w.WriteAttributeString("href", "http://rss.arxiv.org/rss/" + query);
            w.WriteAttributeString("rel", "self");
            w.WriteAttributeString("type", "application/rss+xml");
            w.WriteEndElement();
            w.WriteElementString("docs", "http://www.rssboard.org/rss-specification");
            w.WriteElementString("language", "en-us");
            w.WriteElementString("lastBuildDate", announcement.ToString("ddd, dd MMM yyyy", CultureInfo.InvariantCulture) + " 05:00:41 +0000");
            w.WriteElementString("managingEditor", "rss-help@arxiv.org");
            w.WriteElementString("pubDate", pub);
            w.WriteStartElement("skipDays");
            w.WriteElementString("day", "Sunday");
            w.WriteElementString("day", "Saturday");
            w.WriteEndElement();
            foreach (var p in papers)
            {
                var id = p.Id.Version is null ? p.Id.WithVersion(1) : p.Id;
                string type = TypeName(p.AnnounceType);
                w.WriteStartElement("item");
                w.WriteElementString("title", p.Title);
                w.WriteElementString("link", "https://arxiv.org/abs/" + p.Id.Id);
                w.WriteElementString("description", $"arXiv:{id} Announce Type: {type} \nAbstract: {p.Abstract}");
                w.WriteStartElement("guid");
                w.WriteAttributeString("isPermaLink", "false");
                w.WriteString("oai:arXiv.org:" + id);
                w.WriteEndElement();
                foreach (var c in p.Categories)
                {
                    w.WriteElementString("category", c);
                }

                w.WriteElementString("pubDate", pub);
                w.WriteElementString("announce_type", ArxivNs, type);
                w.WriteElementString("rights", DcNs, p.License ?? "http://creativecommons.org/licenses/by/4.0/");
                if (p.Doi is not null)
                {
                    w.WriteElementString("DOI", ArxivNs, p.Doi);
                }

                if (p.JournalReference is not null)
                {
                    w.WriteElementString("journal_reference", ArxivNs, p.JournalReference);
                }

                if (p.Comments is not null)
                {
                    w.WriteElementString("comment", ArxivNs, p.Comments);
                }

                w.WriteElementString("creator", DcNs, string.Join(", ", p.Authors));
                w.WriteEndElement();
            }

            w.WriteEndElement();
            w.WriteEndElement();
        }

        return sb.ToString();
    }

    /// <summary>Writes one page of the export API's Atom answer (the 2025 layout: namespaces on the root).</summary>
    public static string Api(IEnumerable<Paper> entries, int totalResults, int startIndex, int itemsPerPage)
    {
        var sb = new StringBuilder(Declaration);
        using (var w = XmlWriter.Create(sb, Settings))
        {
            w.WriteStartElement("feed", AtomNs);
            w.WriteAttributeString("xmlns", "opensearch", null, OpenSearchNs);
            w.WriteAttributeString("xmlns", "arxiv", null, ArxivNs);
            w.WriteElementString("id", AtomNs, "https://arxiv.org/api/double");
            w.WriteElementString("title", AtomNs, "arXiv Query");
            w.WriteElementString("updated", AtomNs, "2025-02-26T10:00:00Z");
            w.WriteElementString("itemsPerPage", OpenSearchNs, itemsPerPage.ToString(CultureInfo.InvariantCulture));
            w.WriteElementString("totalResults", OpenSearchNs, totalResults.ToString(CultureInfo.InvariantCulture));
            w.WriteElementString("startIndex", OpenSearchNs, startIndex.ToString(CultureInfo.InvariantCulture));
            foreach (var p in entries)
            {
                var id = p.Id.Version is null ? p.Id.WithVersion(1) : p.Id;
                string published = (p.Published ?? new DateTimeOffset(2025, 2, 25, 18, 0, 0, TimeSpan.Zero)).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
                string updated = (p.Updated ?? p.Published ?? new DateTimeOffset(2025, 2, 25, 18, 0, 0, TimeSpan.Zero)).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
                w.WriteStartElement("entry", AtomNs);
                w.WriteElementString("id", AtomNs, "http://arxiv.org/abs/" + id);
                w.WriteElementString("title", AtomNs, p.Title);
                w.WriteElementString("updated", AtomNs, updated);
                WriteLink(w, "https://arxiv.org/abs/" + id, "alternate", "text/html", null);
                WriteLink(w, "https://arxiv.org/pdf/" + id, "related", "application/pdf", "pdf");
                w.WriteElementString("summary", AtomNs, p.Abstract);
                foreach (var c in p.Categories)
                {
                    w.WriteStartElement("category", AtomNs);
                    w.WriteAttributeString("term", c);
                    w.WriteAttributeString("scheme", "http://arxiv.org/schemas/atom");
                    w.WriteEndElement();
                }

                w.WriteElementString("published", AtomNs, published);
                if (p.Comments is not null)
                {
                    w.WriteElementString("comment", ArxivNs, p.Comments);
                }

                if (p.JournalReference is not null)
                {
                    w.WriteElementString("journal_ref", ArxivNs, p.JournalReference);
                }

                if (p.Doi is not null)
                {
                    w.WriteElementString("doi", ArxivNs, p.Doi);
                }

                w.WriteStartElement("primary_category", ArxivNs);
                w.WriteAttributeString("term", p.PrimaryCategory ?? p.Categories.FirstOrDefault() ?? "cs.LG");
                w.WriteEndElement();
                foreach (var a in p.Authors)
                {
                    w.WriteStartElement("author", AtomNs);
                    w.WriteElementString("name", AtomNs, a);
                    w.WriteEndElement();
                }

                w.WriteEndElement();
            }

            w.WriteEndElement();
        }

        return sb.ToString();
    }

    /// <summary>Writes the export API's error answer: an Atom feed with one entry titled <c>Error</c>.</summary>
    public static string ApiError(string message)
    {
        string anchor = message.Replace(' ', '_');
        return $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
              <title type="html">ArXiv Query</title>
              <id>http://arxiv.org/api/error</id>
              <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">1</opensearch:totalResults>
              <opensearch:startIndex xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">0</opensearch:startIndex>
              <opensearch:itemsPerPage xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">1</opensearch:itemsPerPage>
              <entry>
                <id>http://arxiv.org/api/errors#{System.Security.SecurityElement.Escape(anchor)}</id>
                <title>Error</title>
                <summary>{System.Security.SecurityElement.Escape(message)}</summary>
                <updated>2025-02-26T00:00:00-05:00</updated>
                <author><name>arXiv api core</name></author>
              </entry>
            </feed>
            """;
    }

    /// <summary>Writes one OAI-PMH <c>ListRecords</c> page in the <c>arXiv</c> metadata format.</summary>
    /// <param name="records">The records of the page.</param>
    /// <param name="deleted">Identifiers to list as deleted records.</param>
    /// <param name="resumptionToken">The next page's token; <see langword="null"/> or empty on the last page.</param>
    /// <param name="cursor">The index of the page's first record in the whole list.</param>
    /// <param name="completeListSize">The size of the whole list.</param>
    public static string Oai(IEnumerable<Paper> records, IEnumerable<ArxivId> deleted, string? resumptionToken, int cursor, int completeListSize)
    {
        var sb = new StringBuilder(Declaration);
        using (var w = XmlWriter.Create(sb, Settings))
        {
            w.WriteStartElement("OAI-PMH", OaiNs);
            w.WriteElementString("responseDate", OaiNs, "2025-02-27T09:14:55Z");
            w.WriteStartElement("request", OaiNs);
            w.WriteAttributeString("verb", "ListRecords");
            w.WriteString("https://arxiv.org/oai");
            w.WriteEndElement();
            w.WriteStartElement("ListRecords", OaiNs);
            foreach (var p in records)
            {
                w.WriteStartElement("record", OaiNs);
                w.WriteStartElement("header", OaiNs);
                w.WriteElementString("identifier", OaiNs, "oai:arXiv.org:" + p.Id.Id);
                w.WriteElementString("datestamp", OaiNs, "2025-02-26");
                w.WriteElementString("setSpec", OaiNs, "cs");
                w.WriteEndElement();
                w.WriteStartElement("metadata", OaiNs);
                w.WriteStartElement("arXiv", OaiArxivNs);
                w.WriteElementString("id", OaiArxivNs, p.Id.Id);
                w.WriteElementString("created", OaiArxivNs, (p.Published ?? new DateTimeOffset(2025, 2, 25, 0, 0, 0, TimeSpan.Zero)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                w.WriteStartElement("authors", OaiArxivNs);
                foreach (var a in p.Authors)
                {
                    int space = a.LastIndexOf(' ');
                    w.WriteStartElement("author", OaiArxivNs);
                    w.WriteElementString("keyname", OaiArxivNs, space < 0 ? a : a[(space + 1)..]);
                    if (space > 0)
                    {
                        w.WriteElementString("forenames", OaiArxivNs, a[..space]);
                    }

                    w.WriteEndElement();
                }

                w.WriteEndElement();
                w.WriteElementString("title", OaiArxivNs, p.Title);
                w.WriteElementString("categories", OaiArxivNs, string.Join(' ', p.Categories));
                if (p.Comments is not null)
                {
                    w.WriteElementString("comments", OaiArxivNs, p.Comments);
                }

                w.WriteElementString("license", OaiArxivNs, p.License ?? "http://creativecommons.org/licenses/by/4.0/");
                w.WriteElementString("abstract", OaiArxivNs, p.Abstract);
                w.WriteEndElement();
                w.WriteEndElement();
                w.WriteEndElement();
            }

            foreach (var id in deleted)
            {
                w.WriteStartElement("record", OaiNs);
                w.WriteStartElement("header", OaiNs);
                w.WriteAttributeString("status", "deleted");
                w.WriteElementString("identifier", OaiNs, "oai:arXiv.org:" + id.Id);
                w.WriteElementString("datestamp", OaiNs, "2025-02-26");
                w.WriteElementString("setSpec", OaiNs, "cs");
                w.WriteEndElement();
                w.WriteEndElement();
            }

            w.WriteStartElement("resumptionToken", OaiNs);
            w.WriteAttributeString("cursor", cursor.ToString(CultureInfo.InvariantCulture));
            w.WriteAttributeString("completeListSize", completeListSize.ToString(CultureInfo.InvariantCulture));
            w.WriteString(resumptionToken ?? string.Empty);
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
        }

        return sb.ToString();
    }

    /// <summary>Writes an OAI-PMH error answer (<c>noRecordsMatch</c>, <c>badResumptionToken</c>, …).</summary>
    public static string OaiError(string code, string message)
        => $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
            <responseDate>2025-02-27T09:14:55Z</responseDate>
            <request verb="ListRecords">https://arxiv.org/oai</request>
            <error code="{code}">{System.Security.SecurityElement.Escape(message)}</error>
            </OAI-PMH>
            """;

    /// <summary>arXiv's answer to an unknown category: HTTP 400 with a feed titled "Feed error for query: …".</summary>
    public static string RssFeedError(string query)
        => $"""
            <?xml version='1.0' encoding='UTF-8'?>
            <rss xmlns:atom="http://www.w3.org/2005/Atom" version="2.0">
              <channel>
                <title>Feed error for query: {System.Security.SecurityElement.Escape(query)}</title>
                <link>http://rss.arxiv.org/rss/{System.Security.SecurityElement.Escape(query)}</link>
                <description>Feed error for query: {System.Security.SecurityElement.Escape(query)}</description>
              </channel>
            </rss>
            """;

    /// <summary>An HTML maintenance page such as arXiv or a proxy shows when something is down.</summary>
    public const string HtmlErrorPage = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>arXiv is experiencing technical difficulties</title>
        </head>
        <body>
        <h1>We are experiencing technical difficulties</h1>
        <p>arXiv is temporarily unavailable. Please try again later.<br>
        </body>
        </html>
        """;

    private static string TypeName(AnnounceType type) => type switch
    {
        AnnounceType.Cross => "cross",
        AnnounceType.Replace => "replace",
        AnnounceType.ReplaceCross => "replace-cross",
        _ => "new",
    };

    private static void WriteLink(XmlWriter w, string href, string rel, string type, string? title)
    {
        w.WriteStartElement("link", AtomNs);
        w.WriteAttributeString("href", href);
        w.WriteAttributeString("rel", rel);
        w.WriteAttributeString("type", type);
        if (title is not null)
        {
            w.WriteAttributeString("title", title);
        }

        w.WriteEndElement();
    }

    /// <summary>
    /// Makes <paramref name="count"/> distinct papers for volume tests and benchmarks by cycling through the real papers
    /// of the reference digests and giving each copy its own identifier (<c>2502.1xxxx</c>).
    /// </summary>
    public static IReadOnlyList<Paper> SyntheticPapers(int count, string category = "cs.LG", DateOnly? announcedOn = null)
    {
        var real = ReferenceDigest.AllEntries();
        var papers = new List<Paper>(count);
        for (int i = 0; i < count; i++)
        {
            var source = real[i % real.Count].Paper;
            var id = ArxivId.Parse(string.Create(CultureInfo.InvariantCulture, $"2502.{10000 + i:00000}v1"));
            papers.Add(source with
            {
                Id = id,
                Categories = i % 7 == 0 ? [category, "cs.AI", "stat.ML"] : [category],
                PrimaryCategory = category,
                AnnounceType = i % 9 == 0 ? AnnounceType.Cross : AnnounceType.New,
                AnnouncedOn = announcedOn,
            });
        }

        return papers;
    }
}
