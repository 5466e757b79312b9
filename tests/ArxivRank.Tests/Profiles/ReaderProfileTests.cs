using ArxivRank.Pipeline;
using ArxivRank.Profiles;
using ArxivRank.Ranking;
using ArxivRank.Rendering;
using ArxivRank.TestUtilities;
using ArxivRank.TestUtilities.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ArxivRank.Tests.Profiles;

public sealed class ReaderProfileTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("arxivrank-profile-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task LoadAsync_TurnOneConfigFile_LoadsEveryKeyAndResolvesPathsAgainstTheFile()
    {
        // Every --config key of the first release (docs/cli.md), with a comment and a trailing comma.
        string path = Path.Combine(_root, "cron.json");
        await File.WriteAllTextAsync(path, """
            {
              // my daily digest
              "categories": ["cs.LG", "stat.ML"], "criteria": "me.md", "followedAuthors": ["Yoshua Bengio"],
              "scorer": "llm", "ranker": "models/r.json", "model": "gpt-4o-mini", "llmBaseUrl": "http://127.0.0.1:11434/v1",
              "apiKeyEnv": "MY_KEY", "titleScreen": false, "source": "api", "baseUrl": "http://127.0.0.1:8080",
              "out": "digests", "store": "/var/lib/arxivrank.db", "formats": ["markdown", "slack"], "topK": 25,
              "minRelevance": 6, "minNovelty": 5, "batchSize": 10, "concurrency": 2, "maxCost": 0.5, "prescreen": 0.35,
              "autoTrain": false, "noNewExitCode": 0,
              "arxiv": { "requestIntervalMs": 0, "retries": 2, "retryDelayMs": 10, "timeoutMs": 1500 },
              "llm": { "retries": 3, "retryDelayMs": 10, "timeoutMs": 60000 },
            }
            """);

        var profile = await ReaderProfileJson.LoadAsync(path);

        profile.Categories.Should().Equal("cs.LG", "stat.ML");
        profile.Criteria.Should().Be(Path.Combine(_root, "me.md"));
        profile.Ranker.Should().Be(Path.Combine(_root, "models", "r.json"));
        profile.Out.Should().Be(Path.Combine(_root, "digests"));
        profile.Store.Should().Be("/var/lib/arxivrank.db");
        (profile.TopK, profile.MaxCost, profile.Prescreen, profile.AutoTrain, profile.TitleScreen, profile.NoNewExitCode).Should().Be((25, 0.5m, 0.35, false, false, 0));
        (profile.Arxiv!.TimeoutMs, profile.Llm!.Retries).Should().Be((1500, 3));
        new ReaderProfileValidator().Validate(null, profile).Succeeded.Should().BeTrue();
    }

    [Theory]
    [InlineData("""{ "topK": 5, "colour": "blue" }""", "unknown key 'colour'", "line 1")]
    [InlineData("{\n  \"arxiv\": {\n    \"retriez\": 2\n  }\n}", "unknown key 'arxiv.retriez'", "line 3")]
    [InlineData("""{ "topK": "many" }""", "could not be converted", "line 1")]
    [InlineData("{ \"topK\": 5", "is not valid", "line 1")]
    public void Parse_InvalidJson_ErrorNamesTheKeyAndTheLine(string json, string expected, string line)
    {
        var act = () => ReaderProfileJson.Parse(json, sourceName: "me.json");

        act.Should().Throw<ReaderProfileException>().Which.Message.Should().Contain("me.json").And.Contain(expected).And.Contain(line);
    }

    [Theory]
    [InlineData("topK", "topK must be between 1 and 500")]
    [InlineData("minRelevance", "minRelevance must be between 1 and 10")]
    [InlineData("scorer", "scorer 'gpt' is not one of llm, lexical, learned")]
    [InlineData("formats", "formats 'pdf' is not one of markdown, html, json, slack")]
    [InlineData("apiKeyEnv", "apiKeyEnv must be the NAME of an environment variable")]
    [InlineData("llmBaseUrl", "llmBaseUrl 'localhost:11434' is not an absolute http(s) URL")]
    [InlineData("criteria", "criteria and criteriaText are alternatives")]
    [InlineData("prescreen", "prescreen must be a share above 0 and at most 1")]
    [InlineData("runAt", "schedule.runAt '9pm' is not a local time in HH:mm form")]
    [InlineData("timeZone", "schedule.timeZone 'Mars/Olympus' is not a known IANA time zone")]
    [InlineData("pacing", "arxiv.requestIntervalMs must be between 0 and 3600000")]
    public void Validate_BadKey_MessageNamesTheKey(string key, string expected)
    {
        var profile = key switch
        {
            "topK" => new ReaderProfile { TopK = 0 },
            "minRelevance" => new ReaderProfile { MinRelevance = 0 },
            "scorer" => new ReaderProfile { Scorer = "gpt" },
            "formats" => new ReaderProfile { Formats = ["markdown", "pdf"] },
            "apiKeyEnv" => new ReaderProfile { ApiKeyEnv = "sk-proj-abc123" },
            "llmBaseUrl" => new ReaderProfile { LlmBaseUrl = "localhost:11434" },
            "criteria" => new ReaderProfile { Criteria = "me.md", CriteriaText = "# Interests" },
            "prescreen" => new ReaderProfile { Prescreen = 1.5 },
            "runAt" => new ReaderProfile { Schedule = new() { RunAt = "9pm" } },
            "timeZone" => new ReaderProfile { Schedule = new() { TimeZone = "Mars/Olympus" } },
            _ => new ReaderProfile { Arxiv = new() { RequestIntervalMs = -1 } },
        };

        var result = new ReaderProfileValidator().Validate(null, profile);

        result.Failed.Should().BeTrue();
        result.Failures.Should().ContainSingle().Which.Should().StartWith(expected);
    }

    [Fact]
    public void AddReaderProfile_FromConfiguration_BindsCamelAndPascalKeysAndFailsNamingTheKey()
    {
        var good = Services(new() { ["ArxivRank:Model"] = "m", ["ArxivRank:categories:0"] = "math.ST", ["ArxivRank:Schedule:RunAt"] = "06:30", ["ArxivRank:TopK"] = "9" });
        var bad = Services(new() { ["ArxivRank:TopK"] = "0", ["ArxivRank:Source"] = "ftp" });

        var profile = good.GetRequiredService<IOptions<ReaderProfile>>().Value;
        var act = () => bad.GetRequiredService<IOptions<ReaderProfile>>().Value;

        (profile.Model, profile.TopK, profile.Schedule!.RunAt).Should().Be(("m", 9, "06:30"));
        profile.Categories.Should().Equal("math.ST");
        act.Should().Throw<OptionsValidationException>().Which.Message.Should().Contain("topK must be between 1 and 500").And.Contain("source 'ftp' is not one of rss, api, snapshot");
    }

    [Fact]
    public void With_Overrides_ReplacesSetKeysListsWholeAndMergesSections()
    {
        var lower = new ReaderProfile { Model = "a", TopK = 5, Categories = ["cs.LG", "cs.AI"], Llm = new() { Retries = 1, TimeoutMs = 100 } };
        var higher = new ReaderProfile { Model = "b", Categories = ["math.ST"], Llm = new() { Retries = 4 } };

        var merged = lower.With(higher);

        (merged.Model, merged.TopK, merged.Llm!.Retries, merged.Llm.TimeoutMs).Should().Be(("b", 5, 4, 100));
        merged.Categories.Should().Equal("math.ST");
        lower.Model.Should().Be("a", "the inputs are not changed");
        ReaderProfileJson.Parse(ReaderProfileJson.Serialize(merged)).With(new ReaderProfile()).Model.Should().Be("b", "Serialize and Parse round-trip");
    }

    [Fact]
    public async Task CreateAsync_ProfileNamesWhatTheHostDoesNotSupply_ExplainsWhatIsMissing()
    {
        var noChat = () => ReaderPipelineFactory.CreateAsync(new ReaderProfile { Scorer = "llm", ApiKeyEnv = "MY_KEY" });
        var noSnapshot = () => ReaderPipelineFactory.CreateAsync(new ReaderProfile { Source = "snapshot" });
        var missingCriteria = () => ReaderPipelineFactory.CreateAsync(new ReaderProfile { Criteria = Path.Combine(_root, "none.md") });
        var invalid = () => ReaderPipelineFactory.CreateAsync(new ReaderProfile { TopK = 0 });

        (await noChat.Should().ThrowAsync<ReaderProfileException>()).Which.Message.Should().Contain("scorer 'llm' needs an API key in MY_KEY");
        (await noSnapshot.Should().ThrowAsync<ReaderProfileException>()).Which.Message.Should().Contain("source 'snapshot'");
        (await missingCriteria.Should().ThrowAsync<ReaderProfileException>()).Which.IsInvalidProfile.Should().BeFalse();
        (await invalid.Should().ThrowAsync<ReaderProfileException>()).Which.Message.Should().Contain("topK");
    }

    [Fact]
    public async Task CreateAsync_InlineCriteriaAndFollowedAuthors_ComposeTheLexicalScorer()
    {
        var profile = new ReaderProfile { CriteriaText = "# Interests\n\n- sparse attention\n", FollowedAuthors = ["Ada Lovelace"], Formats = ["json"], TopK = 3 };

        using var reader = await ReaderPipelineFactory.CreateAsync(profile, new ReaderPipelineServices { Source = new ArxivRank.TestUtilities.Pipeline.FakeArxivSource() });

        reader.ScorerKind.Should().Be("lexical");
        reader.Criteria.FollowedAuthors.Should().Contain("Ada Lovelace");
        reader.Pipeline.Options.CriteriaText.Should().Contain("sparse attention");
        reader.Pipeline.Options.Selection.TopK.Should().Be(3);
        reader.Notes.Should().NotContain(n => n.Contains("built-in example", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateAsync_LearnedModelFileRewritten_TheNextPipelineUsesTheNewModel()
    {
        // Arrange: two opposite models written in turn to one file (loaded models are kept per file, by time and length).
        var day = LabeledDays.Days[^1];
        var papers = LabeledDays.Load(day);
        var train = LabeledDays.Days.Take(4).SelectMany(LabeledDays.Load).ToList();
        string file = Path.Combine(_root, "ranker.json");
        var profile = new ReaderProfile { Scorer = "learned", Ranker = file, CriteriaText = "# Interests\n\n- learning\n", Formats = ["json"], TopK = 10, MinRelevance = 1 };

        // Act
        var liked = await SelectAsync(LearnedRanker.Train(train.Select(p => new LabeledExample(p.Paper, p.Selected))));
        var again = await SelectAsync(null);
        var disliked = await SelectAsync(LearnedRanker.Train(train.Select(p => new LabeledExample(p.Paper, !p.Selected))));

        // Assert
        again.Should().Equal(liked, "the unchanged file gives the same model");
        disliked.Should().NotIntersectWith(liked, "the rewritten file is read again, not served from memory");

        async Task<IReadOnlyList<string>> SelectAsync(LearnedRanker? write)
        {
            if (write is not null)
            {
                using (var stream = File.Create(file))
                {
                    await write.SaveAsync(stream);
                }

                File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(File.Exists(file + ".n") ? 2 : 1));
                await File.WriteAllTextAsync(file + ".n", string.Empty);
            }

            using var reader = await ReaderPipelineFactory.CreateAsync(profile, new ReaderPipelineServices
            {
                Source = FakeArxivSource.ForDay(day, [.. papers.Select(p => p.Paper)]),
                Store = new InMemoryArxivRankStore(),
            });
            var result = await reader.RunAsync(new MemoryDigestOutput());
            result.Run.Digest.Should().NotBeNull(result.Run.Reason);
            return [.. result.Run.Digest!.Papers.Select(e => e.Paper.Id.Id)];
        }
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddReaderProfile(configuration.GetSection(ReaderProfile.SectionName));
        return services.BuildServiceProvider();
    }
}
