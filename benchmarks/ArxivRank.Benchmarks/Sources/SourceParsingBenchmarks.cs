using System.Text;
using System.Xml;
using System.Xml.Linq;
using ArxivRank;
using ArxivRank.Sources.Api;
using ArxivRank.Sources.Rss;
using ArxivRank.Sources.Xml;
using ArxivRank.TestUtilities.Arxiv;
using BenchmarkDotNet.Attributes;

namespace ArxivRank.Benchmarks.Sources;

/// <summary>Parsing a 1,000-item daily RSS feed: the streaming <see cref="XmlReader"/> parser against the naive DOM way.</summary>
[MemoryDiagnoser]
public class RssParseBenchmark
{
    private const int Items = 1000;
    private byte[] _document = [];

    [GlobalSetup]
    public void Setup()
        => _document = Encoding.UTF8.GetBytes(ArxivFeedWriter.Rss("cs.LG", new DateOnly(2025, 2, 26), ArxivFeedWriter.SyntheticPapers(Items)));

    [Benchmark(Baseline = true, Description = "XDocument (DOM)")]
    public int XDocumentDom()
    {
        XNamespace arxiv = "http://arxiv.org/schemas/atom";
        XNamespace dc = "http://purl.org/dc/elements/1.1/";
        var doc = XDocument.Load(new MemoryStream(_document));
        var papers = doc.Root!.Element("channel")!.Elements("item").Select(item =>
        {
            string description = (string?)item.Element("description") ?? string.Empty;
            int at = description.IndexOf("Abstract:", StringComparison.Ordinal);
            return new Paper
            {
                Id = ArxivId.Parse((string)item.Element("guid")!),
                Title = ArxivXml.CollapseWhitespace((string?)item.Element("title")),
                Authors = ((string?)item.Element(dc + "creator") ?? string.Empty).Split(", "),
                Abstract = at < 0 ? description : description[(at + 9)..].Trim(),
                Categories = item.Elements("category").Select(c => c.Value).ToList(),
                AnnounceType = RssFeedParser.ParseAnnounceType((string?)item.Element(arxiv + "announce_type")),
            };
        }).ToList();
        return papers.Count;
    }

    [Benchmark(Description = "XmlReader streaming (ArxivRank)")]
    public async Task<int> Streaming()
    {
        using var reader = XmlReader.Create(new MemoryStream(_document), ArxivXml.ReaderSettings);
        var feed = await RssFeedParser.ParseAsync(reader, null, default);
        return feed.Items.Count;
    }
}

/// <summary>Parsing a 2,000-entry export-API page: the streaming parser against the naive DOM way.</summary>
[MemoryDiagnoser]
public class ApiParseBenchmark
{
    private const int Entries = 2000;
    private byte[] _document = [];

    [GlobalSetup]
    public void Setup()
        => _document = Encoding.UTF8.GetBytes(ArxivFeedWriter.Api(ArxivFeedWriter.SyntheticPapers(Entries), Entries, 0, Entries));

    [Benchmark(Baseline = true, Description = "XDocument (DOM)")]
    public int XDocumentDom()
    {
        XNamespace atom = "http://www.w3.org/2005/Atom";
        XNamespace arxiv = "http://arxiv.org/schemas/atom";
        var doc = XDocument.Load(new MemoryStream(_document));
        var papers = doc.Root!.Elements(atom + "entry").Select(e => new Paper
        {
            Id = ArxivId.Parse((string)e.Element(atom + "id")!),
            Title = ArxivXml.CollapseWhitespace((string?)e.Element(atom + "title")),
            Abstract = ArxivXml.CollapseWhitespace((string?)e.Element(atom + "summary")),
            Authors = e.Elements(atom + "author").Select(a => (string)a.Element(atom + "name")!).ToList(),
            Categories = e.Elements(atom + "category").Select(c => (string)c.Attribute("term")!).ToList(),
            PrimaryCategory = (string?)e.Element(arxiv + "primary_category")?.Attribute("term"),
            Published = (DateTimeOffset?)e.Element(atom + "published"),
        }).ToList();
        return papers.Count;
    }

    [Benchmark(Description = "XmlReader streaming (ArxivRank)")]
    public async Task<int> Streaming()
    {
        using var reader = XmlReader.Create(new MemoryStream(_document), ArxivXml.ReaderSettings);
        var page = await ApiFeedParser.ParseAsync(reader, null, default);
        return page.Entries.Count;
    }
}
