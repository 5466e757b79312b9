using ArxivRank.Pipeline;
using ArxivRank.Rendering;
using ArxivRank.Scoring;
using ArxivRank.Sqlite;
using ArxivRank.Tests.Scoring;
using ArxivRank.Tests.Sqlite;
using ArxivRank.TestUtilities.Chat;

namespace ArxivRank.Tests.Reliability;

/// <summary>What survives a crash: scores per model answer, the title screen's verdicts, whole digest files, no store for nothing.</summary>
public sealed class PersistenceTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task WithScoreCache_RunDiesInTheFourthRequestOfAChunk_TheFirstThreeAnswersAreStored()
    {
        // Arrange: one chunk of 100 papers, ten requests of ten, one at a time; the fourth never returns.
        var papers = ScoringFixtures.Papers(100);
        var cache = new InMemoryArxivRankStore();
        using var kill = new CancellationTokenSource();
        var wellBehaved = FakeScoringModel.WellBehaved();
        int calls = 0;
        var client = new TestChatClient
        {
            GetResponseAsyncCallback = async (messages, options, token) =>
            {
                if (Interlocked.Increment(ref calls) == 4)
                {
                    await kill.CancelAsync();
                    await Task.Delay(Timeout.Infinite, token);
                }

                return await wellBehaved(messages, options, token);
            },
        };
        var scorer = client.AsPaperScorer(ScoringFixtures.Criteria, new LlmScorerOptions { ModelId = "gpt-4o", BatchSize = 10, MaxConcurrency = 1, TitleScreen = false })
            .WithScoreCache(cache, new ScoreCacheOptions { ChunkSize = 100 });

        // Act
        await FluentActions.Awaiting(() => scorer.ScoreAsync(papers, cancellationToken: kill.Token)).Should().ThrowAsync<OperationCanceledException>();

        // Assert: per request, not per chunk.
        cache.CachedScoreCount.Should().Be(30);
    }

    [Fact]
    public async Task AsPaperScorer_TitleScreenAnsweredThenRunDies_ReRunDoesNotScreenAgain()
    {
        // Arrange: the screen drops nothing; the run dies in the abstract pass.
        var papers = ScoringFixtures.Papers(30);
        var cache = new InMemoryArxivRankStore();
        var options = new LlmScorerOptions { ModelId = "gpt-4o", BatchSize = 10, MaxConcurrency = 1, TitleScreen = true };
        using var kill = new CancellationTokenSource();
        var wellBehaved = FakeScoringModel.WellBehaved();
        var first = new TestChatClient
        {
            GetResponseAsyncCallback = async (messages, chatOptions, token) =>
            {
                if (!FakeScoringModel.IsTitleScreen(messages))
                {
                    await kill.CancelAsync();
                    token.ThrowIfCancellationRequested();
                }

                return await wellBehaved(messages, chatOptions, token);
            },
        };
        await FluentActions.Awaiting(() => first.AsPaperScorer(ScoringFixtures.Criteria, options, cache).ScoreAsync(papers, cancellationToken: kill.Token))
            .Should().ThrowAsync<OperationCanceledException>();
        var second = new TestChatClient { GetResponseAsyncCallback = wellBehaved };

        // Act
        var result = await second.AsPaperScorer(ScoringFixtures.Criteria, options, cache).ScoreAsync(papers);

        // Assert
        first.Calls.Count(c => FakeScoringModel.IsTitleScreen(c.Messages)).Should().Be(1);
        second.Calls.Should().NotContain(c => FakeScoringModel.IsTitleScreen(c.Messages), "the screen's verdicts were kept");
        result.Scores.Should().HaveCount(30);
        result.Scores.Should().OnlyContain(s => s.Relevance != null, "a kept verdict is not a score: every paper was scored by the abstract pass");
    }

    [Fact]
    public async Task SqliteStore_OnlyReadsOnAMissingFile_CreateNoFile_FirstWriteDoes()
    {
        string path = _folder.File("sub/store.db");
        using var store = new SqliteArxivRankStore(new SqliteStoreOptions { Path = path });

        (await store.GetLastProcessedAsync()).Should().BeNull();
        (await store.IsProcessedAsync(new DateOnly(2025, 2, 26))).Should().BeFalse();
        (await store.GetManyAsync([new ScoreCacheKey(ArxivId.Parse("2502.00001"), "h", "m")])).Should().BeEmpty();
        (await store.LoadModelAsync()).Should().BeNull();
        File.Exists(path).Should().BeFalse();
        Directory.Exists(Path.GetDirectoryName(path)).Should().BeFalse();

        await store.SetManyAsync([KeyValuePair.Create(new ScoreCacheKey(ArxivId.Parse("2502.00001"), "h", "m"), new PaperScore { PaperId = ArxivId.Parse("2502.00001"), Relevance = 5 })]);

        File.Exists(path).Should().BeTrue();
        (await store.GetManyAsync([new ScoreCacheKey(ArxivId.Parse("2502.00001"), "h", "m")])).Should().ContainSingle();
    }

    [Fact]
    public async Task DirectoryDigestOutput_FileAppearsOnlyWholeWhenItsStreamIsDisposed()
    {
        var output = new DirectoryDigestOutput(_folder.Path);
        string target = _folder.File("2025-02/index.html");

        var stream = await output.CreateAsync("2025-02/index.html", "text/html");
        await stream.WriteAsync("<html>half"u8.ToArray());
        bool visibleWhileWriting = File.Exists(target);
        await stream.WriteAsync("</html>"u8.ToArray());
        await stream.DisposeAsync();

        visibleWhileWriting.Should().BeFalse();
        (await File.ReadAllTextAsync(target)).Should().Be("<html>half</html>");
        Directory.GetFiles(Path.GetDirectoryName(target)!).Should().Equal(target);
    }

    [Fact]
    public async Task DirectoryDigestOutput_WriteFails_KeepsTheOldFileAndLeavesNoTemporaryFile()
    {
        Directory.CreateDirectory(_folder.Path);
        await File.WriteAllTextAsync(_folder.File("day.md"), "yesterday's complete file");
        var output = new DirectoryDigestOutput(_folder.Path);
        using var canceled = new CancellationTokenSource();
        await canceled.CancelAsync();

        var stream = await output.CreateAsync("day.md", "text/markdown");
        await FluentActions.Awaiting(async () => await stream.WriteAsync(new byte[100], canceled.Token)).Should().ThrowAsync<OperationCanceledException>();
        await stream.DisposeAsync();

        (await File.ReadAllTextAsync(_folder.File("day.md"))).Should().Be("yesterday's complete file");
        Directory.GetFiles(_folder.Path).Should().ContainSingle();
    }
}
