using ArxivRank.Sources.Http;
using ArxivRank.Tests.Sources;
using ArxivRank.TestUtilities.Arxiv;

namespace ArxivRank.Tests.Reliability;

/// <summary>arXiv's request gate shared between processes through the per-user lock file.</summary>
public sealed class SharedPacingTests
{
    [Fact]
    public async Task Fetch_TwoProcessesAtOnce_KeepTheIntervalBetweenAllTheirRequests()
    {
        // Arrange: two categories each, so each process alone would also pace itself.
        await using var arxiv = await ArxivDouble.StartAsync();
        arxiv.SetRss("cs.LG", ArxivFixtures.Read("rss/cs.LG.xml")).SetRss("cs.AI", ArxivFixtures.Read("rss/cs.AI.xml"));
        string[] args = ["fetch", "--base-url", arxiv.BaseUrl.ToString(), "--categories", "cs.LG,cs.AI", "--request-interval", "2"];

        // Act: as two cron jobs (or a cron job and the Host) would.
        using var first = CliProcess.Start(args);
        using var second = CliProcess.Start(args);
        await Task.WhenAll(first.WaitForExitAsync(TimeSpan.FromMinutes(1)), second.WaitForExitAsync(TimeSpan.FromMinutes(1)));

        // Assert: four requests, every start at least the interval after the previous one, whichever process sent it.
        first.ExitCode.Should().Be(0, first.Stderr);
        second.ExitCode.Should().Be(0, second.Stderr);
        var starts = arxiv.Requests.Select(r => r.Time).Order().ToList();
        starts.Should().HaveCount(4);
        string trace = string.Join("; ", arxiv.Requests.OrderBy(r => r.Time).Select(r => $"{r.Time:HH:mm:ss.fff} {r.Path}")) + "\n" + first.Stderr + second.Stderr;
        // Arrival times at the server carry each process's latency after the gate (a cold process compiles its HTTP
        // stack after its turn, up to a second on a busy machine), so single gaps get slack; the span does not.
        starts.Zip(starts.Skip(1), (a, b) => b - a).Should().OnlyContain(gap => gap >= TimeSpan.FromMilliseconds(600), "the gate is shared (unshared, the two first requests arrive milliseconds apart): {0}", trace);
        (starts[^1] - starts[0]).Should().BeGreaterThan(TimeSpan.FromSeconds(4), "three intervals of 2 s, less the first request's start-up latency (unshared: one interval): {0}", trace);
    }

    [Fact]
    public async Task WaitAsync_CallersOnTheSameFile_QueueOneIntervalApart()
    {
        string folder = Path.Combine(Path.GetTempPath(), "arxivrank-pacing-" + Guid.NewGuid().ToString("N"));
        var a = PacingLockFile.For(new Uri("http://127.0.0.1:1234/"), folder, TimeProvider.System)!;
        var b = PacingLockFile.For(new Uri("http://127.0.0.1:1234/"), folder, TimeProvider.System)!;
        var other = PacingLockFile.For(new Uri("http://127.0.0.1:5678/"), folder, TimeProvider.System)!;
        try
        {
            var first = await a.WaitAsync(TimeSpan.FromMilliseconds(300), default);
            var pair = await Task.WhenAll(b.WaitAsync(TimeSpan.FromMilliseconds(300), default).AsTask(), a.WaitAsync(TimeSpan.FromMilliseconds(300), default).AsTask());
            var second = pair.Min();
            var third = pair.Max();
            var otherHost = await other.WaitAsync(TimeSpan.FromMilliseconds(300), default);

            first.Should().Be(TimeSpan.Zero);
            second.Should().BeGreaterThan(TimeSpan.FromMilliseconds(200));
            third.Should().BeGreaterThan(TimeSpan.FromMilliseconds(500), "a slot two intervals ahead is honored, not cut to one");
            otherHost.Should().Be(TimeSpan.Zero, "each host has its own gate");
            a.Path.Should().Be(b.Path).And.NotBe(other.Path);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
