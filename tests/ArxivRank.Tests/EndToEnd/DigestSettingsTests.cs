using ArxivRank.Cli;
using ArxivRank.Cli.Daily;
using ArxivRank.Profiles;
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
    public async Task LoadProfile_EveryLayer_FlagsOverFileOverEnvironmentOverDefaults()
    {
        string config = Path.Combine(_root, "layers.json");
        await File.WriteAllTextAsync(config, """{ "store": "/config/store.db", "model": "file-model", "categories": ["math.ST", "stat.ML"], "llm": { "retries": 1 } }""");
        var context = Context(new()
        {
            ["ARXIVRANK_STORE"] = "/env/store.db",
            ["ArxivRank__Model"] = "env-model",
            ["ArxivRank__TopK"] = "7",
            ["ARXIVRANK__CATEGORIES__0"] = "cs.CL",
            ["ArxivRank__Llm__TimeoutMs"] = "900",
            ["ArxivRank__Llm__Retries"] = "5",
        });

        var defaults = await DigestRun.LoadProfileAsync(Context([]), new ReaderProfile(), null, default);
        var fromEnv = await DigestRun.LoadProfileAsync(context, new ReaderProfile(), null, default);
        var fromFile = await DigestRun.LoadProfileAsync(context, new ReaderProfile(), config, default);
        var fromFlags = await DigestRun.LoadProfileAsync(context, new ReaderProfile { Store = "/flag/store.db", Categories = ["cs.AI"], TopK = 3 }, config, default);

        defaults.Store.Should().BeNull();
        defaults.Model.Should().BeNull("an unset key keeps the factory's default");
        (fromEnv.Store, fromEnv.Model, fromEnv.TopK, fromEnv.Llm!.TimeoutMs).Should().Be(("/env/store.db", "env-model", 7, 900));
        fromEnv.Categories.Should().Equal("cs.CL");
        (fromFile.Store, fromFile.Model, fromFile.TopK).Should().Be(("/config/store.db", "file-model", 7));
        fromFile.Categories.Should().Equal(["math.ST", "stat.ML"], "a list is replaced as a whole, never merged item by item");
        (fromFile.Llm!.Retries, fromFile.Llm.TimeoutMs).Should().Be((1, 900), "a section is merged key by key");
        (fromFlags.Store, fromFlags.Model, fromFlags.TopK).Should().Be(("/flag/store.db", "file-model", 3));
        fromFlags.Categories.Should().Equal("cs.AI");
    }

    [Fact]
    public async Task Digest_EnvironmentValueOfTheWrongType_ExitsUsageNamingTheKey()
    {
        var run = await CliRunner.RunAsync(["digest", "--source", "snapshot", "--out", Path.Combine(_root, "out"), "--store", Path.Combine(_root, "s.db")], environment: new Dictionary<string, string?> { ["ArxivRank__TopK"] = "many" });

        run.ExitCode.Should().Be(ExitCodes.Usage);
        run.Stderr.Should().Contain("TopK");
    }

    private static CliContext Context(Dictionary<string, string?> environment) => new()
    {
        Out = TextWriter.Null,
        Error = TextWriter.Null,
        OpenStdin = () => TextReader.Null,
        GetEnvironmentVariable = name => environment.GetValueOrDefault(name),
        ListEnvironmentVariables = () => environment,
    };

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

        var few = LlmCostEstimate.For(papers[..10], ScoringCriteria.Example, options, "gpt-4o-mini");
        var many = LlmCostEstimate.For(papers, ScoringCriteria.Example, options, "gpt-4o-mini");
        var unknown = LlmCostEstimate.For(papers, ScoringCriteria.Example, options, "my-local-model");

        many.InputTokens.Should().BeGreaterThan(few.InputTokens);
        many.Cost.Should().BeGreaterThan(few.Cost!.Value);
        many.Requests.Should().Be(1 + 2, "one title-screen request for 40 titles and two abstract batches of 20");
        unknown.Cost.Should().BeNull();
        LlmCostEstimate.For([], ScoringCriteria.Example, options, "gpt-4o-mini").Requests.Should().Be(0);
    }
}
