using System.Collections.Concurrent;
using ArxivRank.OpenAI;
using ArxivRank.Scoring;
using ArxivRank.TestUtilities.Chat;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace ArxivRank.Tests.Scoring;

/// <summary>The OpenAI-compatible client against a real chat-completions server on 127.0.0.1.</summary>
public sealed class OpenAIChatClientFactoryTests : IAsyncLifetime
{
    private const string ApiKey = "sk-test-arxivrank-0123456789";
    private ChatCompletionsServer _server = null!;

    public async Task InitializeAsync() => _server = await ChatCompletionsServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private OpenAIChatClientOptions ClientOptions(int retries = 3) => new()
    {
        Endpoint = _server.BaseUri,
        ApiKey = ApiKey,
        Model = "gpt-4o-mini",
        MaxRetryAttempts = retries,
        RetryBaseDelay = TimeSpan.Zero,
    };

    private static LlmScorerOptions ScorerOptions(int batchSize = 10) => new() { ModelId = "gpt-4o-mini", BatchSize = batchSize, TitleScreen = false, MaxConcurrency = 2 };

    [Fact]
    public async Task Scorer_OverRealHttp_ScoresEveryPaperAndSendsTheKeyAsBearer()
    {
        using var client = OpenAIChatClientFactory.Create(ClientOptions());
        var papers = ScoringFixtures.Papers(25);

        var result = await client.AsPaperScorer(ScoringFixtures.Criteria, ScorerOptions()).ScoreAsync(papers);

        result.Unscored.Should().BeEmpty();
        result.Scores.Select(s => (s.Relevance!.Value, s.Novelty!.Value)).Should().Equal(papers.Select(p => FakeScoringModel.ScoresFor(p.Id.Id)));
        _server.Requests.Should().HaveCount(3).And.OnlyContain(r => r.Path == "/v1/chat/completions" && r.Model == "gpt-4o-mini" && r.Authorization == "Bearer " + ApiKey && !r.Stream);
        _server.Requests[0].Messages.Select(m => m.Role).Should().Equal("system", "user", "user");
        result.Usage.Single().Requests.Should().Be(3);
    }

    [Fact]
    public async Task Transport_429WithRetryAfterThenSuccess_IsRetriedInTheHttpLayerOnly()
    {
        int calls = 0;
        _server.Handler = request => ValueTask.FromResult(Interlocked.Increment(ref calls) == 1
            ? ChatCompletionsReply.Failure(429, "Rate limit reached", retryAfter: TimeSpan.Zero)
            : ChatCompletionsServer.DefaultReply(request));
        var chat = new CountingChatClient(OpenAIChatClientFactory.Create(ClientOptions()));

        var result = await chat.AsPaperScorer(ScoringFixtures.Criteria, ScorerOptions()).ScoreAsync(ScoringFixtures.Papers(5));

        result.Scores.Should().HaveCount(5);
        _server.RequestCount.Should().Be(2);
        chat.Calls.Should().Be(1, "the scorer saw one successful call; the retry happened below it");
    }

    [Fact]
    public async Task Transport_500sThenSuccess_IsRetried()
    {
        int calls = 0;
        _server.Handler = request => ValueTask.FromResult(Interlocked.Increment(ref calls) <= 2 ? ChatCompletionsReply.Failure(500) : ChatCompletionsServer.DefaultReply(request));
        using var client = OpenAIChatClientFactory.Create(ClientOptions());

        var result = await client.AsPaperScorer(ScoringFixtures.Criteria, ScorerOptions()).ScoreAsync(ScoringFixtures.Papers(5));

        result.Scores.Should().HaveCount(5);
        _server.RequestCount.Should().Be(3);
    }

    [Fact]
    public async Task Transport_AlwaysFailing_RetriesAreBoundedAndNeverMultiplied()
    {
        _server.Handler = _ => ValueTask.FromResult(ChatCompletionsReply.Failure(503, "overloaded"));
        var chat = new CountingChatClient(OpenAIChatClientFactory.Create(ClientOptions(retries: 2)));
        var options = ScorerOptions();
        options.MaxFailureShare = 1;

        var result = await chat.AsPaperScorer(ScoringFixtures.Criteria, options).ScoreAsync(ScoringFixtures.Papers(5));

        _server.RequestCount.Should().Be(3, "one attempt and two HTTP retries; the scorer does not re-ask transport failures");
        chat.Calls.Should().Be(1);
        result.Unscored.Should().HaveCount(5).And.OnlyContain(u => u.Reason.StartsWith("the request failed (", StringComparison.Ordinal) && u.Reason.Contains("503", StringComparison.Ordinal));
        result.Unscored.Should().OnlyContain(u => !u.Reason.Contains(ApiKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Transport_Unauthorized_IsNotRetried()
    {
        _server.Handler = _ => ValueTask.FromResult(ChatCompletionsReply.Failure(401, "Incorrect API key provided."));
        using var client = OpenAIChatClientFactory.Create(ClientOptions());

        var act = () => client.AsPaperScorer(ScoringFixtures.Criteria, ScorerOptions()).ScoreAsync(ScoringFixtures.Papers(5));

        (await act.Should().ThrowAsync<ScoringException>()).Which.Message.Should().Contain("401");
        _server.RequestCount.Should().Be(1);
    }

    [Fact]
    public async Task Transport_RetryAfter_WaitsThatLongOnTheInjectedClock()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 7, 8, 0, 0, 0, TimeSpan.Zero));
        var arrivals = new ConcurrentQueue<DateTimeOffset>();
        _server.Handler = request =>
        {
            arrivals.Enqueue(time.GetUtcNow());
            return ValueTask.FromResult(arrivals.Count == 1 ? ChatCompletionsReply.Failure(429, retryAfter: TimeSpan.FromSeconds(30)) : ChatCompletionsServer.DefaultReply(request));
        };
        using var client = OpenAIChatClientFactory.Create(ClientOptions(), timeProvider: time);

        var call = client.GetResponseAsync("hello");
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!call.IsCompleted)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(5, guard.Token);
        }

        await call;
        arrivals.Should().HaveCount(2);
        (arrivals.Last() - arrivals.First()).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task FinishReasonLength_ReachesTheScorerWhichReasksSmaller()
    {
        _server.Handler = request =>
        {
            var ids = request.PaperIds;
            return ValueTask.FromResult(ids.Count == 10
                ? ChatCompletionsReply.Completion(FakeScoringModel.JsonLines(ids.Take(3)) + "{\"arxivId\": \"" + ids[3] + "\", \"rel", finishReason: "length")
                : ChatCompletionsServer.DefaultReply(request));
        };
        using var client = OpenAIChatClientFactory.Create(ClientOptions());

        var result = await client.AsPaperScorer(ScoringFixtures.Criteria, ScorerOptions()).ScoreAsync(ScoringFixtures.Papers(10));

        result.Scores.Should().HaveCount(10);
        _server.Requests.Select(r => r.PaperIds.Count).Should().BeEquivalentTo([10, 5, 2]);
    }

    [Fact]
    public async Task Usage_WithCachedTokens_FlowsIntoTheScorersCost()
    {
        _server.Handler = request => ValueTask.FromResult(ChatCompletionsServer.DefaultReply(request) with { Usage = new ChatCompletionsUsage(100_000, 10_000, CachedTokens: 60_000) });
        using var client = OpenAIChatClientFactory.Create(ClientOptions());

        var result = await client.AsPaperScorer(ScoringFixtures.Criteria, ScorerOptions()).ScoreAsync(ScoringFixtures.Papers(20));

        var usage = result.Usage.Single();
        usage.Should().BeEquivalentTo(new { ModelId = "gpt-4o-mini", Requests = 2, InputTokens = 200_000L, CachedInputTokens = 120_000L, OutputTokens = 20_000L });
        usage.InputCost.Should().Be(0.021m, "80,000 uncached at $0.15/M + 120,000 cached at $0.075/M");
        usage.OutputCost.Should().Be(0.012m);
    }

    [Fact]
    public async Task Streaming_ServerSentEvents_AssembleTheTextFinishReasonAndUsage()
    {
        _server.Handler = _ => ValueTask.FromResult(ChatCompletionsReply.Completion("{\"arxivId\": \"2503.10000\", \"relevance\": 8, \"novelty\": 7}", "length", new ChatCompletionsUsage(50, 20, 10)) with { StreamChunkSize = 7 });
        using var client = OpenAIChatClientFactory.Create(ClientOptions());

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("score these"))
        {
            updates.Add(update);
        }

        var response = updates.ToChatResponse();
        _server.Requests.Single().Stream.Should().BeTrue();
        updates.Count(u => u.Text.Length > 0).Should().BeGreaterThan(5);
        response.Text.Should().Be("{\"arxivId\": \"2503.10000\", \"relevance\": 8, \"novelty\": 7}");
        response.FinishReason.Should().Be(ChatFinishReason.Length);
        response.Usage!.InputTokenCount.Should().Be(50);
        response.Usage.CachedInputTokenCount.Should().Be(10);
    }

    [Fact]
    public async Task StructuredOutput_IsSentAsAJsonSchemaResponseFormat()
    {
        using var client = OpenAIChatClientFactory.Create(ClientOptions());
        var options = ScorerOptions();
        options.UseStructuredOutput = true;
        _server.Handler = request => ValueTask.FromResult(ChatCompletionsReply.Completion("{\"papers\": [" + string.Join(",", request.PaperIds.Select(id => FakeScoringModel.JsonLines([id]).Trim())) + "]}"));

        var result = await client.AsPaperScorer(ScoringFixtures.Criteria, options).ScoreAsync(ScoringFixtures.Papers(3));

        result.Scores.Should().HaveCount(3);
        _server.Requests.Single().ResponseFormatType.Should().Be("json_schema");
        _server.Requests.Single().Body.Should().Contain("paper_scores");
    }

    [Fact]
    public async Task EmbeddingGenerator_OverRealHttp_ReturnsTheServersVectors()
    {
        var options = ClientOptions();
        options.Model = "text-embedding-3-small";
        using var generator = OpenAIChatClientFactory.CreateEmbeddingGenerator(options);

        var embeddings = await generator.GenerateAsync(["sparse mixture of experts", "robot arms"]);

        embeddings.Should().HaveCount(2);
        embeddings[0].Vector.ToArray().Should().Equal(TestEmbeddingGenerator.HashingEmbedding("sparse mixture of experts"));
        embeddings.Usage!.InputTokenCount.Should().BePositive();
        _server.Requests.Single().Path.Should().Be("/v1/embeddings");
    }

    [Theory]
    [InlineData(null, "ApiKey")]
    [InlineData("", "ApiKey")]
    public void Create_MissingKey_ThrowsNamingTheOption(string? key, string option)
    {
        var options = ClientOptions();
        options.ApiKey = key;

        var act = () => OpenAIChatClientFactory.Create(options);

        act.Should().Throw<ArgumentException>().WithMessage($"OpenAIChatClientOptions.{option} *");
    }

    [Fact]
    public void Create_RelativeEndpoint_Throws()
    {
        var options = ClientOptions();
        options.Endpoint = new Uri("v1/", UriKind.Relative);

        var act = () => OpenAIChatClientFactory.Create(options);

        act.Should().Throw<ArgumentException>().WithMessage("OpenAIChatClientOptions.Endpoint *");
    }

    /// <summary>Counts the calls that reach the inner client, to show retries happen below the scorer.</summary>
    private sealed class CountingChatClient(IChatClient inner) : DelegatingChatClient(inner)
    {
        private int _calls;

        public int Calls => _calls;

        public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            return base.GetResponseAsync(messages, options, cancellationToken);
        }
    }
}
