using System.Text.Json;
using ArxivRank.Tests.Cli;
using ArxivRank.TestUtilities;
using ArxivRank.TestUtilities.Chat;

namespace ArxivRank.Tests.Scoring;

public sealed class ScoreCommandTests : IAsyncLifetime
{
    private const string Key = "sk-cli-secret-9f8e7d6c5b4a";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "arxivrank-score-" + Guid.NewGuid().ToString("N"));
    private ChatCompletionsServer _server = null!;
    private List<Paper> _papers = null!;
    private string _papersFile = null!;
    private string _criteriaFile = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        _server = await ChatCompletionsServer.StartAsync();
        _papers = [.. ReferenceDigest.Load(1).Entries.Take(12).Select(e => e.Paper)];
        _papersFile = Path.Combine(_dir, "papers.jsonl");
        await using (var writer = new StreamWriter(_papersFile))
        {
            await PaperJsonLines.WriteAsync(_papers, writer);
        }

        _criteriaFile = Path.Combine(_dir, "criteria.md");
        await File.WriteAllTextAsync(_criteriaFile, ReferenceDigest.Load(1).Prompt + "\n\n## Followed authors\n\n- Samy Bengio\n");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Score_BatchApiWithoutStore_WaitsForTheBatchAndWritesEveryScore()
    {
        _server.BatchPollsUntilDone = 2;

        var run = await CliRunner.RunAsync(
            ["score", "--papers", _papersFile, "--criteria", _criteriaFile, "--scorer", "llm", "--model", "gpt-4o", "--llm-base-url", _server.BaseUri.ToString(), "--batch-size", "5", "--no-title-screen", "--batch-api", "--batch-poll-seconds", "1"],
            environment: new Dictionary<string, string?> { ["OPENAI_API_KEY"] = Key });

        run.ExitCode.Should().Be(0, run.Stderr);
        run.StdoutLines.Should().HaveCount(12);
        _server.Batches.Should().ContainSingle().Which.Status.Should().Be("completed");
        _server.Requests.Should().OnlyContain(r => !r.IsTitleScreen);
    }

    [Fact]
    public async Task Score_LexicalWithoutCriteria_UsesTheExampleAndWritesOneLinePerPaperInOrder()
    {
        var run = await CliRunner.RunAsync(["score", "--papers", _papersFile]);

        run.ExitCode.Should().Be(0);
        run.Stderr.Should().Contain("built-in example criteria");
        var lines = run.StdoutLines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        lines.Select(l => l.GetProperty("arxivId").GetString()).Should().Equal(_papers.Select(p => p.Id.ToString()));
        lines.Should().OnlyContain(l => l.GetProperty("relevance").GetInt32() >= 1 && l.GetProperty("novelty").ValueKind == JsonValueKind.Null && HasProperty(l, "score") && l.GetProperty("comment").GetString()!.Length > 0);
    }

    [Fact]
    public async Task Score_LlmThroughAnOpenAICompatibleServer_WritesScoresUsageAndAuthorMatches()
    {
        var run = await CliRunner.RunAsync(
            ["score", "--papers", _papersFile, "--criteria", _criteriaFile, "--scorer", "llm", "--model", "gpt-4o", "--llm-base-url", _server.BaseUri.ToString(), "--batch-size", "5", "--concurrency", "2", "--no-title-screen"],
            environment: new Dictionary<string, string?> { ["OPENAI_API_KEY"] = Key });

        run.ExitCode.Should().Be(0, run.Stderr);
        var lines = run.StdoutLines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        lines.Should().HaveCount(12);
        var authorMatch = lines.Single(l => l.TryGetProperty("origin", out _));
        authorMatch.GetProperty("comment").GetString().Should().Be("Author match");
        authorMatch.GetProperty("origin").GetString().Should().Be("author-match");
        lines.Where(l => !HasProperty(l, "origin")).Should().OnlyContain(l => l.GetProperty("novelty").GetInt32() >= 1 && !HasProperty(l, "score"));
        _server.Requests.Should().HaveCount(3).And.OnlyContain(r => r.Model == "gpt-4o" && r.Authorization == "Bearer " + Key);
        run.Stderr.Should().Contain("score: gpt-4o: 3 requests").And.Contain("cost $");
        (run.Stdout + run.Stderr).Should().NotContain(Key);
    }

    [Fact]
    public async Task Score_LlmWithTitleScreen_ScreensFirst()
    {
        var run = await CliRunner.RunAsync(
            ["score", "--papers", _papersFile, "--criteria", _criteriaFile, "--scorer", "llm", "--llm-base-url", _server.BaseUri.ToString(), "--api-key-env", "MY_KEY"],
            environment: new Dictionary<string, string?> { ["MY_KEY"] = Key });

        run.ExitCode.Should().Be(0, run.Stderr);
        _server.Requests[0].IsTitleScreen.Should().BeTrue();
        _server.Requests[0].Model.Should().Be("gpt-4o-mini");
    }

    [Fact]
    public async Task Score_EmbeddingThroughAnOpenAICompatibleServer_WritesContinuousScores()
    {
        var run = await CliRunner.RunAsync(
            ["score", "--papers", _papersFile, "--criteria", _criteriaFile, "--scorer", "embedding", "--llm-base-url", _server.BaseUri.ToString()],
            environment: new Dictionary<string, string?> { ["OPENAI_API_KEY"] = Key });

        run.ExitCode.Should().Be(0, run.Stderr);
        run.StdoutLines.Should().HaveCount(12);
        _server.Requests.Should().OnlyContain(r => r.Path == "/v1/embeddings" && r.Model == "text-embedding-3-small");
    }

    [Theory]
    [InlineData("llm")]
    [InlineData("embedding")]
    public async Task Score_ModelScorerWithoutCriteria_IsAUsageError(string scorer)
    {
        var run = await CliRunner.RunAsync(["score", "--papers", _papersFile, "--scorer", scorer], environment: new Dictionary<string, string?> { ["OPENAI_API_KEY"] = Key });

        run.ExitCode.Should().Be(2);
        run.Stderr.Should().Contain("--criteria FILE is required");
        _server.RequestCount.Should().Be(0);
    }

    [Fact]
    public async Task Score_LlmWithoutKey_NamesTheVariableAndSendsNothing()
    {
        var run = await CliRunner.RunAsync(["score", "--papers", _papersFile, "--criteria", _criteriaFile, "--scorer", "llm", "--llm-base-url", _server.BaseUri.ToString()]);

        run.ExitCode.Should().Be(2);
        run.Stderr.Should().Contain("OPENAI_API_KEY").And.Contain("--api-key-env");
        _server.RequestCount.Should().Be(0);
    }

    [Fact]
    public async Task Score_ServerRejectsEveryRequest_FailsWithTheReasonAndNeverPrintsTheKey()
    {
        _server.Handler = _ => ValueTask.FromResult(ChatCompletionsReply.Failure(401, "Incorrect API key provided: sk-cli-***"));

        var run = await CliRunner.RunAsync(
            ["score", "--papers", _papersFile, "--criteria", _criteriaFile, "--scorer", "llm", "--llm-base-url", _server.BaseUri.ToString(), "--no-title-screen"],
            environment: new Dictionary<string, string?> { ["OPENAI_API_KEY"] = Key });

        run.ExitCode.Should().Be(1);
        run.Stderr.Should().Contain("could not be scored").And.Contain("401");
        run.StdoutLines.Should().ContainSingle("only the author match survives").Which.Should().Contain("Author match");
        (run.Stdout + run.Stderr).Should().NotContain(Key);
    }

    [Fact]
    public async Task Score_BadPaperLines_AreReportedWithLineNumbersAndTheRestIsScored()
    {
        string file = Path.Combine(_dir, "mixed.jsonl");
        await File.WriteAllTextAsync(file, PaperJsonLines.Serialize(_papers[0]) + "\nnot json\n" + PaperJsonLines.Serialize(_papers[1]) + "\n");

        var run = await CliRunner.RunAsync(["score", "--papers", file]);

        run.ExitCode.Should().Be(0);
        run.StdoutLines.Should().HaveCount(2);
        run.Stderr.Should().Contain("line 2 is not a paper");
    }

    [Fact]
    public async Task Score_PapersFromStdin_AreRead()
    {
        string input = string.Join('\n', _papers.Take(3).Select(PaperJsonLines.Serialize));

        var run = await CliRunner.RunAsync(["score", "--papers", "-", "--criteria", _criteriaFile], stdin: input);

        run.ExitCode.Should().Be(0);
        run.StdoutLines.Should().HaveCount(3);
    }

    [Fact]
    public async Task Score_MissingPapersFile_Fails()
    {
        var run = await CliRunner.RunAsync(["score", "--papers", Path.Combine(_dir, "nope.jsonl")]);

        run.ExitCode.Should().Be(1);
        run.Stderr.Should().Contain("cannot read the papers file");
    }

    [Fact]
    public async Task Score_EmptyCriteriaFile_FailsNamingTheFile()
    {
        string empty = Path.Combine(_dir, "empty.md");
        await File.WriteAllTextAsync(empty, "\n");

        var run = await CliRunner.RunAsync(["score", "--papers", _papersFile, "--criteria", empty]);

        run.ExitCode.Should().Be(1);
        run.Stderr.Should().Contain(empty).And.Contain("empty");
    }

    [Theory]
    [InlineData("--scorer", "bm25", "bm25")]
    [InlineData("--batch-size", "0", "--batch-size must be 1 or more.")]
    [InlineData("--concurrency", "100", "--concurrency must be 1 to 64.")]
    public async Task Score_BadOptionValues_AreRejected(string option, string value, string message)
    {
        var run = await CliRunner.RunAsync(["score", "--papers", _papersFile, option, value]);

        run.ExitCode.Should().NotBe(0);
        run.Stderr.Should().Contain(message);
        run.StdoutLines.Should().NotContain(l => l.StartsWith('{'));
    }

    private static bool HasProperty(JsonElement element, string name) => element.TryGetProperty(name, out _);

    [Fact]
    public async Task Score_RelativeBaseUrl_IsAUsageError()
    {
        var run = await CliRunner.RunAsync(["score", "--papers", _papersFile, "--criteria", _criteriaFile, "--scorer", "llm", "--llm-base-url", "localhost:11434"], environment: new Dictionary<string, string?> { ["OPENAI_API_KEY"] = Key });

        run.ExitCode.Should().Be(2);
        run.Stderr.Should().Contain("--llm-base-url");
    }
}
