using System.Net;
using ArxivRank.TestUtilities.Arxiv;

namespace ArxivRank.Tests.Sources;

/// <summary>The loopback arXiv double itself, which the pipeline and end-to-end tests reuse.</summary>
public class ArxivDoubleTests
{
    [Fact]
    public async Task Atom_SetDocument_ServedAtAtomPath()
    {
        await using var arxiv = await ArxivDouble.StartAsync();
        string atom = ArxivFixtures.Read("atom/cs.LG.xml");
        arxiv.SetAtom("cs.LG", atom);
        using var client = new HttpClient();

        string body = await client.GetStringAsync(new Uri(arxiv.BaseUrl, "atom/cs.LG"));

        body.Should().Be(atom);
        arxiv.Requests.Should().ContainSingle().Which.Endpoint.Should().Be(ArxivEndpoint.Atom);
    }

    [Fact]
    public async Task UnknownPath_404AndUnknownCategory_400FeedError()
    {
        await using var arxiv = await ArxivDouble.StartAsync();
        using var client = new HttpClient();

        var notFound = await client.GetAsync(new Uri(arxiv.BaseUrl, "abs/2502.18435"));
        var badCategory = await client.GetAsync(new Uri(arxiv.BaseUrl, "rss/cs.XX"));

        notFound.StatusCode.Should().Be(HttpStatusCode.NotFound);
        badCategory.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await badCategory.Content.ReadAsStringAsync()).Should().Contain("Feed error for query: cs.XX");
    }

    [Fact]
    public async Task Enqueue_FaultsServedOnceEachInOrderThenNormal()
    {
        await using var arxiv = await ArxivDouble.StartAsync();
        arxiv.Enqueue(ArxivEndpoint.Rss, ArxivFault.TooManyRequests(TimeSpan.FromSeconds(7)), ArxivFault.EmptyOk());
        using var client = new HttpClient();
        var url = new Uri(arxiv.BaseUrl, "rss/cs.LG");

        var first = await client.GetAsync(url);
        var second = await client.GetAsync(url);
        var third = await client.GetAsync(url);

        first.StatusCode.Should().Be((HttpStatusCode)429);
        first.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(7));
        (await second.Content.ReadAsStringAsync()).Should().BeEmpty();
        (await third.Content.ReadAsStringAsync()).Should().StartWith("<?xml");
        arxiv.Requests.Select(r => r.Fault).Should().Equal("status 429 retry-after 7s", "status 200", null);
    }
}
