using ArxivRank.Pipeline;
using ArxivRank.Rendering;
using ArxivRank.Scoring;
using ArxivRank.Sources;
using ArxivRank.TestUtilities.Chat;
using ArxivRank.TestUtilities.Pipeline;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ArxivRank.Tests.Ergonomics;

/// <summary>The pipeline as a user meets it: nothing silent, criteria given once, parts given as instance, factory or type.</summary>
public class PipelineErgonomicsTests
{
    private static readonly DateOnly Day = new(2025, 6, 6);

    private static IReadOnlyList<Paper> Papers(int count) =>
        [.. Enumerable.Range(1, count).Select(i => new Paper { Id = ArxivId.Parse($"2506.{i:00000}v1"), Title = $"Paper {i} on sparse attention", Authors = [$"Author {i}"] })];

    [Fact]
    public async Task RunAsync_SourceWithoutAnnouncementDay_WarnsThatTodayWasUsed()
    {
        // Arrange: no AnnouncementDate and no AnnouncedOn; today is a Saturday.
        var source = new FakeArxivSource { Result = new SourceResult { Papers = Papers(3) } };
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 6, 7, 15, 0, 0, TimeSpan.Zero));
        var pipeline = DigestPipeline.CreateBuilder().UseSource(source).UseScorer(new FakePaperScorer()).AddRenderer(new RecordingRenderer()).UseTimeProvider(clock).Build();

        // Act
        var result = await pipeline.RunAsync(new MemoryDigestOutput());

        // Assert
        result.AnnouncementDate.Should().Be(new DateOnly(2025, 6, 7));
        result.Warnings.Should().ContainSingle(w => w.Code == DigestRunWarningCodes.AnnouncementDateGuessed)
            .Which.Message.Should().Contain("2025-06-07 (Saturday)");
    }

    [Fact]
    public async Task RunAsync_ScorerWithoutIdentity_WarnsThatScoresAreNotCached()
    {
        var pipeline = DigestPipeline.CreateBuilder()
            .UseSource(FakeArxivSource.ForDay(Day, Papers(3)))
            .UseScorer(new AnonymousScorer(novelty: 6))
            .AddRenderer(new RecordingRenderer())
            .Build();

        var result = await pipeline.RunAsync(new MemoryDigestOutput());

        result.Warnings.Should().ContainSingle(w => w.Code == DigestRunWarningCodes.ScoreCacheOff).Which.Message.Should().Contain("ScorerMetadata");
    }

    [Fact]
    public async Task RunAsync_RelevanceOnlyScorer_KeepsTheRelevanceCutOffAndSaysItIsAnOfflineSelection()
    {
        // Arrange: relevance 1..10, no novelty.
        var pipeline = DigestPipeline.CreateBuilder()
            .UseSource(FakeArxivSource.ForDay(Day, Papers(10)))
            .UseScorer(new AnonymousScorer(novelty: null))
            .AddRenderer(new RecordingRenderer())
            .Build();

        // Act
        var result = await pipeline.RunAsync(new MemoryDigestOutput());

        // Assert
        result.Digest!.Papers.Select(e => e.Score.Relevance).Should().OnlyContain(r => r >= 7);
        result.Statistics.OfflineSelection.Should().BeTrue();
        result.Warnings.Should().ContainSingle(w => w.Code == DigestRunWarningCodes.OfflineSelection).Which.Message.Should().Contain("relevance cut-off (7) still applies");
    }

    [Fact]
    public async Task RunAsync_ScorerCreatedFromCriteria_ShowsTheCriteriaWithoutASecondCopy_AndNeedsNoCategoriesForACustomSource()
    {
        // Arrange
        var criteria = ScoringCriteria.Example;
        var source = FakeArxivSource.ForDay(Day, Papers(3));
        var pipeline = DigestPipeline.CreateBuilder()
            .UseSource(source)
            .UseScorer(PaperScorers.CreateLexical(criteria))
            .AddRenderer(new RecordingRenderer())
            .Configure(o => o.Categories = [])
            .Build();

        // Act
        var result = await pipeline.RunAsync(new MemoryDigestOutput());

        // Assert
        result.Status.Should().Be(DigestRunStatus.Written);
        result.Digest!.CriteriaText.Should().Be(criteria.ToMarkdown());
        result.Digest.ScorerName.Should().Be("lexical");
        source.Queries.Should().ContainSingle().Which.Categories.Should().BeEmpty();
    }

    [Fact]
    public async Task Builder_TakesFactoriesAndTypes_ResolvingTheirParametersFromItsServices()
    {
        // Arrange
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 6, 6, 12, 0, 0, TimeSpan.Zero));
        var pipeline = DigestPipeline.CreateBuilder()
            .UseSource(_ => FakeArxivSource.ForDay(Day, Papers(2)))
            .UseScorer<ClockedScorer>()
            .AddRenderer<ClockedRenderer>()
            .UseTimeProvider(clock)
            .Build();

        // Act
        var output = new MemoryDigestOutput();
        var result = await pipeline.RunAsync(output);

        // Assert: the scorer and the renderer were built with the builder's clock.
        result.Status.Should().Be(DigestRunStatus.Written);
        output.GetText("2025-06-06.clock").Should().Be("2025-06-06T12:00:00.0000000+00:00");
        result.Digest!.Papers.Should().OnlyContain(e => e.Score.Comment == "2025-06-06T12:00:00.0000000+00:00");
    }

    [Fact]
    public async Task AddArxivRank_UseLlmScorer_ResolvesTheChatClientFromTheContainer()
    {
        // Arrange
        var chat = new TestChatClient { GetResponseAsyncCallback = FakeScoringModel.WellBehaved() };
        var services = new ServiceCollection();
        services.AddSingleton<IChatClient>(chat);
        services.AddArxivRank()
            .UseSource(FakeArxivSource.ForDay(Day, Papers(4)))
            .UseLlmScorer(ScoringCriteria.Example, new LlmScorerOptions { ModelId = "test-model" }, b => b.UseLogging())
            .AddRenderer<RecordingRenderer>();
        using var provider = services.BuildServiceProvider();

        // Act
        var result = await provider.GetRequiredService<DigestPipeline>().RunAsync(new MemoryDigestOutput());

        // Assert
        result.Status.Should().Be(DigestRunStatus.Written);
        result.Statistics.Scored.Should().Be(4);
        chat.CallCount.Should().BeGreaterThan(0);
        result.Digest!.ScorerName.Should().Be("test-model");
        result.Warnings.Should().NotContain(w => w.Code == DigestRunWarningCodes.ScoreCacheOff);
    }

    [Fact]
    public void AddArxivRank_UseLlmScorerWithoutAChatClient_SaysWhatToRegister()
    {
        var services = new ServiceCollection();
        services.AddArxivRank().UseSource(new FakeArxivSource()).UseLlmScorer(ScoringCriteria.Example);
        using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<DigestPipeline>();

        act.Should().Throw<InvalidOperationException>().WithMessage("*AddChatClient*");
    }

    [Fact]
    public void AddArxivRank_UseScorerTakesAnInstanceAFactoryOrAType()
    {
        var instance = new FakePaperScorer();
        IPaperScorer Resolve(Action<IArxivRankBuilder> use)
        {
            var services = new ServiceCollection();
            use(services.AddArxivRank());
            using var provider = services.BuildServiceProvider();
            return provider.GetRequiredService<IPaperScorer>();
        }

        Resolve(b => b.UseScorer(instance)).Should().BeSameAs(instance);
        Resolve(b => b.UseScorer(_ => instance)).Should().BeSameAs(instance);
        Resolve(b => b.UseScorer<FakePaperScorer>()).Should().BeOfType<FakePaperScorer>().And.NotBeSameAs(instance);
    }

    [Fact]
    public void Rank_PairsScoresWithPapers_AuthorMatchesFirst_IgnoringVersions_AndLeavesUnscoredOut()
    {
        // Arrange: scores come back in another order, one without version, one paper unscored, one author match.
        var papers = Papers(4);
        var result = new ScoringResult
        {
            Scores =
            [
                new PaperScore { PaperId = ArxivId.Parse("2506.00002"), Relevance = 9, Novelty = 8 },
                new PaperScore { PaperId = papers[3].Id, Origin = ScoreOrigin.AuthorMatch, Comment = "Author match" },
                new PaperScore { PaperId = papers[0].Id, Relevance = 4, Novelty = 4, Score = 0.1 },
            ],
            Unscored = [new UnscoredPaper(papers[2], "the model skipped it")],
        };

        // Act
        var ranked = result.Rank(papers);

        // Assert
        ranked.Select(e => e.Paper.Id.Id).Should().Equal("2506.00004", "2506.00002", "2506.00001");
        ranked[1].Paper.Should().BeSameAs(papers[1]);
        result.FindScore(ArxivId.Parse("2506.00002v7"))!.Relevance.Should().Be(9);
    }

    [Fact]
    public void VersionIgnoringComparer_TreatsVersionsOfOnePaperAsOneKey()
    {
        var set = new HashSet<ArxivId>(ArxivId.VersionIgnoringComparer) { ArxivId.Parse("2502.12851v1") };

        set.Contains(ArxivId.Parse("2502.12851v2")).Should().BeTrue();
        set.Contains(ArxivId.Parse("2502.12851")).Should().BeTrue();
        set.Contains(ArxivId.Parse("2502.12852")).Should().BeFalse();
        ArxivId.Parse("2502.12851v1").Should().NotBe(ArxivId.Parse("2502.12851v2"), "equality itself includes the version");
    }

    [Fact]
    public async Task RunAsync_TwoRenderersWriteTheSameName_FailsNamingBothAndWritesNothing()
    {
        // Arrange: a custom renderer whose format name is not its file extension, beside the one it collides with.
        var store = new InMemoryArxivRankStore();
        var pipeline = DigestPipeline.CreateBuilder()
            .UseSource(FakeArxivSource.ForDay(Day, Papers(3)))
            .UseScorer(new FakePaperScorer())
            .AddRenderer(new RecordingRenderer("md"))
            .AddRenderer(DigestRenderers.Markdown())
            .UseStore(store)
            .Build();
        var output = new MemoryDigestOutput();

        // Act
        var run = () => pipeline.RunAsync(output);

        // Assert: an error that names the file and both renderers; nothing written, the day not processed.
        (await run.Should().ThrowAsync<InvalidOperationException>())
            .WithMessage("*'md' (RecordingRenderer) and 'markdown' (MarkdownDigestRenderer) both wrote '2025-06-06.md'*own file names*");
        output.Names.Should().BeEmpty();
        (await store.IsProcessedAsync(Day)).Should().BeFalse();
    }

    [Fact]
    public async Task RunAsync_RendererAsksForAnOutputOutsideTheFolder_FailsNamingTheRendererAndWritesNothing()
    {
        var store = new InMemoryArxivRankStore();
        var pipeline = DigestPipeline.CreateBuilder()
            .UseSource(FakeArxivSource.ForDay(Day, Papers(3)))
            .UseScorer(new FakePaperScorer())
            .AddRenderer(DigestRenderers.Markdown())
            .AddRenderer(new RecordingRenderer("x/../../escape"))
            .UseStore(store)
            .Build();
        var output = new MemoryDigestOutput();

        var run = () => pipeline.RunAsync(output);

        (await run.Should().ThrowAsync<InvalidOperationException>())
            .WithMessage("*renderer 'x/../../escape' (RecordingRenderer) asked for an invalid output*'2025-06-06.x/../../escape'*must be relative*");
        output.Names.Should().BeEmpty();
        (await store.IsProcessedAsync(Day)).Should().BeFalse();
    }

    /// <summary>Relevance from the id's number, the given novelty, and no identity at all.</summary>
    private sealed class AnonymousScorer(int? novelty) : IPaperScorer
    {
        public Task<ScoringResult> ScoreAsync(IReadOnlyList<Paper> papers, IProgress<ScoringProgress>? progress = null, CancellationToken cancellationToken = default)
            => Task.FromResult(new ScoringResult
            {
                Scores = [.. papers.Select(p => new PaperScore { PaperId = p.Id, Relevance = int.Parse(p.Id.Id[^2..], System.Globalization.CultureInfo.InvariantCulture) % 10 + 1, Novelty = novelty })],
            });
    }

    private sealed class ClockedScorer(TimeProvider clock) : IPaperScorer
    {
        public Task<ScoringResult> ScoreAsync(IReadOnlyList<Paper> papers, IProgress<ScoringProgress>? progress = null, CancellationToken cancellationToken = default)
            => Task.FromResult(new ScoringResult { Scores = [.. papers.Select(p => new PaperScore { PaperId = p.Id, Relevance = 9, Novelty = 9, Comment = clock.GetUtcNow().ToString("O") })] });
    }

    private sealed class ClockedRenderer(TimeProvider clock) : IDigestRenderer
    {
        public string Format => "clock";

        public async Task RenderAsync(Digest digest, IDigestOutput output, CancellationToken cancellationToken = default)
        {
            await using var writer = new StreamWriter(await output.CreateAsync($"{digest.Date:yyyy-MM-dd}.clock", "text/plain", cancellationToken));
            await writer.WriteAsync(clock.GetUtcNow().ToString("O"));
        }
    }
}
