using System.Net;
using ArxivRank.Sources;
using ArxivRank.TestUtilities.Arxiv;

namespace ArxivRank.Tests.Sources;

/// <summary>Every scripted fault of the loopback arXiv, with the number of attempts, their timing on the fake clock, and the final outcome.</summary>
public class ResilienceTests
{
    private static readonly ArxivQuery LgToday = new() { Categories = ["cs.LG"] };
    private static readonly ArxivQuery OaiDay = new() { Categories = ["cs.LG"], From = new DateOnly(2025, 2, 26) };

    [Fact]
    public async Task Oai503WithRetryAfter_WaitsAsAskedThenSucceeds()
    {
        await using var host = await SourceTestHost.StartAsync();
        host.Arxiv.Enqueue(ArxivEndpoint.Oai, ArxivFault.ServiceUnavailable(retryAfter: TimeSpan.FromSeconds(20)));
        var source = host.Create(ArxivSourceKind.Oai);

        var result = await host.FetchAsync(source, OaiDay);

        host.Arxiv.Requests.Should().HaveCount(2);
        host.Arxiv.Requests[0].Fault.Should().Be("status 503 retry-after 20s");
        host.Gaps().Single().Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(20)).And.BeLessThan(TimeSpan.FromSeconds(22));
        result.Papers.Should().HaveCount(host.Arxiv.Catalog.Count);
    }

    [Fact]
    public async Task Rss429_RetriedAfterBackoffThenSucceeds()
    {
        await using var host = await SourceTestHost.StartAsync();
        host.Arxiv.Enqueue(ArxivEndpoint.Rss, ArxivFault.TooManyRequests(), ArxivFault.TooManyRequests());
        var source = host.Create(ArxivSourceKind.Rss, o => o.RetryBaseDelay = TimeSpan.FromSeconds(5));

        var result = await host.FetchAsync(source, LgToday);

        host.Arxiv.Requests.Should().HaveCount(3);
        host.Gaps().Should().OnlyContain(g => g >= TimeSpan.FromSeconds(3), "retries pass the politeness gate too");
        result.Status.Should().Be(FetchStatus.Fetched);
    }

    [Fact]
    public async Task Persistent503_GivesUpAfterMaxRetriesWithStatus()
    {
        await using var host = await SourceTestHost.StartAsync();
        host.Arxiv.Enqueue(ArxivEndpoint.Api, Enumerable.Range(0, 10).Select(_ => ArxivFault.ServiceUnavailable()).ToArray());
        var source = host.Create(ArxivSourceKind.Api, o => o.MaxRetryAttempts = 3);

        var ex = await host.FetchFailsAsync<ArxivSourceException>(source, new ArxivQuery { Ids = [ArxivId.Parse("2502.18435")] });

        host.Arxiv.Requests.Should().HaveCount(4, "one attempt and three retries");
        ex.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        ex.Message.Should().Contain("HTTP 503");
    }

    [Fact]
    public async Task HungResponse_AttemptTimesOutThenRetrySucceeds()
    {
        await using var host = await SourceTestHost.StartAsync();
        host.Arxiv.Enqueue(ArxivEndpoint.Rss, ArxivFault.Hang());
        var source = host.Create(ArxivSourceKind.Rss, o => o.AttemptTimeout = TimeSpan.FromSeconds(30));

        var result = await host.FetchAsync(source, LgToday);

        host.Arxiv.Requests.Should().HaveCount(2);
        host.Arxiv.Requests[0].Fault.Should().Be("hang");
        host.Gaps().Single().Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(30));
        result.Papers.Should().NotBeEmpty();
    }

    [Fact]
    public async Task AlwaysHung_FailsWithTimeoutMessage()
    {
        await using var host = await SourceTestHost.StartAsync();
        host.Arxiv.Enqueue(ArxivEndpoint.Rss, ArxivFault.Hang(), ArxivFault.Hang());
        var source = host.Create(ArxivSourceKind.Rss, o => (o.AttemptTimeout, o.MaxRetryAttempts) = (TimeSpan.FromSeconds(10), 1));

        var ex = await host.FetchFailsAsync<ArxivSourceException>(source, LgToday);

        host.Arxiv.Requests.Should().HaveCount(2);
        ex.Message.Should().Contain("did not answer in time");
        ex.StatusCode.Should().BeNull();
    }

    [Fact]
    public async Task StalledBody_ReadTimeoutThenSourceError()
    {
        await using var host = await SourceTestHost.StartAsync();
        host.Arxiv.Enqueue(ArxivEndpoint.Oai, ArxivFault.StalledBody(0.3));
        var source = host.Create(ArxivSourceKind.Oai, o => o.ReadTimeout = TimeSpan.FromSeconds(45));

        var ex = await host.FetchFailsAsync<ArxivSourceException>(source, OaiDay);

        ex.Message.Should().Contain("did not arrive within the read time-out of 00:00:45");
        ex.StatusCode.Should().Be(HttpStatusCode.OK);
        host.Arxiv.Requests.Should().ContainSingle("a body that stalls after its headers is not retried");
    }

    [Fact]
    public async Task TruncatedBodyConnectionCut_ThrowsWithBytePosition()
    {
        await using var host = await SourceTestHost.StartAsync();
        host.Arxiv.Enqueue(ArxivEndpoint.Rss, ArxivFault.TruncatedBody(0.5, abortConnection: true));
        var source = host.Create(ArxivSourceKind.Rss);

        var ex = await host.FetchFailsAsync<ArxivSourceException>(source, LgToday);

        ex.StatusCode.Should().Be(HttpStatusCode.OK);
        ex.Url!.AbsolutePath.Should().Be("/rss/cs.LG");
        ex.Position.Should().NotBeNullOrEmpty();
        ex.Message.Should().ContainAny("ended prematurely", "not well-formed");
    }

    [Fact]
    public async Task TruncatedXml_ThrowsWithLineAndColumn()
    {
        await using var host = await SourceTestHost.StartAsync();
        host.Arxiv.Enqueue(ArxivEndpoint.Api, ArxivFault.TruncatedBody(0.6, abortConnection: false));
        var source = host.Create(ArxivSourceKind.Api);

        var ex = await host.FetchFailsAsync<ArxivSourceException>(source, new ArxivQuery { Categories = ["cs.LG"], From = new DateOnly(2025, 2, 18) });

        ex.Position.Should().MatchRegex(@"^line \d+, column \d+$");
        ex.Message.Should().Contain("not well-formed XML").And.Contain("truncated");
        ex.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task HtmlErrorPage_ThrowsNamingThePage()
    {
        await using var host = await SourceTestHost.StartAsync();
        host.Arxiv.Enqueue(ArxivEndpoint.Rss, ArxivFault.HtmlErrorPage());
        var source = host.Create(ArxivSourceKind.Rss);

        var ex = await host.FetchFailsAsync<ArxivSourceException>(source, LgToday);

        ex.Message.Should().Contain("HTML page").And.Contain("arXiv is experiencing technical difficulties");
        host.Arxiv.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task HtmlPageLabelledAsXml_StillRecognized()
    {
        await using var host = await SourceTestHost.StartAsync();
        host.Arxiv.Enqueue(ArxivEndpoint.Oai, ArxivFault.HtmlAsXml());
        var source = host.Create(ArxivSourceKind.Oai);

        var ex = await host.FetchFailsAsync<ArxivSourceException>(source, OaiDay);

        ex.Message.Should().Contain("HTML page");
    }

    [Fact]
    public async Task HtmlMaintenancePageLabelledAsAtom_RecognizedByItsRoot()
    {
        await using var host = await SourceTestHost.StartAsync();
        host.Arxiv.ApiResponder = _ => (200, ArxivFixtures.Read("html/service-unavailable.html"));
        var source = host.Create(ArxivSourceKind.Api);

        var ex = await host.FetchFailsAsync<ArxivSourceException>(source, new ArxivQuery { Ids = [ArxivId.Parse("2502.18435")] });

        ex.Message.Should().Contain("HTML page").And.Contain("arXiv is experiencing technical difficulties");
        ex.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Html503Page_RetriedThenSucceeds()
    {
        await using var host = await SourceTestHost.StartAsync();
        host.Arxiv.Enqueue(ArxivEndpoint.Rss, ArxivFault.HtmlErrorPage(503));
        var source = host.Create(ArxivSourceKind.Rss);

        var result = await host.FetchAsync(source, LgToday);

        host.Arxiv.Requests.Should().HaveCount(2);
        result.Papers.Should().NotBeEmpty();
    }

    [Fact]
    public async Task EmptyOk_ThrowsEmptyBody()
    {
        await using var host = await SourceTestHost.StartAsync();
        host.Arxiv.Enqueue(ArxivEndpoint.Api, ArxivFault.EmptyOk());
        var source = host.Create(ArxivSourceKind.Api);

        var ex = await host.FetchFailsAsync<ArxivSourceException>(source, new ArxivQuery { Ids = [ArxivId.Parse("2502.18435")] });

        ex.Message.Should().Contain("empty body");
        ex.StatusCode.Should().Be(HttpStatusCode.OK);
        ex.Position.Should().Be("byte 0");
    }

    [Fact]
    public async Task RepeatedFailures_CircuitOpensAndFailsFast()
    {
        await using var host = await SourceTestHost.StartAsync();
        host.Arxiv.Enqueue(ArxivEndpoint.Rss, Enumerable.Range(0, 20).Select(_ => ArxivFault.Status(500)).ToArray());
        var source = host.Create(ArxivSourceKind.Rss, o => (o.MaxRetryAttempts, o.CircuitBreakerMinimumThroughput) = (0, 3));

        for (int i = 0; i < 3; i++)
        {
            await host.FetchFailsAsync<ArxivSourceException>(source, LgToday);
        }

        var ex = await host.FetchFailsAsync<ArxivSourceException>(source, LgToday);

        host.Arxiv.Requests.Should().HaveCount(3, "the fourth call never left the process");
        ex.Message.Should().Contain("circuit breaker is open");
    }

    [Fact]
    public async Task ThreeSourcesOneClock_ShareOnePacingGate()
    {
        await using var host = await SourceTestHost.StartAsync();
        var rss = host.Create(ArxivSourceKind.Rss);
        var api = host.Create(ArxivSourceKind.Api);
        var oai = host.Create(ArxivSourceKind.Oai);

        await host.Arxiv.RunAsync(host.Clock, () => Task.WhenAll(
            rss.FetchAsync(new ArxivQuery { Categories = ["cs.LG", "cs.AI"] }),
            api.FetchAsync(new ArxivQuery { Ids = [host.Arxiv.Catalog[0].Id] }),
            oai.FetchAsync(OaiDay)));

        host.Arxiv.Requests.Select(r => r.Endpoint).Should().Contain([ArxivEndpoint.Rss, ArxivEndpoint.Api, ArxivEndpoint.Oai]);
        host.Arxiv.Requests.Should().HaveCount(4);
        host.Gaps().Should().HaveCount(3).And.OnlyContain(g => g >= TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task Cancellation_ThrowsOperationCanceled()
    {
        await using var host = await SourceTestHost.StartAsync();
        host.Arxiv.Enqueue(ArxivEndpoint.Rss, ArxivFault.Hang());
        var source = host.Create(ArxivSourceKind.Rss);
        using var cts = new CancellationTokenSource();

        var fetch = source.FetchAsync(LgToday, cts.Token);
        for (int i = 0; i < 2000 && host.Arxiv.HangingRequests == 0 && !fetch.IsCompleted; i++)
        {
            await Task.Delay(5);
        }

        host.Arxiv.HangingRequests.Should().Be(1, "the request should be held by the double before we cancel");

        await cts.CancelAsync();

        await fetch.Invoking(f => f).Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task CancellationWhileBodyStalls_ThrowsOperationCanceled()
    {
        await using var host = await SourceTestHost.StartAsync();
        host.Arxiv.Enqueue(ArxivEndpoint.Rss, ArxivFault.StalledBody(0.3));
        var source = host.Create(ArxivSourceKind.Rss);
        using var cts = new CancellationTokenSource();

        var fetch = source.FetchAsync(LgToday, cts.Token);
        for (int i = 0; i < 2000 && host.Arxiv.HangingRequests == 0 && !fetch.IsCompleted; i++)
        {
            await Task.Delay(5);
        }

        host.Arxiv.HangingRequests.Should().Be(1, "the request should be held by the double before we cancel");

        await cts.CancelAsync();

        var done = await Task.WhenAny(fetch, Task.Delay(5000));
        done.Should().BeSameAs(fetch, "the fetch should end once canceled");
        await fetch.Invoking(f => f).Should().ThrowAsync<OperationCanceledException>();
    }
}
