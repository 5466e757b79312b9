using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using ArxivRank.Pipeline;

namespace ArxivRank.Rendering;

/// <summary>Options of the Atom feed (<see cref="DigestArchive.RenderAtomAsync(IEnumerable{Digest}, IDigestOutput, AtomFeedOptions?, CancellationToken)"/>).</summary>
public sealed class AtomFeedOptions
{
    /// <summary>Gets or sets the address the archive is published at (<c>https://example.org/papers/</c>); links become absolute under it.</summary>
    /// <value><see langword="null"/> by default: links relative to the feed, for an archive read from disk.</value>
    public Uri? SiteUrl { get; set; }

    /// <summary>Gets or sets the feed's title.</summary>
    /// <value><c>Personalized Daily arXiv Papers</c> by default, as the HTML archive.</value>
    public string Title { get; set; } = "Personalized Daily arXiv Papers";

    /// <summary>Gets or sets how many days back from the newest digest the feed reaches.</summary>
    /// <value>30 by default; 1 to 366.</value>
    public int Days { get; set; } = 30;

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public void Validate()
    {
        DigestRendererOptions.Require(SiteUrl is null || (SiteUrl.IsAbsoluteUri && (SiteUrl.Scheme == Uri.UriSchemeHttps || SiteUrl.Scheme == Uri.UriSchemeHttp)), $"{nameof(AtomFeedOptions)}.{nameof(SiteUrl)} (siteUrl) must be an absolute http(s) URL.");
        DigestRendererOptions.Require(!string.IsNullOrWhiteSpace(Title), $"{nameof(AtomFeedOptions)}.{nameof(Title)} must not be empty.");
        DigestRendererOptions.Require(Days is >= 1 and <= 366, $"{nameof(AtomFeedOptions)}.{nameof(Days)} (feedDays) must be between 1 and 366 (was {Days}).");
    }
}

/// <summary>Writes the archive's Atom 1.0 feed (RFC 4287): one entry per selected paper of the last days.</summary>
internal static class AtomFeed
{
    private const string AtomNamespace = "http://www.w3.org/2005/Atom";

    public static async Task WriteAsync(IReadOnlyList<Digest> digests, IDigestOutput output, AtomFeedOptions options, CancellationToken cancellationToken)
    {
        var newest = digests.Count == 0 ? (DateOnly?)null : digests.Max(d => d.Date);
        var window = digests.Where(d => newest is { } n && d.Date > n.AddDays(-options.Days)).OrderByDescending(d => d.Date).ToList();
        string? site = options.SiteUrl is { } s ? (s.AbsoluteUri.EndsWith('/') ? s.AbsoluteUri : s.AbsoluteUri + "/") : null;
        var stream = await output.CreateAsync(DigestOutputNames.AtomFeed, "application/atom+xml", cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var settings = new XmlWriterSettings { Async = true, Encoding = new UTF8Encoding(false), Indent = true, CheckCharacters = true };
            var writer = XmlWriter.Create(stream, settings);
            await using (writer.ConfigureAwait(false))
            {
                await writer.WriteStartDocumentAsync().ConfigureAwait(false);
                writer.WriteStartElement(null, "feed", AtomNamespace);
                writer.WriteElementString("id", AtomNamespace, site is null ? FeedUrn(options.Title) : site + DigestOutputNames.AtomFeed);
                Text(writer, "title", options.Title);
                writer.WriteElementString("updated", AtomNamespace, Timestamp(newest ?? new DateOnly(1970, 1, 1)));
                Link(writer, site is null ? DigestOutputNames.ArchiveIndex : site + DigestOutputNames.ArchiveIndex, "alternate", "text/html");
                if (site is not null)
                {
                    Link(writer, site + DigestOutputNames.AtomFeed, "self", "application/atom+xml");
                }

                writer.WriteStartElement("author", AtomNamespace);
                writer.WriteElementString("name", AtomNamespace, "ArxivRank");
                writer.WriteEndElement();
                writer.WriteElementString("generator", AtomNamespace, "ArxivRank");
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var digest in window)
                {
                    for (int i = 0; i < digest.Papers.Count; i++)
                    {
                        var (paper, score) = digest.Papers[i];
                        string id = paper.AbsUri.AbsoluteUri;
                        if (!seen.Add(id))
                        {
                            continue; // the newest day that selected a paper keeps its entry
                        }

                        WriteEntry(writer, digest, paper, score, i + 1, site);
                    }

                    cancellationToken.ThrowIfCancellationRequested();
                    await writer.FlushAsync().ConfigureAwait(false);
                }

                await writer.WriteEndElementAsync().ConfigureAwait(false);
                await writer.WriteEndDocumentAsync().ConfigureAwait(false);
                await writer.FlushAsync().ConfigureAwait(false);
            }
        }
    }

    private static void WriteEntry(XmlWriter writer, Digest digest, Paper paper, Scoring.PaperScore score, int rank, string? site)
    {
        writer.WriteStartElement("entry", AtomNamespace);
        writer.WriteElementString("id", AtomNamespace, paper.AbsUri.AbsoluteUri);
        Text(writer, "title", RenderText.Display(paper.Title) is { Length: > 0 } title ? title : "arXiv:" + paper.Id.Id);
        writer.WriteElementString("updated", AtomNamespace, Timestamp(digest.Date));
        Link(writer, paper.AbsUri.AbsoluteUri, "alternate", "text/html");
        string page = DigestOutputNames.Daily(digest.Date, "html") + "#paper-" + rank.ToString(CultureInfo.InvariantCulture);
        Link(writer, site is null ? page : site + page, "related", "text/html");
        foreach (string author in paper.Authors.Select(RenderText.Display).Where(a => a.Length > 0))
        {
            writer.WriteStartElement("author", AtomNamespace);
            writer.WriteElementString("name", AtomNamespace, author);
            writer.WriteEndElement();
        }

        foreach (string category in paper.Categories.Where(c => !string.IsNullOrWhiteSpace(c)))
        {
            writer.WriteStartElement("category", AtomNamespace);
            writer.WriteAttributeString("term", category.Trim());
            writer.WriteEndElement();
        }

        string summary = RenderText.ScoreSummary(score);
        string? comment = score.Origin == Scoring.ScoreOrigin.AuthorMatch || string.IsNullOrWhiteSpace(score.Comment) ? null : RenderText.Display(score.Comment);
        Text(writer, "summary", comment is null ? summary : summary.Length == 0 ? comment : comment + " (" + summary + ")");
        writer.WriteEndElement();
    }

    private static void Text(XmlWriter writer, string name, string text)
    {
        writer.WriteStartElement(name, AtomNamespace);
        writer.WriteAttributeString("type", "text");
        writer.WriteString(XmlSafe(text));
        writer.WriteEndElement();
    }

    private static void Link(XmlWriter writer, string href, string rel, string type)
    {
        writer.WriteStartElement("link", AtomNamespace);
        writer.WriteAttributeString("rel", rel);
        writer.WriteAttributeString("type", type);
        writer.WriteAttributeString("href", href);
        writer.WriteEndElement();
    }

    /// <summary>Drops characters XML 1.0 cannot carry (stray control characters in feed text).</summary>
    private static string XmlSafe(string text)
    {
        foreach (char c in text)
        {
            if (!XmlConvert.IsXmlChar(c) && !char.IsSurrogate(c))
            {
                return new string([.. text.Where(ch => XmlConvert.IsXmlChar(ch) || char.IsSurrogate(ch))]);
            }
        }

        return text;
    }

    private static string Timestamp(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T00:00:00Z";

    private static string FeedUrn(string title)
        => "urn:arxivrank:feed:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(title)))[..16];

    /// <summary>Loads the digests of the feed's window from a store.</summary>
    public static async Task<IReadOnlyList<Digest>> LoadAsync(IDigestStore store, int days, CancellationToken cancellationToken)
    {
        var newest = await store.GetLastProcessedAsync(cancellationToken).ConfigureAwait(false);
        if (newest is not { } last)
        {
            return [];
        }

        var digests = new List<Digest>();
        foreach (var day in await store.GetHistoryAsync(last.AddDays(1 - days), last, cancellationToken).ConfigureAwait(false))
        {
            if (await store.LoadDigestAsync(day.Date, cancellationToken).ConfigureAwait(false) is { } digest)
            {
                digests.Add(digest);
            }
        }

        return digests;
    }
}
