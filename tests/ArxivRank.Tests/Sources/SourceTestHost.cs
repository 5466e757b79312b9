using System.Xml;
using ArxivRank.Sources;
using ArxivRank.Sources.Xml;
using ArxivRank.TestUtilities.Arxiv;
using Microsoft.Extensions.Time.Testing;

namespace ArxivRank.Tests.Sources;

/// <summary>A loopback arXiv double with a fake clock, and sources pointed at it.</summary>
internal sealed class SourceTestHost : IAsyncDisposable
{
    private SourceTestHost(FakeTimeProvider clock, ArxivDouble arxiv)
    {
        Clock = clock;
        Arxiv = arxiv;
    }

    public FakeTimeProvider Clock { get; }

    public ArxivDouble Arxiv { get; }

    public static async Task<SourceTestHost> StartAsync()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 2, 26, 12, 0, 0, TimeSpan.Zero));
        return new SourceTestHost(clock, await ArxivDouble.StartAsync(clock));
    }

    public ArxivSourceOptions Options(Action<ArxivSourceOptions>? configure = null)
    {
        var options = new ArxivSourceOptions { BaseUrl = Arxiv.BaseUrl, Contact = "tests@arxivrank.invalid" };
        configure?.Invoke(options);
        return options;
    }

    public IArxivSource Create(ArxivSourceKind kind, Action<ArxivSourceOptions>? configure = null)
        => ArxivSources.Create(kind, Options(configure), Clock, Arxiv.CreateClientHandler());

    public Task<SourceResult> FetchAsync(IArxivSource source, ArxivQuery query)
        => Arxiv.RunAsync(Clock, () => source.FetchAsync(query));

    /// <summary>Runs a fetch expected to throw, and returns the exception.</summary>
    public async Task<TException> FetchFailsAsync<TException>(IArxivSource source, ArxivQuery query)
        where TException : Exception
    {
        var act = () => Arxiv.RunAsync(Clock, () => source.FetchAsync(query));
        return (await act.Should().ThrowAsync<TException>()).Which;
    }

    /// <summary>The gaps between consecutive requests, on the fake clock.</summary>
    public IReadOnlyList<TimeSpan> Gaps()
    {
        var requests = Arxiv.Requests;
        return [.. requests.Zip(requests.Skip(1), (a, b) => b.Time - a.Time)];
    }

    public async ValueTask DisposeAsync() => await Arxiv.DisposeAsync();
}

/// <summary>The fixture files under TestData/arxiv, in arXiv's real formats.</summary>
internal static class ArxivFixtures
{
    public static string Read(string relativePath)
        => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "arxiv", relativePath.Replace('/', Path.DirectorySeparatorChar)));

    public static XmlReader Reader(string xml) => XmlReader.Create(new StringReader(xml), ArxivXml.ReaderSettings);

    public static readonly Uri Url = new("https://rss.arxiv.org/rss/cs.LG");

    public static readonly DateOnly Announcement = new(2025, 2, 26);
}
