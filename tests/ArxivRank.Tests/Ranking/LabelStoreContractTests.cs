using ArxivRank.Pipeline;
using ArxivRank.Ranking;
using Microsoft.Extensions.Time.Testing;

namespace ArxivRank.Tests.Ranking;

/// <summary>What every <see cref="ILabelStore"/> must do; run against the in-memory and the SQLite store.</summary>
public abstract class LabelStoreContractTests
{
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 7, 8, 13, 0, 0, TimeSpan.Zero));

    protected abstract ILabelStore CreateStore();

    /// <summary>Five days of judged papers: graph papers selected, protein papers not.</summary>
    internal static List<JudgedPaper> History(int days, int perDay, int selectedPerDay)
    {
        var list = new List<JudgedPaper>();
        for (int d = 0; d < days; d++)
        {
            var day = new DateOnly(2025, 6, 2).AddDays(d);
            for (int i = 0; i < perDay; i++)
            {
                int number = (d * perDay) + i;
                bool selected = i < selectedPerDay;
                var paper = (selected ? SyntheticPapers.GraphPaper(number) : SyntheticPapers.ProteinPaper(number)) with { AnnouncedOn = day };
                list.Add(new JudgedPaper(paper, day, selected ? 8 : 3, selected ? 7 : 2, selected, "gpt-4o"));
            }
        }

        return list;
    }

    [Fact]
    public async Task RecordJudgmentsAsync_ThenGetJudgments_ReturnsThemWithTheirText()
    {
        // Arrange
        var store = CreateStore();
        var paper = SyntheticPapers.GraphPaper(1) with { Id = ArxivId.Parse("2501.10001v2"), Authors = ["Ada Lovelace"], Categories = ["cs.LG"] };
        var judged = new JudgedPaper(paper, new DateOnly(2025, 6, 2), 8, null, true, "gpt-4o");

        // Act
        await store.RecordJudgmentsAsync([judged]);
        var read = await store.GetJudgmentsAsync();

        // Assert
        read.Should().ContainSingle();
        read[0].Paper.Id.Should().Be(ArxivId.Parse("2501.10001v2"));
        read[0].Paper.Title.Should().Be(paper.Title);
        read[0].Paper.Abstract.Should().Be(paper.Abstract);
        read[0].Paper.Authors.Should().Equal("Ada Lovelace");
        read[0].Paper.Categories.Should().Equal("cs.LG");
        (read[0] with { Paper = paper }).Should().Be(judged);
    }

    [Fact]
    public async Task RecordJudgmentsAsync_SamePaperSameDayAgain_ReplacesTheEarlierRecord()
    {
        var store = CreateStore();
        var paper = SyntheticPapers.GraphPaper(1);
        var day = new DateOnly(2025, 6, 2);

        await store.RecordJudgmentsAsync([new JudgedPaper(paper, day, 3, 3, false)]);
        await store.RecordJudgmentsAsync([new JudgedPaper(paper, day, 9, 8, true)]);

        var read = await store.GetJudgmentsAsync();
        read.Should().ContainSingle().Which.Relevance.Should().Be(9);
    }

    [Fact]
    public async Task RecordFeedbackAsync_LikeThenDislike_KeepsBothInOrderWithoutVersion()
    {
        var store = CreateStore();

        await store.RecordFeedbackAsync(ArxivId.Parse("2501.10001v3"), Feedback.Like);
        Time.Advance(TimeSpan.FromMinutes(5));
        await store.RecordFeedbackAsync(ArxivId.Parse("2501.10001"), Feedback.Dislike);

        var feedback = await store.GetFeedbackAsync();
        feedback.Select(f => (f.PaperId.ToString(), f.Feedback)).Should().Equal(("2501.10001", Feedback.Like), ("2501.10001", Feedback.Dislike));
        feedback[1].RecordedAt.Should().Be(feedback[0].RecordedAt.AddMinutes(5));
    }

    [Fact]
    public async Task RecordFeedbackAsync_UndefinedValue_Throws()
    {
        var store = CreateStore();

        var act = async () => await store.RecordFeedbackAsync(ArxivId.Parse("2501.10001"), (Feedback)7);

        await act.Should().ThrowAsync<ArgumentOutOfRangeException>();
    }

    [Fact]
    public async Task LoadModelAsync_NothingSaved_ReturnsNull()
    {
        (await CreateStore().LoadModelAsync()).Should().BeNull();
    }

    [Fact]
    public async Task SaveModelAsync_ThenLoad_ScoresExactlyAsTheSavedModel()
    {
        var store = CreateStore();
        var ranker = LearnedRanker.Train(SyntheticPapers.Create(200, seed: 3));
        var probe = SyntheticPapers.GraphPaper(999);

        await store.SaveModelAsync(LearnedRanker.Train(SyntheticPapers.Create(100, seed: 4)));
        await store.SaveModelAsync(ranker);
        var loaded = await store.LoadModelAsync();

        loaded.Should().NotBeNull();
        loaded!.PredictProbability(probe).Should().Be(ranker.PredictProbability(probe), "the latest saved model is the current one");
    }

    [Fact]
    public async Task ExportModelAsync_ThenImportIntoAnotherStore_GivesTheSameModelFile()
    {
        var source = CreateStore();
        var target = CreateStore();
        await source.SaveModelAsync(LearnedRanker.Train(SyntheticPapers.Create(200, seed: 5)));

        using var exported = new MemoryStream();
        (await source.ExportModelAsync(exported)).Should().BeTrue();
        exported.Position = 0;
        await target.ImportModelAsync(exported);

        using var again = new MemoryStream();
        (await target.ExportModelAsync(again)).Should().BeTrue();
        again.ToArray().Should().Equal(exported.ToArray());
    }

    [Fact]
    public async Task ExportModelAsync_NoModel_ReturnsFalseAndWritesNothing()
    {
        using var stream = new MemoryStream();
        (await CreateStore().ExportModelAsync(stream)).Should().BeFalse();
        stream.Length.Should().Be(0);
    }

    [Fact]
    public async Task FromStoreAsync_JudgmentsAndFeedback_BuildsWeightedExamples()
    {
        var store = CreateStore();
        var history = History(days: 2, perDay: 10, selectedPerDay: 2);
        await store.RecordJudgmentsAsync(history);
        await store.RecordFeedbackAsync(history[5].Paper.Id, Feedback.Like);
        await store.RecordFeedbackAsync(ArxivId.Parse("2409.00001"), Feedback.Dislike);

        var labels = await TrainingLabels.FromStoreAsync(store);

        labels.Days.Should().Be(2);
        labels.Positives.Should().Be(4);
        labels.FeedbackUsed.Should().Be(1);
        labels.FeedbackWithoutPaper.Should().Be(1);
        labels.Examples.Should().HaveCount(21);
        labels.Examples[^1].Paper.Id.Should().Be(history[5].Paper.Id);
        labels.Examples[^1].Paper.Title.Should().Be(history[5].Paper.Title);
        (labels.Examples[^1].Positive, labels.Examples[^1].Weight).Should().Be((true, 5.0));
    }

    [Fact]
    public async Task TryTrainAsync_TooLittleHistory_DoesNotTrainAndSaysWhy()
    {
        var store = CreateStore();
        await store.RecordJudgmentsAsync(History(days: 4, perDay: 20, selectedPerDay: 5));

        var result = await AutoTrainer.TryTrainAsync(store, new AutoTrainingOptions { MinDays = 5, MinPositives = 10 });

        result.Trained.Should().BeFalse();
        result.Message.Should().Contain("4 of 5 days").And.Contain("20 of 10 positives");
        (await store.LoadModelAsync()).Should().BeNull();
    }

    [Fact]
    public async Task GetRecentJudgmentsAsync_ReturnsTheLatestDaysAndOlderPapersWithFeedback_OrderedByDayThenId()
    {
        // Arrange: six judged days; a paper of the first day has the reader's feedback.
        var store = CreateStore();
        var history = History(days: 6, perDay: 4, selectedPerDay: 1);
        await store.RecordJudgmentsAsync(history);
        await store.RecordFeedbackAsync(history[1].Paper.Id, Feedback.Dislike);

        // Act
        var recent = await store.GetRecentJudgmentsAsync(2);
        var more = await store.GetRecentJudgmentsAsync(10);
        var zero = async () => await store.GetRecentJudgmentsAsync(0);

        // Assert
        var since = history[^1].Day.AddDays(-1);
        var expected = history.Where(j => j.Day >= since || j.Paper.Id == history[1].Paper.Id)
            .OrderBy(j => j.Day).ThenBy(j => j.Paper.Id.Id, StringComparer.Ordinal).Select(j => (j.Day, j.Paper.Id.Id));
        recent.Select(j => (j.Day, j.Paper.Id.Id)).Should().Equal(expected);
        recent.Should().OnlyContain(j => j.Paper.Title.Length > 0 && j.ScoredBy == "gpt-4o");
        more.Select(j => (j.Day, j.Paper.Id.Id)).Should().Equal((await store.GetJudgmentsAsync()).Select(j => (j.Day, j.Paper.Id.Id)), "fewer days were judged than asked for");
        await zero.Should().ThrowAsync<ArgumentOutOfRangeException>();
    }

    [Fact]
    public async Task TryTrainAsync_MaxDays_LearnsFromTheMostRecentDays_AndKeepsAnOlderPaperWithFeedback()
    {
        // Arrange: eight judged days; the reader liked a paper of the oldest day.
        var store = CreateStore();
        var history = History(days: 8, perDay: 20, selectedPerDay: 5);
        await store.RecordJudgmentsAsync(history);
        await store.RecordFeedbackAsync(history[7].Paper.Id, Feedback.Like);

        // Act
        var windowed = await AutoTrainer.TryTrainAsync(store, new AutoTrainingOptions { MinDays = 3, MinPositives = 10, MaxDays = 3 });
        var whole = await AutoTrainer.TryTrainAsync(store, new AutoTrainingOptions { MinDays = 3, MinPositives = 10, MaxDays = null });

        // Assert: three days of 20 papers, plus the liked paper (as itself and as its feedback example).
        windowed.Trained.Should().BeTrue(windowed.Message);
        windowed.Labels.Days.Should().Be(4, "the three latest days and the liked paper's day");
        windowed.Labels.Examples.Should().HaveCount((3 * 20) + 2);
        windowed.Labels.Examples.Min(e => e.Paper.AnnouncedOn).Should().Be(history[7].Day);
        windowed.Labels.FeedbackUsed.Should().Be(1);
        whole.Labels.Days.Should().Be(8);
        whole.Labels.Examples.Should().HaveCount((8 * 20) + 1);
        new AutoTrainingOptions().MaxDays.Should().Be(60);
    }

    [Fact]
    public async Task TryTrainAsync_EnoughHistory_TrainsAndSavesTheModelInTheStore()
    {
        var store = CreateStore();
        await store.RecordJudgmentsAsync(History(days: 5, perDay: 20, selectedPerDay: 5));

        var result = await AutoTrainer.TryTrainAsync(store, new AutoTrainingOptions { MinDays = 5, MinPositives = 25 });

        result.Trained.Should().BeTrue(result.Message);
        result.Ranker!.Training.Positives.Should().Be(25);
        var saved = await store.LoadModelAsync();
        saved!.PredictProbability(SyntheticPapers.GraphPaper(5000)).Should().BeGreaterThan(saved.PredictProbability(SyntheticPapers.ProteinPaper(5001)));
    }
}

public sealed class InMemoryLabelStoreTests : LabelStoreContractTests
{
    protected override ILabelStore CreateStore() => new InMemoryArxivRankStore { TimeProvider = Time };
}
