using ArxivRank.Cli;
using ArxivRank.Cli.Daily;
using ArxivRank.Scoring;
using ArxivRank.Tests.Cli;

namespace ArxivRank.Tests.EndToEnd;

public sealed class DigestSettingsTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "arxivrank-settings-" + Guid.NewGuid().ToString("N"));

    public DigestSettingsTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Digest_ConfigFileAndFlags_FlagsWinAndConfigPathsAreRelativeToTheFile()
    {
        string config = Path.Combine(_root, "cron.json");
        await File.WriteAllTextAsync(config, """{ "formats": ["json"], "out": "from-config", "store": "store.db", "topK": 5, "noNewExitCode": 0 }""");

        var first = await CliRunner.RunAsync(["digest", "--config", config, "--source", "snapshot", "--format", "markdown"]);

        first.ExitCode.Should().Be(ExitCodes.Success, first.Stderr);
        Directory.GetFiles(Path.Combine(_root, "from-config")).Select(Path.GetFileName).Should().Equal("2025-07-08.md");
        File.Exists(Path.Combine(_root, "store.db")).Should().BeTrue();
        first.Stderr.Should().Contain("5 selected");
    }

    [Fact]
    public void Merge_StoreFromEnvironment_UsedOnlyWhenNeitherFlagNorConfigNamesOne()
    {
        Func<string, string?> env = name => name == "ARXIVRANK_STORE" ? "/env/store.db" : null;

        var fromEnv = DigestSettings.Merge(new DigestConfig(), new DigestConfig(), null, false, false, env);
        var fromConfig = DigestSettings.Merge(new DigestConfig { Store = "/config/store.db" }, new DigestConfig(), null, false, false, env);
        var fromFlag = DigestSettings.Merge(new DigestConfig { Store = "/config/store.db" }, new DigestConfig { Store = "/flag/store.db" }, null, false, false, env);

        fromEnv.StorePath.Should().Be("/env/store.db");
        fromConfig.StorePath.Should().Be("/config/store.db");
        fromFlag.StorePath.Should().Be("/flag/store.db");
        fromEnv.Categories.Should().Equal("cs.LG");
        fromEnv.Formats.Should().Equal("markdown", "html", "json");
        fromEnv.NoNewExitCode.Should().Be(ExitCodes.NoNewAnnouncement);
    }

    [Fact]
    public void CostEstimate_MorePapers_CostsMoreAndUnknownModelHasNoPrice()
    {
        var papers = Enumerable.Range(1, 40).Select(i => new Paper
        {
            Id = ArxivId.Parse($"2502.{i:00000}"),
            Title = "A study of sparse attention",
            Abstract = new string('x', 1200),
            Authors = ["A. Author", "B. Author"],
        }).ToList();
        var options = new LlmScorerOptions { BatchSize = 20 };

        var few = CostEstimate.For(papers[..10], ScoringCriteria.Example, options, "gpt-4o-mini");
        var many = CostEstimate.For(papers, ScoringCriteria.Example, options, "gpt-4o-mini");
        var unknown = CostEstimate.For(papers, ScoringCriteria.Example, options, "my-local-model");

        many.InputTokens.Should().BeGreaterThan(few.InputTokens);
        many.Cost.Should().BeGreaterThan(few.Cost!.Value);
        many.Requests.Should().Be(1 + 2, "one title-screen request for 40 titles and two abstract batches of 20");
        unknown.Cost.Should().BeNull();
        CostEstimate.For([], ScoringCriteria.Example, options, "gpt-4o-mini").Requests.Should().Be(0);
    }
}
