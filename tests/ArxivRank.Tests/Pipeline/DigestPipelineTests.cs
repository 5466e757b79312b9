using ArxivRank.Pipeline;
using ArxivRank.Rendering;
using ArxivRank.Scoring;
using ArxivRank.Sources;
using ArxivRank.TestUtilities.Pipeline;

namespace ArxivRank.Tests.Pipeline;

public sealed class DigestPipelineTests
{
    [Fact]
    public async Task RunAsync_RealDay_WritesTheReadersPicksWithStatistics()
    {
        // Arrange
        var kit = new PipelineTestKit();
        var output = new MemoryDigestOutput();
        int n = kit.Papers.Count;

        // Act
        var result = await kit.Build().RunAsync(output);

        // Assert
        result.Status.Should().Be(DigestRunStatus.Written);
        result.AnnouncementDate.Should().Be(PipelineTestKit.Day);
        result.Outputs.Should().Equal("2025-06-06.md", "2025-06-06.html");
        output.Names.Should().Equal("2025-06-06.md", "2025-06-06.html");
        var digest = result.Digest!;
        digest.Papers.Select(e => e.Paper.Id.Id).Should().BeEquivalentTo(kit.Picks);
        output.GetText("2025-06-06.md").Split('\n').Should().HaveCount(kit.Picks.Count());
        digest.Totals.Should().Be(new DigestTotals { TotalPapers = n, ScannedPapers = n, ScoredPapers = n, RelevantPapers = kit.Picks.Count() });
        digest.ScorerName.Should().Be("fake-model");

        var stats = result.Statistics;
        stats.Fetched.Should().Be(n);
        stats.Kept.Should().Be(n);
        stats.Scored.Should().Be(n);
        stats.FromCache.Should().Be(0);
        stats.Unscored.Should().BeEmpty();
        stats.Selected.Should().Be(kit.Picks.Count());
        var usage = stats.Usage.Should().ContainSingle().Subject;
        usage.ModelId.Should().Be("fake-model");
        usage.InputTokens.Should().Be(100L * n);
        usage.OutputTokens.Should().Be(20L * n);
        usage.Requests.Should().Be((n + 99) / 100);
        usage.TotalCost.Should().Be((100m * n * 0.000_002_5m) + (20m * n * 0.000_01m));
        digest.Usage.Should().Equal(stats.Usage);
        stats.Stages.Select(s => s.Stage).Should().Equal("fetch", "dedupe", "seen", "score", "select", "render", "store");
        stats.Stages.Single(s => s.Stage == "select").Should().Match<ArxivRank.Rendering.StageStatistics>(s => s.Input == n && s.Output == kit.Picks.Count());
        (await kit.Store.IsProcessedAsync(PipelineTestKit.Day)).Should().BeTrue();
        var stored = await kit.Store.LoadDigestAsync(PipelineTestKit.Day);
        stored.Should().BeEquivalentTo(digest);
    }

    [Fact]
    public void Build_OptionsChangedAfterwards_DoNotAffectThePipeline()
    {
        // Arrange
        var kit = new PipelineTestKit();
        var builder = DigestPipeline.CreateBuilder().UseSource(kit.Source).UseScorer(kit.Scorer);
        var pipeline = builder.Build();

        // Act
        builder.Configure(o => o.Categories.Add("cs.AI"));
        pipeline.Options.Categories.Add("math.ST");

        // Assert
        pipeline.Options.Categories.Should().Equal("cs.LG");
    }

    [Fact]
    public async Task RunAsync_DayAlreadyProcessedAndFeedUnchanged_ReturnsNoNewAnnouncementAndWritesNothing()
    {
        // Arrange
        var kit = new PipelineTestKit();
        var pipeline = kit.Build();
        await pipeline.RunAsync(new MemoryDigestOutput());
        var output = new MemoryDigestOutput();

        // Act
        var result = await pipeline.RunAsync(output);

        // Assert
        result.Status.Should().Be(DigestRunStatus.NoNewAnnouncement);
        result.Reason.Should().Contain("2025-06-06");
        result.Digest.Should().BeNull();
        output.Names.Should().BeEmpty();
        kit.Source.Queries[1].LastProcessedAnnouncement.Should().Be(PipelineTestKit.Day);
        kit.Scorer.Calls.Should().HaveCount(3, "the second run scores nothing");
    }

    [Fact]
    public async Task RunAsync_SourceIgnoresLastProcessed_StoreStillDecidesNoNewAnnouncement()
    {
        // Arrange: a source that always serves the same day (it does not honor LastProcessedAnnouncement).
        var kit = new PipelineTestKit();
        kit.Source = new FakeArxivSource { Result = new SourceResult { AnnouncementDate = PipelineTestKit.Day, Papers = kit.Papers } };
        var pipeline = kit.Build();
        await pipeline.RunAsync(new MemoryDigestOutput());

        // Act
        var result = await pipeline.RunAsync(new MemoryDigestOutput());

        // Assert
        result.Status.Should().Be(DigestRunStatus.NoNewAnnouncement);
        result.Reason.Should().Contain("already processed").And.Contain("force");
    }

    [Fact]
    public async Task RunAsync_Force_RegeneratesTheDayFromCachedScoresSpendingZeroTokens()
    {
        // Arrange
        var kit = new PipelineTestKit();
        var pipeline = kit.Build();
        var first = await pipeline.RunAsync(new MemoryDigestOutput());
        int sent = kit.Scorer.PapersSent;
        var output = new MemoryDigestOutput();

        // Act
        var result = await pipeline.RunAsync(output, new DigestRunRequest { Force = true });

        // Assert
        result.Status.Should().Be(DigestRunStatus.Written);
        kit.Scorer.PapersSent.Should().Be(sent);
        result.Statistics.Usage.Should().BeEmpty();
        result.Statistics.FromCache.Should().Be(kit.Papers.Count);
        result.Digest!.Papers.Should().Equal(first.Digest!.Papers);
        output.Names.Should().Equal("2025-06-06.md", "2025-06-06.html");
        kit.Source.Queries[1].LastProcessedAnnouncement.Should().BeNull();
    }

    [Fact]
    public async Task RunAsync_SkipProcessedCheck_RunsTheSameDayAgain()
    {
        // Arrange: a snapshot-like source.
        var kit = new PipelineTestKit { Configure = o => o.SkipProcessedCheck = true };
        kit.Source = new FakeArxivSource { Result = new SourceResult { AnnouncementDate = PipelineTestKit.Day, Papers = kit.Papers } };
        var pipeline = kit.Build();
        await pipeline.RunAsync(new MemoryDigestOutput());

        // Act
        var result = await pipeline.RunAsync(new MemoryDigestOutput());

        // Assert
        result.Status.Should().Be(DigestRunStatus.Written);
        result.Digest!.Papers.Should().HaveCount(kit.Picks.Count(), "the day's own papers are not 'seen before'");
        kit.Source.Queries.Should().OnlyContain(q => q.LastProcessedAnnouncement == null);
    }

    [Fact]
    public async Task RunAsync_PaperSeenOnAnEarlierDay_IsLeftOutButTheDaysOwnPapersStay()
    {
        // Arrange
        var day1 = new DateOnly(2025, 6, 5);
        var day2 = new DateOnly(2025, 6, 6);
        var a = PipelineTestKit.Paper("2506.00001v1", day1);
        var b = PipelineTestKit.Paper("2506.00002v1", day1);
        var c = PipelineTestKit.Paper("2506.00003v1", day2);
        var kit = new PipelineTestKit { Configure = PipelineTestKit.NoCutOffs };
        kit.Scorer = new FakePaperScorer();
        var pipeline = kit.Build();
        kit.Source.FetchAsyncCallback = (_, _) => Task.FromResult(new SourceResult { AnnouncementDate = day1, Papers = [a, b] });
        await pipeline.RunAsync(new MemoryDigestOutput());

        // Act: day 2 shows b again (a cross-list announced twice) and c.
        kit.Source.FetchAsyncCallback = (_, _) => Task.FromResult(new SourceResult { AnnouncementDate = day2, Papers = [b with { Id = ArxivId.Parse("2506.00002v2") }, c] });
        var second = await pipeline.RunAsync(new MemoryDigestOutput());
        kit.Source.FetchAsyncCallback = (_, _) => Task.FromResult(new SourceResult { AnnouncementDate = day1, Papers = [a, b] });
        var rebuilt = await pipeline.RunAsync(new MemoryDigestOutput(), new DigestRunRequest { Force = true, Date = day1 });

        // Assert
        second.Statistics.SeenBefore.Should().Be(1);
        second.Digest!.Papers.Select(e => e.Paper.Id.Id).Should().Equal("2506.00003");
        kit.Scorer.Calls[1].Select(p => p.Id.Id).Should().Equal("2506.00003");
        rebuilt.Statistics.SeenBefore.Should().Be(0, "b was seen on day 1 itself and on a later day, never before day 1");
        rebuilt.Digest!.Papers.Select(e => e.Paper.Id.Id).Should().BeEquivalentTo("2506.00001", "2506.00002");
    }

    [Fact]
    public async Task RunAsync_DuplicatePapers_KeepsOnePerIdAtTheHighestVersion()
    {
        // Arrange
        var kit = new PipelineTestKit { Configure = PipelineTestKit.NoCutOffs };
        kit.Scorer = new FakePaperScorer();
        kit.Source = new FakeArxivSource
        {
            Result = new SourceResult
            {
                AnnouncementDate = PipelineTestKit.Day,
                Papers =
                [
                    PipelineTestKit.Paper("2506.00001v1", title: "first"),
                    PipelineTestKit.Paper("2506.00002"),
                    PipelineTestKit.Paper("2506.00001v2", title: "second"),
                ],
            },
        };

        // Act
        var result = await kit.Build().RunAsync(new MemoryDigestOutput());

        // Assert
        result.Statistics.Duplicates.Should().Be(1);
        kit.Scorer.Calls.Single().Select(p => (p.Id.ToString(), p.Title)).Should().Equal(("2506.00001v2", "first"), ("2506.00002", "Paper 2506.00002"));
        result.Statistics.Stages.Single(s => s.Stage == "dedupe").Should().Match<ArxivRank.Rendering.StageStatistics>(s => s.Input == 3 && s.Output == 2);
    }

    [Fact]
    public async Task RunAsync_ScorerThrowsScoringException_WritesNoDigestAndMarksNothing()
    {
        // Arrange
        var kit = new PipelineTestKit();
        kit.Scorer.BeforeCall = (i, _) => throw new ScoringException("The model failed for 100% of the papers (401 Unauthorized).");
        var output = new MemoryDigestOutput();
        using var metrics = new MetricRecorder(kit.Meters);

        // Act
        var act = () => kit.Build().RunAsync(output);

        // Assert
        await act.Should().ThrowAsync<ScoringException>().WithMessage("*401*");
        output.Names.Should().BeEmpty();
        kit.Markdown.Digests.Should().BeEmpty();
        (await kit.Store.IsProcessedAsync(PipelineTestKit.Day)).Should().BeFalse();
        (await kit.Store.GetHistoryAsync()).Should().BeEmpty();
        metrics.Sum("arxivrank.pipeline.failures", "error.type", nameof(ScoringException)).Should().Be(1);
    }

    [Fact]
    public async Task RunAsync_NoPaperCouldBeScored_ThrowsScoringExceptionAndWritesNothing()
    {
        // Arrange: a lax scorer that reports every paper unscored instead of throwing.
        var kit = new PipelineTestKit();
        kit.Scorer = new FakePaperScorer { ScoreCallback = _ => null };
        var output = new MemoryDigestOutput();

        // Act
        var act = () => kit.Build().RunAsync(output);

        // Assert
        var thrown = await act.Should().ThrowAsync<ScoringException>().WithMessage($"None of the {kit.Papers.Count} papers could be scored*did not return this id*");
        thrown.Which.PartialResult!.Unscored.Should().HaveCount(kit.Papers.Count);
        output.Names.Should().BeEmpty();
        (await kit.Store.IsProcessedAsync(PipelineTestKit.Day)).Should().BeFalse();
    }

    [Fact]
    public async Task RunAsync_ScorerLosesAndInventsPapers_AccountsForEveryPaper()
    {
        // Arrange: the scorer drops the third paper silently, reports the second unscored, and scores an id it was never given.
        var kit = new PipelineTestKit { Configure = PipelineTestKit.NoCutOffs };
        var papers = new[] { PipelineTestKit.Paper("2506.00001"), PipelineTestKit.Paper("2506.00002"), PipelineTestKit.Paper("2506.00003") };
        kit.Source = new FakeArxivSource { Result = new SourceResult { AnnouncementDate = PipelineTestKit.Day, Papers = papers } };
        var scorer = new LyingScorer(papers);

        // Act
        var result = await DigestPipeline.CreateBuilder().UseSource(kit.Source).UseScorer(scorer).UseScoreCache(null).Build()
            .RunAsync(new MemoryDigestOutput());

        // Assert
        result.Digest!.Papers.Select(e => e.Paper.Id.Id).Should().Equal("2506.00001");
        result.Statistics.Unscored.Select(u => (u.Paper.Id.Id, u.Reason)).Should().Equal(
            ("2506.00002", "timeout"),
            ("2506.00003", "The scorer returned neither a score nor a reason for this paper."));
        result.Digest.Unscored.Should().Equal(result.Statistics.Unscored);
        (result.Statistics.Scored + result.Statistics.Unscored.Count).Should().Be(3);
    }

    [Fact]
    public async Task RunAsync_RendererFails_WritesNoFileAndMarksNothing()
    {
        // Arrange
        var kit = new PipelineTestKit();
        kit.Html.BeforeRender = _ => throw new IOException("template missing");
        var output = new MemoryDigestOutput();

        // Act
        var act = () => kit.Build().RunAsync(output);

        // Assert
        await act.Should().ThrowAsync<IOException>();
        kit.Markdown.Digests.Should().ContainSingle("the first renderer ran");
        output.Names.Should().BeEmpty("rendering is buffered until every renderer succeeded");
        (await kit.Store.IsProcessedAsync(PipelineTestKit.Day)).Should().BeFalse();
    }

    [Theory]
    [InlineData("fetch")]
    [InlineData("score")]
    [InlineData("render")]
    public async Task RunAsync_CanceledDuringAStage_ThrowsAndMarksNothing(string stage)
    {
        // Arrange
        var kit = new PipelineTestKit();
        using var cts = new CancellationTokenSource();
        var inner = kit.Source.FetchAsyncCallback!;
        kit.Source.FetchAsyncCallback = (q, ct) =>
        {
            if (stage == "fetch")
            {
                cts.Cancel();
                ct.ThrowIfCancellationRequested();
            }

            return inner(q, ct);
        };
        kit.Scorer.BeforeCall = (i, _) =>
        {
            if (stage == "score" && i == 1)
            {
                cts.Cancel();
                cts.Token.ThrowIfCancellationRequested();
            }
        };
        kit.Markdown.BeforeRender = _ =>
        {
            if (stage == "render")
            {
                cts.Cancel();
                cts.Token.ThrowIfCancellationRequested();
            }
        };
        var output = new MemoryDigestOutput();

        // Act
        var act = () => kit.Build().RunAsync(output, cancellationToken: cts.Token);

        // Assert
        await act.Should().ThrowAsync<OperationCanceledException>();
        output.Names.Should().BeEmpty();
        (await kit.Store.IsProcessedAsync(PipelineTestKit.Day)).Should().BeFalse();
    }

    [Fact]
    public async Task RunAsync_CanceledDuringScoring_KeepsTheScoresAlreadyPaidFor()
    {
        // Arrange
        var kit = new PipelineTestKit();
        var store = (InMemoryArxivRankStore)kit.Store;
        using var cts = new CancellationTokenSource();
        kit.Scorer.BeforeCall = (i, _) =>
        {
            if (i == 2)
            {
                cts.Cancel();
                cts.Token.ThrowIfCancellationRequested();
            }
        };
        var pipeline = kit.Build();
        await FluentActions.Awaiting(() => pipeline.RunAsync(new MemoryDigestOutput(), cancellationToken: cts.Token)).Should().ThrowAsync<OperationCanceledException>();
        kit.Scorer.BeforeCall = null;

        // Act
        var result = await pipeline.RunAsync(new MemoryDigestOutput());

        // Assert
        store.CachedScoreCount.Should().Be(kit.Papers.Count);
        result.Statistics.FromCache.Should().Be(200);
        result.Statistics.Usage.Single().InputTokens.Should().Be(100L * (kit.Papers.Count - 200));
    }

    [Fact]
    public async Task RunAsync_CanceledBeforeStart_DoesNotFetch()
    {
        var kit = new PipelineTestKit();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var act = () => kit.Build().RunAsync(new MemoryDigestOutput(), cancellationToken: cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        kit.Source.Queries.Should().BeEmpty();
    }

    [Fact]
    public async Task RunAsync_Progress_ReportsEveryStageInOrderAndScoringAsItAdvances()
    {
        // Arrange
        var kit = new PipelineTestKit();
        var progress = new RecordingProgress<PipelineProgress>();

        // Act
        await kit.Build().RunAsync(new MemoryDigestOutput(), progress: progress);

        // Assert
        progress.Reports.Select(r => r.Stage).Distinct().Should().Equal(
            PipelineStage.Fetch, PipelineStage.Dedupe, PipelineStage.Seen, PipelineStage.Score, PipelineStage.Select, PipelineStage.Render, PipelineStage.Store);
        var scoring = progress.Reports.Where(r => r.Stage == PipelineStage.Score).ToList();
        scoring.Select(r => r.Completed).Should().BeInAscendingOrder().And.Contain([0, 100, 200, kit.Papers.Count]);
        scoring.Should().OnlyContain(r => r.Total == kit.Papers.Count);
        progress.Reports[^1].Should().Be(new PipelineProgress(PipelineStage.Store, kit.Papers.Count, kit.Papers.Count));
    }

    [Fact]
    public async Task RunAsync_StageTimings_ComeFromTheTimeProvider()
    {
        // Arrange: each scorer call takes 3 simulated seconds; there are 3 calls.
        var kit = new PipelineTestKit();
        kit.Scorer.LatencyPerCall = TimeSpan.FromSeconds(3);

        // Act
        var result = await kit.Build().RunAsync(new MemoryDigestOutput());

        // Assert
        var stages = result.Statistics.Stages.ToDictionary(s => s.Stage, s => s.Duration);
        stages["score"].Should().Be(TimeSpan.FromSeconds(9));
        stages.Where(s => s.Key != "score").Should().OnlyContain(s => s.Value == TimeSpan.Zero);
        result.Statistics.Elapsed.Should().Be(TimeSpan.FromSeconds(9));
    }

    [Fact]
    public async Task RunAsync_Metrics_CountPapersTokensCostAndCacheHits()
    {
        // Arrange
        var kit = new PipelineTestKit();
        using var metrics = new MetricRecorder(kit.Meters);
        var pipeline = kit.Build();
        int n = kit.Papers.Count;

        // Act
        await pipeline.RunAsync(new MemoryDigestOutput());
        await pipeline.RunAsync(new MemoryDigestOutput(), new DigestRunRequest { Force = true });

        // Assert
        metrics.Sum("arxivrank.papers.scored").Should().Be(n);
        metrics.Sum("arxivrank.papers.cached").Should().Be(n);
        metrics.Sum("arxivrank.tokens", "gen_ai.token.type", "input").Should().Be(100 * n);
        metrics.Sum("arxivrank.tokens", "gen_ai.token.type", "output").Should().Be(20 * n);
        metrics.Sum("arxivrank.cost").Should().BeApproximately((double)((100m * n * 0.000_002_5m) + (20m * n * 0.000_01m)), 1e-9);
        metrics.Sum("arxivrank.pipeline.runs", "arxivrank.outcome", "written").Should().Be(2);
        metrics.Sum("arxivrank.pipeline.failures").Should().Be(0);
    }

    [Fact]
    public async Task RunAsync_DryRun_ListsWhatWouldBeScoredCallsNoModelAndWritesNothing()
    {
        // Arrange: the day was scored once; a new paper joined the feed.
        var kit = new PipelineTestKit();
        var extra = PipelineTestKit.Paper("2506.99999");
        var pipeline = kit.Build();
        await pipeline.RunAsync(new MemoryDigestOutput());
        kit.Source.FetchAsyncCallback = (_, _) => Task.FromResult(new SourceResult { AnnouncementDate = PipelineTestKit.Day, Papers = [.. kit.Papers, extra] });
        int calls = kit.Scorer.Calls.Count;
        var output = new MemoryDigestOutput();

        // Act
        var result = await pipeline.RunAsync(output, new DigestRunRequest { DryRun = true, Force = true });

        // Assert
        result.Status.Should().Be(DigestRunStatus.DryRun);
        result.PapersToScore.Should().Equal(extra);
        result.Statistics.Kept.Should().Be(kit.Papers.Count + 1);
        kit.Scorer.Calls.Should().HaveCount(calls);
        output.Names.Should().BeEmpty();
        (await kit.Store.GetHistoryAsync()).Single().ScannedPapers.Should().Be(kit.Papers.Count);
    }

    [Fact]
    public async Task RunAsync_SourceHasNoAnnouncement_ReturnsNoNewAnnouncement()
    {
        var kit = new PipelineTestKit();
        kit.Source = new FakeArxivSource { Result = SourceResult.NoNewAnnouncement(null) };

        var result = await kit.Build().RunAsync(new MemoryDigestOutput());

        result.Status.Should().Be(DigestRunStatus.NoNewAnnouncement);
        result.Reason.Should().Contain("weekend");
        kit.Scorer.Calls.Should().BeEmpty();
    }

    [Fact]
    public async Task RunAsync_RequestedDate_AsksTheSourceForThatDayAndUsesIt()
    {
        // Arrange: an export-API-like source that does not echo an announcement date.
        var kit = new PipelineTestKit { Configure = o => o.Categories = ["cs.LG", "cs.AI"] };
        var day = new DateOnly(2025, 5, 15);
        kit.Source = new FakeArxivSource { Result = new SourceResult { Papers = [PipelineTestKit.Paper("2505.00001")] } };
        kit.Scorer = new FakePaperScorer();

        // Act
        var result = await kit.Build().RunAsync(new MemoryDigestOutput(), new DigestRunRequest { Date = day });

        // Assert
        var query = kit.Source.Queries.Single();
        (query.From, query.Until).Should().Be((day, day));
        query.Categories.Should().Equal("cs.LG", "cs.AI");
        result.AnnouncementDate.Should().Be(day);
        result.Digest!.Categories.Should().Equal("cs.LG", "cs.AI");
    }

    [Fact]
    public async Task RunAsync_SourceWithoutAnnouncementDate_UsesThePapersMostCommonDay()
    {
        var kit = new PipelineTestKit();
        var d1 = new DateOnly(2025, 3, 3);
        var d2 = new DateOnly(2025, 3, 4);
        kit.Source = new FakeArxivSource { Result = new SourceResult { Papers = [PipelineTestKit.Paper("2503.00001", d1), PipelineTestKit.Paper("2503.00002", d2), PipelineTestKit.Paper("2503.00003", d2)] } };
        kit.Scorer = new FakePaperScorer();

        var result = await kit.Build().RunAsync(new MemoryDigestOutput());

        result.AnnouncementDate.Should().Be(d2);
    }

    [Fact]
    public async Task RunAsync_NoDateAnywhere_UsesTodayInArxivsTimeZone()
    {
        // Arrange: 02:00 UTC on July 4 is still July 3 in New York.
        var kit = new PipelineTestKit();
        kit.Clock.SetUtcNow(new DateTimeOffset(2025, 7, 4, 2, 0, 0, TimeSpan.Zero));
        kit.Source = new FakeArxivSource { Result = new SourceResult { Papers = [PipelineTestKit.Paper("2503.00001")] } };
        kit.Scorer = new FakePaperScorer();

        // Act
        var result = await kit.Build().RunAsync(new MemoryDigestOutput());

        // Assert
        result.AnnouncementDate.Should().Be(new DateOnly(2025, 7, 3));
    }

    [Fact]
    public async Task RunAsync_SeveralDays_LinksPreviousAndNextAndKeepsTheDigestJson()
    {
        // Arrange
        var kit = new PipelineTestKit { Configure = PipelineTestKit.NoCutOffs };
        kit.Scorer = new FakePaperScorer();
        var pipeline = kit.Build();
        var days = new[] { new DateOnly(2025, 6, 2), new DateOnly(2025, 6, 3), new DateOnly(2025, 6, 4) };
        for (int i = 0; i < days.Length; i++)
        {
            var day = days[i];
            var paper = PipelineTestKit.Paper($"2506.0000{i + 1}");
            kit.Source.FetchAsyncCallback = (_, _) => Task.FromResult(new SourceResult { AnnouncementDate = day, Papers = [paper] });
            await pipeline.RunAsync(new MemoryDigestOutput());
        }

        // Act: rebuild the middle day.
        var day2 = days[1];
        kit.Source.FetchAsyncCallback = (_, _) => Task.FromResult(new SourceResult { AnnouncementDate = day2, Papers = [PipelineTestKit.Paper("2506.00002")] });
        var rebuilt = await pipeline.RunAsync(new MemoryDigestOutput(), new DigestRunRequest { Force = true });

        // Assert
        rebuilt.Digest!.Navigation.Should().Be(new DigestNavigation { Previous = days[0], Next = days[2] });
        kit.Markdown.Digests[0].Navigation.Should().Be(new DigestNavigation());
        kit.Markdown.Digests[2].Navigation.Previous.Should().Be(days[1]);
        var stored = await kit.Store.LoadDigestAsync(day2);
        stored!.Papers.Select(e => e.Paper.Id).Should().Equal(rebuilt.Digest.Papers.Select(e => e.Paper.Id));
        stored.Stages.Select(s => s.Stage).Should().EndWith("store");
        (await kit.Store.GetMonthAsync(2025, 6)).Select(s => s.Date).Should().Equal(days);
    }

    [Fact]
    public async Task RunAsync_EveryPaperSeenBefore_WritesAnEmptyDigestWithoutCallingTheScorer()
    {
        // Arrange
        var kit = new PipelineTestKit();
        kit.Scorer = new FakePaperScorer();
        var paper = PipelineTestKit.Paper("2506.00001");
        var pipeline = kit.Build();
        kit.Source.FetchAsyncCallback = (_, _) => Task.FromResult(new SourceResult { AnnouncementDate = new DateOnly(2025, 6, 5), Papers = [paper] });
        await pipeline.RunAsync(new MemoryDigestOutput());
        kit.Source.FetchAsyncCallback = (_, _) => Task.FromResult(new SourceResult { AnnouncementDate = new DateOnly(2025, 6, 6), Papers = [paper] });

        // Act
        var result = await pipeline.RunAsync(new MemoryDigestOutput());

        // Assert
        result.Status.Should().Be(DigestRunStatus.Written);
        result.Digest!.Papers.Should().BeEmpty();
        result.Statistics.SeenBefore.Should().Be(1);
        kit.Scorer.Calls.Should().HaveCount(1);
    }

    [Fact]
    public async Task RunAsync_NoRenderer_BuildsTheDigestButDoesNotMarkTheDayAndWarns()
    {
        var kit = new PipelineTestKit { Renderers = [] };

        var result = await kit.Build().RunAsync(new MemoryDigestOutput());

        result.Status.Should().Be(DigestRunStatus.NotRendered);
        result.Digest.Should().NotBeNull();
        result.Outputs.Should().BeEmpty();
        result.Warnings.Should().ContainSingle(w => w.Code == DigestRunWarningCodes.NoRenderer).Which.Message.Should().Contain("AddRenderer");
        (await kit.Store.IsProcessedAsync(PipelineTestKit.Day)).Should().BeFalse("nothing was written, so the next run must build the day again");
    }

    [Fact]
    public async Task RunAsync_WritesToAFolder_CreatesOneFilePerOutput()
    {
        // Arrange
        var kit = new PipelineTestKit();
        string folder = Path.Combine(Path.GetTempPath(), "arxivrank-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var output = new DirectoryDigestOutput(folder);

            // Act
            await kit.Build().RunAsync(output);

            // Assert
            Directory.GetFiles(folder).Select(Path.GetFileName).Should().BeEquivalentTo("2025-06-06.md", "2025-06-06.html");
            (await File.ReadAllLinesAsync(Path.Combine(folder, "2025-06-06.md"))).Should().HaveCount(kit.Picks.Count());
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public void Build_WithoutSourceOrScorer_ThrowsSayingWhatIsMissing()
    {
        var noSource = () => DigestPipeline.CreateBuilder().UseScorer(new FakePaperScorer()).Build();
        var noScorer = () => DigestPipeline.CreateBuilder().UseSource(new FakeArxivSource()).Build();

        noSource.Should().Throw<InvalidOperationException>().WithMessage("*UseSource*");
        noScorer.Should().Throw<InvalidOperationException>().WithMessage("*UseScorer*");
    }

    [Fact]
    public void Build_InvalidOption_ThrowsNamingTheOption()
    {
        var act = () => DigestPipeline.CreateBuilder().UseSource(new FakeArxivSource()).UseScorer(new FakePaperScorer())
            .Configure(o => o.ScoreCache.ChunkSize = 0).Build();

        act.Should().Throw<ArgumentException>().WithMessage("*DigestPipelineOptions.ScoreCache.ChunkSize*");
    }

    /// <summary>Scores the first paper, reports the second unscored, forgets the third and invents one.</summary>
    private sealed class LyingScorer(IReadOnlyList<Paper> papers) : IPaperScorer
    {
        public Task<ScoringResult> ScoreAsync(IReadOnlyList<Paper> input, IProgress<ScoringProgress>? progress = null, CancellationToken cancellationToken = default)
            => Task.FromResult(new ScoringResult
            {
                Scores =
                [
                    new PaperScore { PaperId = papers[0].Id, Relevance = 9, Novelty = 9 },
                    new PaperScore { PaperId = ArxivId.Parse("2401.00001"), Relevance = 10, Novelty = 10 },
                    new PaperScore { PaperId = papers[0].Id, Relevance = 1, Novelty = 1 },
                ],
                Unscored = [new UnscoredPaper(papers[1], "timeout")],
            });
    }
}
