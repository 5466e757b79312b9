using ArxivRank.Tests.Cli;
using ArxivRank.TestUtilities.Arxiv;

namespace ArxivRank.Tests.Sources;

/// <summary><c>arxivrank fetch</c> run in-process against the loopback arXiv double through <c>--base-url</c>.</summary>
public class FetchCommandTests
{
    private static async Task<ArxivDouble> StartAsync()
    {
        var arxiv = await ArxivDouble.StartAsync();
        arxiv.SetRss("cs.LG", ArxivFixtures.Read("rss/cs.LG.xml")).SetRss("cs.AI", ArxivFixtures.Read("rss/cs.AI.xml"));
        return arxiv;
    }

    private static Task<CliRun> FetchAsync(ArxivDouble arxiv, params string[] args)
        => CliRunner.RunAsync(["fetch", "--base-url", arxiv.BaseUrl.ToString(), .. args.Contains("--request-interval") ? args : ["--request-interval", "0", .. args]]);

    private static async Task<List<Paper>> ReadPapersAsync(string jsonLines)
    {
        var papers = new List<Paper>();
        await foreach (var line in PaperJsonLines.ReadAsync(new StringReader(jsonLines)))
        {
            line.Error.Should().BeNull();
            papers.Add(line.Paper!);
        }

        return papers;
    }

    [Fact]
    public async Task Fetch_RssTwoCategories_PapersAsJsonLinesAndCountsOnStderr()
    {
        await using var arxiv = await StartAsync();

        var run = await FetchAsync(arxiv, "--categories", "cs.LG,cs.AI");

        run.ExitCode.Should().Be(0, run.Stderr);
        var papers = await ReadPapersAsync(run.Stdout);
        papers.Should().HaveCount(13);
        papers.Single(p => p.Id.Id == "2502.17690").Authors.Should().Contain(@"{\L}ukasz Ku\'smierz");
        papers.Should().OnlyContain(p => p.AnnouncedOn == new DateOnly(2025, 2, 26));
        run.StderrLines.Should().Contain("fetch: rss cs.LG,cs.AI: announcement 2025-02-26: 19 items, 16 kept, 13 unique, 0 skipped; 13 papers written.");
        arxiv.Requests.Select(r => r.Path).Should().Equal("/rss/cs.LG", "/rss/cs.AI");
    }

    [Fact]
    public async Task Fetch_OutFile_WritesFileAndNothingOnStdout()
    {
        await using var arxiv = await StartAsync();
        string path = Path.Combine(Path.GetTempPath(), $"arxivrank-fetch-{Guid.NewGuid():N}.jsonl");
        try
        {
            var run = await FetchAsync(arxiv, "--categories", "cs.LG", "--out", path);

            run.ExitCode.Should().Be(0, run.Stderr);
            run.Stdout.Should().BeEmpty();
            (await ReadPapersAsync(await File.ReadAllTextAsync(path))).Should().HaveCount(10);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Fetch_Weekend_ExitCodeNoNewAnnouncementAndNoPapers()
    {
        await using var arxiv = await ArxivDouble.StartAsync();
        arxiv.SetRss("cs.LG", ArxivFixtures.Read("rss/cs.LG-weekend.xml"));

        var run = await FetchAsync(arxiv, "--categories", "cs.LG");

        run.ExitCode.Should().Be(3);
        run.Stdout.Should().BeEmpty();
        run.Stderr.Should().Contain("no new announcement (feed date 2025-03-01");
    }

    [Fact]
    public async Task Fetch_LastAnnouncementAlreadyProcessed_ExitCodeNoNewAnnouncement()
    {
        await using var arxiv = await StartAsync();

        var run = await FetchAsync(arxiv, "--categories", "cs.LG", "--last-announcement", "2025-02-26");

        run.ExitCode.Should().Be(3);
        run.Stdout.Should().BeEmpty();
    }

    [Fact]
    public async Task Fetch_StaleCategory_WarningNamesItOnStderr()
    {
        await using var arxiv = await StartAsync();
        arxiv.SetRss("cs.AI", ArxivFixtures.Read("rss/cs.AI-stale.xml"));

        var run = await FetchAsync(arxiv, "--categories", "cs.LG,cs.AI");

        run.ExitCode.Should().Be(0);
        run.StderrLines.Should().Contain(l => l.StartsWith("fetch: warning: stale-feed [cs.AI]: The cs.AI feed still shows the 2025-02-25 announcement", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Fetch_AnnounceTypesReplace_OnlyReplacements()
    {
        await using var arxiv = await StartAsync();

        var run = await FetchAsync(arxiv, "--categories", "cs.LG", "--announce-types", "replace,replace-cross");

        var papers = await ReadPapersAsync(run.Stdout);
        papers.Select(p => p.Id.ToString()).Should().BeEquivalentTo(["2502.12224v2", "2502.12851v3"]);
    }

    [Fact]
    public async Task Fetch_ArxivIds_UsesTheExportApi()
    {
        await using var arxiv = await ArxivDouble.StartAsync();
        var id = arxiv.Catalog[3].Id;

        var run = await FetchAsync(arxiv, "--arxiv-ids", id.ToString());

        run.ExitCode.Should().Be(0, run.Stderr);
        (await ReadPapersAsync(run.Stdout)).Should().ContainSingle().Which.Id.Id.Should().Be(id.Id);
        arxiv.Requests.Should().ContainSingle().Which.Path.Should().Be("/api/query");
    }

    [Fact]
    public async Task Fetch_OaiHarvest_FollowsResumptionTokens()
    {
        await using var arxiv = await ArxivDouble.StartAsync();
        arxiv.OaiPageSize = 40;

        var run = await FetchAsync(arxiv, "--source", "oai", "--categories", "cs.LG", "--from", "2025-02-26", "--until", "2025-02-26");

        run.ExitCode.Should().Be(0, run.Stderr);
        (await ReadPapersAsync(run.Stdout)).Should().HaveCount(arxiv.Catalog.Count);
        arxiv.Requests.Should().HaveCount((arxiv.Catalog.Count + 39) / 40).And.OnlyContain(r => r.Path == "/oai");
    }

    [Fact]
    public async Task Fetch_HtmlErrorPage_ExitCodeFailureWithMessage()
    {
        await using var arxiv = await ArxivDouble.StartAsync();
        arxiv.Enqueue(ArxivEndpoint.Rss, ArxivFault.HtmlErrorPage());

        var run = await FetchAsync(arxiv, "--categories", "cs.LG");

        run.ExitCode.Should().Be(1);
        run.Stdout.Should().BeEmpty();
        run.Stderr.Should().Contain("fetch: error:").And.Contain("HTML page");
    }

    [Theory]
    [InlineData(new[] { "--source", "rss" }, "--categories is required")]
    [InlineData(new[] { "--categories", "cs.LG", "--from", "26/02/2025" }, "--from '26/02/2025' is not a date")]
    [InlineData(new[] { "--categories", "cs.LG", "--source", "rss", "--from", "2025-02-01" }, "cannot go back in time")]
    [InlineData(new[] { "--arxiv-ids", "2502.1843" }, "--arxiv-ids:")]
    [InlineData(new[] { "--categories", "cs.LG", "--announce-types", "new,withdrawn" }, "'withdrawn' is not one of")]
    [InlineData(new[] { "--categories", "cs.LG", "--request-interval", "7200" }, "--request-interval must be between")]
    public async Task Fetch_BadCommandLine_ExitCodeUsageWithMessage(string[] args, string message)
    {
        await using var arxiv = await ArxivDouble.StartAsync();

        var run = await FetchAsync(arxiv, args);

        run.ExitCode.Should().Be(2);
        run.Stderr.Should().Contain(message);
        arxiv.Requests.Should().BeEmpty();
    }
}
