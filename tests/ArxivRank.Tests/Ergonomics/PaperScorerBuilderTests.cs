using ArxivRank.Pipeline;
using ArxivRank.Rendering;
using ArxivRank.Scoring;
using ArxivRank.TestUtilities.Chat;
using ArxivRank.TestUtilities.Pipeline;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ArxivRank.Tests.Ergonomics;

/// <summary>Scorer middleware the Microsoft.Extensions.AI way: <see cref="DelegatingPaperScorer"/>, <see cref="PaperScorerBuilder"/> and <see cref="ScorerMetadata"/>.</summary>
public class PaperScorerBuilderTests
{
    private static readonly Paper[] TwoPapers =
    [
        new Paper { Id = ArxivId.Parse("2502.00001v1"), Title = "Sparse attention for long contexts", Authors = ["Ada Lovelace"] },
        new Paper { Id = ArxivId.Parse("2502.00002v1"), Title = "Protein folding at scale", Authors = ["Grace Hopper"] },
    ];

    [Fact]
    public async Task Build_FirstUseIsTheOutermostLayer()
    {
        // Arrange
        var order = new List<string>();
        var scorer = new PaperScorerBuilder(new FakePaperScorer())
            .Use(inner => new NamedLayer(inner, "first", order))
            .Use(inner => new NamedLayer(inner, "second", order))
            .Build();

        // Act
        await scorer.ScoreAsync(TwoPapers);

        // Assert
        order.Should().Equal("first", "second");
        scorer.Should().BeOfType<NamedLayer>().Which.Name.Should().Be("first");
    }

    [Fact]
    public async Task Build_LayersTakeTheCacheAndTheLoggerFromTheServices()
    {
        // Arrange
        var inner = new FakePaperScorer();
        var logs = new RecordingLoggerProvider();
        using var services = new ServiceCollection()
            .AddSingleton<IScoreCache>(new InMemoryScoreCache())
            .AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace))
            .BuildServiceProvider();
        var scorer = inner.AsBuilder().UseLogging().UseScoreCache().Build(services);

        // Act
        await scorer.ScoreAsync(TwoPapers);
        var again = await scorer.ScoreAsync(TwoPapers);

        // Assert: the second call is answered by the cache, and both calls were logged.
        inner.PapersSent.Should().Be(2);
        again.Scores.Should().HaveCount(2);
        logs.Entries.Where(e => e.EventId.Id == 3091).Should().HaveCount(2);
        logs.Entries.Should().Contain(e => e.Message.Contains("Scoring 2 papers with fake-model", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_UseScoreCacheWithNoCacheAnywhere_SaysWhatToRegister()
    {
        var builder = new FakePaperScorer().AsBuilder().UseScoreCache();

        var act = () => builder.Build();

        act.Should().Throw<InvalidOperationException>().WithMessage("*IScoreCache*");
    }

    [Fact]
    public void GetService_PassesTheInnerIdentityThroughEveryLayer_AndRulesChangeTheHash()
    {
        // Arrange: a scorer written against ArxivRank.Abstractions alone names itself through GetService.
        var plain = new MetadataScorer();
        var logged = plain.AsBuilder().Use(inner => new NamedLayer(inner, "timing", [])).Build();
        var ruled = plain.AsBuilder().UseRules(new PaperRules { BlockedAuthors = ["Spam Author"] }).Build();

        // Act
        var through = logged.GetService<ScorerMetadata>();
        var withRules = ruled.GetService<ScorerMetadata>();

        // Assert
        through!.ModelId.Should().Be("abstractions-only");
        through.CriteriaHash.Should().Be(MetadataScorer.Hash);
        withRules!.ModelId.Should().Be("abstractions-only");
        withRules.CriteriaHash.Should().NotBe(MetadataScorer.Hash).And.NotBeNull();
        logged.GetService<MetadataScorer>().Should().BeSameAs(plain);
    }

    [Fact]
    public async Task Pipeline_AScorerNamingItselfThroughGetService_IsCachedWithoutWarnings()
    {
        // Arrange
        var scorer = new MetadataScorer();
        var store = new InMemoryArxivRankStore();
        var pipeline = DigestPipeline.CreateBuilder()
            .UseSource(FakeArxivSource.ForDay(new DateOnly(2025, 6, 6), TwoPapers))
            .UseScorer(scorer)
            .UseStore(store)
            .AddRenderer(new RecordingRenderer())
            .Build();

        // Act
        var first = await pipeline.RunAsync(new MemoryDigestOutput());
        var second = await pipeline.RunAsync(new MemoryDigestOutput(), new DigestRunRequest { Force = true });

        // Assert
        first.Warnings.Should().NotContain(w => w.Code == DigestRunWarningCodes.ScoreCacheOff);
        second.Statistics.FromCache.Should().Be(2);
        scorer.Calls.Should().Be(1);
        first.Digest!.CriteriaText.Should().Be("Papers about attention.", "the pipeline takes the criteria text from the scorer");
        first.Digest.ScorerName.Should().Be("abstractions-only");
    }

    [Fact]
    public async Task Pipeline_ScorerWithItsOwnCacheLayer_IsNotCachedTwice()
    {
        // Arrange
        var inner = new FakePaperScorer();
        var store = new InMemoryArxivRankStore();
        var pipeline = DigestPipeline.CreateBuilder()
            .UseSource(FakeArxivSource.ForDay(new DateOnly(2025, 6, 6), TwoPapers))
            .UseScorer(sp => inner.AsBuilder().UseScoreCache().Build(sp))   // the builder's services hold the store's cache
            .UseStore(store)
            .AddRenderer(new RecordingRenderer())
            .Build();

        // Act
        await pipeline.RunAsync(new MemoryDigestOutput());
        var again = await pipeline.RunAsync(new MemoryDigestOutput(), new DigestRunRequest { Force = true });

        // Assert
        inner.PapersSent.Should().Be(2);
        again.Statistics.FromCache.Should().Be(2);
    }

    [Fact]
    public async Task UseTitleScreen_DropsWhatTheModelScreensOut_AndSendsTheRestOn()
    {
        // Arrange: the screen model names the protein paper as clearly out of scope.
        var chat = new TestChatClient
        {
            GetResponseAsyncCallback = (messages, _, _) => Task.FromResult(FakeScoringModel.Response(
                FakeScoringModel.IsTitleScreen(messages) ? "2502.00002" : FakeScoringModel.Answer(messages))),
        };
        var inner = new FakePaperScorer();
        var scorer = inner.AsBuilder().UseTitleScreen(chat, ScoringCriteria.Example).Build();

        // Act
        var result = await scorer.ScoreAsync(TwoPapers);

        // Assert
        inner.Calls.Should().ContainSingle().Which.Select(p => p.Id.Id).Should().Equal("2502.00001");
        result.Scores.Should().HaveCount(2);
        result.FindScore(ArxivId.Parse("2502.00002"))!.Relevance.Should().Be(1);
        scorer.GetService<ScorerMetadata>()!.CriteriaHash.Should().NotBe(inner.CriteriaHash, "screened verdicts must not share the inner scorer's cache key");
    }

    [Fact]
    public void UseTitleScreen_WithNoChatClient_SaysWhatToRegister()
    {
        var act = () => new FakePaperScorer().AsBuilder().UseTitleScreen(criteria: ScoringCriteria.Example).Build();

        act.Should().Throw<InvalidOperationException>().WithMessage("*IChatClient*");
    }

    [Fact]
    public async Task CreateLexical_FollowedAuthorInTheCriteria_EntersAsAnAuthorMatch_UnlessToldNot()
    {
        // Arrange
        var criteria = ScoringCriteria.Parse(ScoringCriteria.ExampleText + "\n\n## Followed authors\n\n- Grace Hopper\n");

        // Act
        var withRules = await PaperScorers.CreateLexical(criteria).ScoreAsync(TwoPapers);
        var without = await PaperScorers.CreateLexical(criteria, new LexicalScorerOptions { ApplyCriteriaRules = false }).ScoreAsync(TwoPapers);

        // Assert
        withRules.FindScore(ArxivId.Parse("2502.00002"))!.Origin.Should().Be(ScoreOrigin.AuthorMatch);
        without.FindScore(ArxivId.Parse("2502.00002"))!.Origin.Should().Be(ScoreOrigin.Scored);
    }

    [Fact]
    public void WithRules_TheSameRulesTwice_AreAppliedOnce()
    {
        var criteria = ScoringCriteria.Parse(ScoringCriteria.ExampleText + "\n\n## Followed authors\n\n- Grace Hopper\n");
        var scorer = new TestChatClient().AsPaperScorer(criteria);

        var again = scorer.WithRules(PaperRules.FromCriteria(criteria));

        again.Should().BeSameAs(scorer);
        scorer.GetService<ScoringCriteria>().Should().BeSameAs(criteria);
    }

    private sealed class NamedLayer(IPaperScorer inner, string name, List<string> order) : DelegatingPaperScorer(inner)
    {
        public string Name => name;

        public override Task<ScoringResult> ScoreAsync(IReadOnlyList<Paper> papers, IProgress<ScoringProgress>? progress = null, CancellationToken cancellationToken = default)
        {
            order.Add(name);
            return base.ScoreAsync(papers, progress, cancellationToken);
        }
    }

    /// <summary>Implements only the Abstractions contract: its identity is a <see cref="ScorerMetadata"/> answered by GetService.</summary>
    private sealed class MetadataScorer : IPaperScorer
    {
        public static readonly string Hash = ScorerMetadata.Hash("attention");

        public int Calls { get; private set; }

        public Task<ScoringResult> ScoreAsync(IReadOnlyList<Paper> papers, IProgress<ScoringProgress>? progress = null, CancellationToken cancellationToken = default)
        {
            Calls++;
            return Task.FromResult(new ScoringResult { Scores = [.. papers.Select(p => new PaperScore { PaperId = p.Id, Relevance = 8, Novelty = 7 })] });
        }

        public object? GetService(Type serviceType, object? serviceKey = null)
            => serviceType == typeof(ScorerMetadata) ? new ScorerMetadata("abstractions-only", Hash, "Papers about attention.")
                : serviceType.IsInstanceOfType(this) ? this : null;
    }
}
