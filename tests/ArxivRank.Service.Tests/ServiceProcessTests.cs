using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using ArxivRank.TestUtilities.Arxiv;
using ArxivRank.TestUtilities.Redis;

namespace ArxivRank.Service.Tests;

/// <summary>Two real service processes on loopback, with a real Redis and PostgreSQL; one is killed with SIGKILL mid-run.</summary>
public sealed class ServiceProcessTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task TwoNodes_OneKilledAfterAFifth_TheSurvivorServesAllFortyDigests()
    {
        // Arrange: 40 readers with 4 distinct criteria; every model answer takes a while so the kill lands mid-run.
        await using var world = await ServiceWorld.StartAsync(modelDelay: TimeSpan.FromMilliseconds(100));
        await using var redis = await RedisServer.StartAsync();
        var readers = ServiceWorld.Readers(40, distinctCriteria: 4);
        string cluster = "test-" + Guid.NewGuid().ToString("N")[..8];
        await using var a = ServiceProcess.Start(world, redis, cluster);
        await using var b = ServiceProcess.Start(world, redis, cluster);
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(3) };
        await a.WaitHealthyAsync(http);
        await b.WaitHealthyAsync(http);
        for (int i = 0; i < readers.Count; i++)
        {
            using var put = await PutAsync(http, (i % 2 == 0 ? a : b).Url, readers[i].Id, ServiceWorld.ProfileJson(readers[i].Criteria, "llm"));
            put.StatusCode.Should().Be(HttpStatusCode.Created, await put.Content.ReadAsStringAsync());
        }

        using (var replaced = await PutAsync(http, b.Url, readers[0].Id, ServiceWorld.ProfileJson(readers[0].Criteria, "llm")))
        using (var file = await PutAsync(http, a.Url, "mallory", "{\"criteria\": \"/etc/passwd\", \"categories\": [\"cs.LG\"]}"))
        using (var badId = await PutAsync(http, a.Url, "..hidden", ServiceWorld.ProfileJson(readers[0].Criteria, "llm")))
        using (var unknownKey = await PutAsync(http, a.Url, "mallory", "{\"criteriaText\": \"x\", \"shell\": \"rm\"}"))
        {
            replaced.StatusCode.Should().Be(HttpStatusCode.OK, "a second PUT replaces the profile");
            file.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            (await file.Content.ReadAsStringAsync()).Should().Contain("names a file on the server");
            badId.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            unknownKey.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        }

        // Act: start the day on one node, ask the other for progress, kill the first after a fifth of the digests.
        using var post = await http.PostAsync(new Uri(a.Url, "runs"), null);
        var started = await post.Content.ReadFromJsonAsync<RunStarted>();
        using var again = await http.PostAsync(new Uri(b.Url, "runs"), null);
        var second = await again.Content.ReadFromJsonAsync<RunStarted>();
        var atKill = await WaitDoneAsync(http, b.Url, started!.Date!, 8);
        a.Kill();
        var progress = await WaitDoneAsync(http, b.Url, started.Date!, 40);

        // Assert
        post.StatusCode.Should().Be(HttpStatusCode.Accepted);
        started.Date.Should().Be("2025-02-26");
        second!.Date.Should().Be("2025-02-26", "a second POST the same day returns the same date and starts nothing new");
        atKill.Done.Should().BeLessThan(40, "the node died mid-run");
        progress.Should().Be(new RunProgress(40, 40, 0), b.Log);
        int fetches = world.Arxiv.Requests.Count(r => r.Endpoint == ArxivEndpoint.Rss);
        fetches.Should().BeLessThanOrEqualTo(2, "the feed is fetched at most twice for the whole cluster");
        int serviceCalls = world.Chat.RequestCount;

        var expected = new Dictionary<string, IReadOnlyList<string>>();
        int oneReadersCalls = 0;
        foreach (string criteria in ServiceWorld.Criteria)
        {
            var (ids, calls) = await world.ReferenceSelectionAsync(criteria, "llm");
            (expected[criteria], oneReadersCalls) = (ids, calls);
        }

        foreach (var (id, criteria) in readers)
        {
            using var response = await http.GetAsync(new Uri(b.Url, $"readers/{id}/digests/2025-02-26"));
            response.StatusCode.Should().Be(HttpStatusCode.OK, id);
            using var document = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            ArxivRank.Rendering.DigestJson.Read(document.RootElement).Papers.Select(p => p.Paper.Id.ToString())
                .Should().Equal(expected[criteria], $"{id}'s digest equals the single-reader digest of its criteria");
        }

        output.WriteLine($"done at kill: {atKill.Done}/40; feed fetches: {fetches}; model calls: {serviceCalls} for 40 readers, {oneReadersCalls} for one reader");
        serviceCalls.Should().BeLessThanOrEqualTo(6 * oneReadersCalls, "readers who share criteria share scores: about 4x one reader's calls, not 40x");
        (await http.GetAsync(new Uri(b.Url, "readers/nobody/digests/2025-02-26"))).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    private static Task<HttpResponseMessage> PutAsync(HttpClient http, Uri node, string id, string json)
        => http.PutAsync(new Uri(node, $"readers/{id}"), new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task<RunProgress> WaitDoneAsync(HttpClient http, Uri node, string date, int done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        RunProgress? progress = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                progress = await http.GetFromJsonAsync<RunProgress>(new Uri(node, $"runs/{date}"));
                if (progress!.Done + progress.Failed >= done)
                {
                    return progress;
                }
            }
            catch (HttpRequestException)
            {
                // The node is busy noticing its peer's death.
            }

            await Task.Delay(250);
        }

        return progress ?? new RunProgress(0, 0, 0);
    }

    /// <summary>One real node: <c>dotnet ArxivRank.Service.dll</c> configured through environment variables, as in production.</summary>
    private sealed class ServiceProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _log = new();

        private ServiceProcess(Process process, Uri url)
        {
            _process = process;
            Url = url;
        }

        public Uri Url { get; }

        public string Log
        {
            get
            {
                lock (_log)
                {
                    return _log.ToString();
                }
            }
        }

        public static ServiceProcess Start(ServiceWorld world, RedisServer redis, string cluster)
        {
            int http = RedisServer.FreePort();
            string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
            var info = new ProcessStartInfo(dotnet)
            {
                ArgumentList = { Path.Combine(AppContext.BaseDirectory, "ArxivRank.Service.dll") },
                WorkingDirectory = AppContext.BaseDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var (key, value) in world.Settings("llm"))
            {
                info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
            }

            info.Environment["ConnectionStrings__Orleans"] = redis.ConnectionString;
            info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{http}";
            info.Environment["Orleans__ClusterId"] = cluster;
            info.Environment["Orleans__ServiceId"] = "arxivrank-test";
            info.Environment["Orleans__Endpoints__SiloPort"] = RedisServer.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
            info.Environment["Orleans__Endpoints__GatewayPort"] = RedisServer.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
            info.Environment["Orleans__Endpoints__AdvertisedIPAddress"] = "127.0.0.1";
            info.Environment["Orleans__Membership__ProbeTimeout"] = "00:00:01";
            info.Environment["Orleans__Membership__NumMissedProbesLimit"] = "2";
            info.Environment["Orleans__Membership__IAmAliveTablePublishTimeout"] = "00:00:02";
            info.Environment["Logging__LogLevel__Default"] = "Warning";
            var process = Process.Start(info)!;
            var node = new ServiceProcess(process, new Uri($"http://127.0.0.1:{http}/"));
            process.OutputDataReceived += (_, e) => node.Append(e.Data);
            process.ErrorDataReceived += (_, e) => node.Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return node;
        }

        public async Task WaitHealthyAsync(HttpClient http)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
            while (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                try
                {
                    using var response = await http.GetAsync(new Uri(Url, "healthz"));
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }

                await Task.Delay(200);
            }

            throw new InvalidOperationException($"The node at {Url} did not become healthy:\n{Log}");
        }

        /// <summary>SIGKILL: the process gets no chance to leave the cluster or finish anything.</summary>
        public void Kill() => _process.Kill(entireProcessTree: true);

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
            _process.Dispose();
        }

        private void Append(string? line)
        {
            if (line is not null)
            {
                lock (_log)
                {
                    _log.AppendLine(line);
                }
            }
        }
    }
}
