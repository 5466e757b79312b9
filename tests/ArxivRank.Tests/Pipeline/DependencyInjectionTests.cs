using ArxivRank.Pipeline;
using ArxivRank.Rendering;
using ArxivRank.Scoring;
using ArxivRank.Selection;
using ArxivRank.Sources;
using ArxivRank.Sqlite;
using ArxivRank.Tests.Sqlite;
using ArxivRank.TestUtilities.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ArxivRank.Tests.Pipeline;

public sealed class DependencyInjectionTests
{
    [Fact]
    public async Task AddArxivRank_WithSourceScorerAndRenderer_ResolvesAPipelineThatRuns()
    {
        // Arrange
        var kit = new PipelineTestKit();
        var services = new ServiceCollection();
        services.AddArxivRank(o => { o.Selection.MinRelevance = 8; o.Selection.MinNovelty = 7; })
            .UseSource(_ => kit.Source)
            .UseScorer(_ => kit.Scorer)
            .AddRenderer(_ => kit.Markdown);
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        provider.GetRequiredService<IStartupValidator>().Validate();

        // Act
        var result = await provider.GetRequiredService<DigestPipeline>().RunAsync(new MemoryDigestOutput());

        // Assert
        result.Digest!.Papers.Select(e => e.Paper.Id.Id).Should().BeEquivalentTo(kit.Picks);
        (await provider.GetRequiredService<IDigestStore>().IsProcessedAsync(PipelineTestKit.Day)).Should().BeTrue();
    }

    [Fact]
    public void AddArxivRank_Defaults_RegistersOneInMemoryStoreAsStoreAndScoreCache()
    {
        var services = new ServiceCollection();
        services.AddArxivRank();
        using var provider = services.BuildServiceProvider();

        var store = provider.GetRequiredService<IDigestStore>();

        store.Should().BeOfType<InMemoryArxivRankStore>();
        provider.GetRequiredService<IScoreCache>().Should().BeSameAs(store);
        provider.GetRequiredService<PaperSelector>().Options.MinRelevance.Should().Be(7);
        provider.GetRequiredService<TimeProvider>().Should().BeSameAs(TimeProvider.System);
    }

    [Theory]
    [InlineData("Selection.MinRelevance")]
    [InlineData("Selection.TopK")]
    [InlineData("ScoreCache.ChunkSize")]
    [InlineData("Categories")]
    public void AddArxivRank_InvalidOption_FailsAtStartNamingTheOption(string option)
    {
        // Arrange
        var services = new ServiceCollection();
        services.AddArxivRank(o =>
        {
            switch (option)
            {
                case "Selection.MinRelevance": o.Selection.MinRelevance = 42; break;
                case "Selection.TopK": o.Selection.TopK = -1; break;
                case "ScoreCache.ChunkSize": o.ScoreCache.ChunkSize = 0; break;
                default: o.Categories = ["cs LG"]; break;
            }
        });
        using var provider = services.BuildServiceProvider();

        // Act
        var act = () => provider.GetRequiredService<IStartupValidator>().Validate();

        // Assert
        act.Should().Throw<OptionsValidationException>().WithMessage($"*DigestPipelineOptions.{option}*");
    }

    [Fact]
    public void AddArxivRank_NoScorerRegistered_ThrowsSayingWhatToRegister()
    {
        var services = new ServiceCollection();
        services.AddArxivRank().UseSource(_ => new FakeArxivSource());
        using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<DigestPipeline>();

        act.Should().Throw<InvalidOperationException>().WithMessage("*IPaperScorer*IChatClient*UseScorer*");
    }

    [Fact]
    public void AddArxivRank_NoSourceRegistered_ThrowsSayingWhatToRegister()
    {
        var services = new ServiceCollection();
        services.AddArxivRank().UseScorer(_ => new FakePaperScorer());
        using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<DigestPipeline>();

        act.Should().Throw<InvalidOperationException>().WithMessage("*IArxivSource*UseSource*");
    }

    [Fact]
    public void UseScorer_CalledTwice_KeepsTheLast()
    {
        var first = new FakePaperScorer();
        var second = new FakePaperScorer();
        var services = new ServiceCollection();
        services.AddArxivRank().UseScorer(_ => first).UseScorer(_ => second);
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IPaperScorer>().Should().BeSameAs(second);
        provider.GetServices<IPaperScorer>().Should().ContainSingle();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AddArxivRankSqlite_BeforeOrAfterAddArxivRank_ReplacesTheInMemoryStore(bool sqliteFirst)
    {
        // Arrange
        using var folder = new TempFolder();
        string path = folder.File("di.db");
        var services = new ServiceCollection();
        if (sqliteFirst)
        {
            services.AddArxivRankSqlite(o => o.Path = path);
        }

        services.AddArxivRank().UseSource(_ => new FakeArxivSource()).UseScorer(_ => new FakePaperScorer());
        if (!sqliteFirst)
        {
            services.AddArxivRankSqlite(o => o.Path = path);
        }

        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();

        // Act
        var store = provider.GetRequiredService<IDigestStore>();

        // Assert
        store.Should().BeOfType<SqliteArxivRankStore>().Which.Path.Should().Be(Path.GetFullPath(path));
        provider.GetRequiredService<IScoreCache>().Should().BeSameAs(store);
        provider.GetRequiredService<DigestPipeline>().Store.Should().BeSameAs(store);
        provider.GetServices<IDigestStore>().Should().ContainSingle();
    }

    [Fact]
    public void AddArxivRankSqlite_InvalidOption_FailsAtStartNamingTheOption()
    {
        var services = new ServiceCollection();
        services.AddArxivRank();
        services.AddArxivRankSqlite(o => o.BusyTimeout = TimeSpan.FromSeconds(-1));
        using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IStartupValidator>().Validate();

        act.Should().Throw<OptionsValidationException>().WithMessage("*SqliteStoreOptions.BusyTimeout*");
    }
}
