using ArxivRank.Scoring;

namespace ArxivRank.Tests.Scoring;

public class InMemoryScoreCacheTests
{
    private static readonly ArxivId V1 = ArxivId.Parse("2502.12851v1");
    private static readonly ArxivId V2 = ArxivId.Parse("2502.12851v2");

    [Fact]
    public async Task GetManyAsync_AfterSetManyAsync_ReturnsOnlyTheStoredKeys()
    {
        var cache = new InMemoryScoreCache();
        var key = new ScoreCacheKey(V1, "hash", "gpt-4o");
        var score = new PaperScore { PaperId = V1, Relevance = 8, Novelty = 7, Comment = "c" };

        await cache.SetManyAsync([KeyValuePair.Create(key, score)]);
        var found = await cache.GetManyAsync([key, key with { PaperId = V2 }, key with { CriteriaHash = "other" }, key with { ModelId = "gpt-4o-mini" }]);

        found.Should().ContainSingle().Which.Should().Be(KeyValuePair.Create(key, score));
        cache.Count.Should().Be(1);
    }

    [Fact]
    public async Task SetManyAsync_SameKey_ReplacesTheScore()
    {
        var cache = new InMemoryScoreCache();
        var key = new ScoreCacheKey(V1, "hash", "m");

        await cache.SetManyAsync([KeyValuePair.Create(key, new PaperScore { PaperId = V1, Relevance = 3 })]);
        await cache.SetManyAsync([KeyValuePair.Create(key, new PaperScore { PaperId = V1, Relevance = 9 })]);

        (await cache.GetManyAsync([key]))[key].Relevance.Should().Be(9);
        cache.Clear();
        (await cache.GetManyAsync([key])).Should().BeEmpty();
    }

    [Fact]
    public async Task Methods_NullArguments_Throw()
    {
        var cache = new InMemoryScoreCache();

        await FluentActions.Awaiting(() => cache.GetManyAsync(null!).AsTask()).Should().ThrowAsync<ArgumentNullException>();
        await FluentActions.Awaiting(() => cache.SetManyAsync(null!).AsTask()).Should().ThrowAsync<ArgumentNullException>();
    }
}
