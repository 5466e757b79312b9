using ArxivRank.Ranking;

namespace ArxivRank.Tests.Ranking;

public sealed class TrainingLabelsTests
{
    private static readonly DateOnly Day1 = new(2025, 6, 2);
    private static readonly DateOnly Day2 = new(2025, 6, 3);

    [Theory]
    [InlineData(7, 6, false, true)]
    [InlineData(7, null, false, true)]
    [InlineData(6, 9, false, false)]
    [InlineData(9, 5, false, false)]
    [InlineData(2, 2, true, true)]
    public void Build_Judgment_IsPositiveWhenSelectedOrAboveTheCutOffs(int relevance, int? novelty, bool selected, bool expected)
    {
        var judged = new JudgedPaper(SyntheticPapers.GraphPaper(1), Day1, relevance, novelty, selected);

        var labels = TrainingLabels.Build([judged], []);

        labels.Examples.Should().ContainSingle().Which.Positive.Should().Be(expected);
    }

    [Fact]
    public void Build_PaperJudgedOnTwoDays_UsesTheLatestJudgmentOnce()
    {
        var paper = SyntheticPapers.GraphPaper(1);

        var labels = TrainingLabels.Build([new JudgedPaper(paper, Day2, 9, 9, true), new JudgedPaper(paper, Day1, 2, 2, false)], []);

        labels.Examples.Should().ContainSingle().Which.Positive.Should().BeTrue();
        labels.Days.Should().Be(1);
    }

    [Fact]
    public void Build_LikeThenDislike_LatestVerdictWinsWithTheFeedbackWeight()
    {
        var paper = SyntheticPapers.GraphPaper(1);
        var at = new DateTimeOffset(2025, 6, 3, 8, 0, 0, TimeSpan.Zero);

        var labels = TrainingLabels.Build(
            [new JudgedPaper(paper, Day1, 9, 9, true)],
            [new FeedbackRecord(paper.Id, Feedback.Dislike, at.AddHours(1)), new FeedbackRecord(paper.Id, Feedback.Like, at)],
            new TrainingLabelOptions { FeedbackWeight = 3 });

        labels.Examples.Should().Equal(new LabeledExample(paper, true, 1), new LabeledExample(paper, false, 3));
    }

    [Fact]
    public void Build_LearnedJudgments_AreLeftOutByDefault()
    {
        var judged = new JudgedPaper(SyntheticPapers.GraphPaper(1), Day1, 8, null, false, LearnedRanker.ScorerName);

        TrainingLabels.Build([judged], []).Examples.Should().BeEmpty();
        TrainingLabels.Build([judged], [], new TrainingLabelOptions { IncludeLearnedJudgments = true }).Examples.Should().ContainSingle();
    }

    [Theory]
    [InlineData("MinRelevance")]
    [InlineData("MinNovelty")]
    [InlineData("FeedbackWeight")]
    public void Build_InvalidOption_ThrowsNamingIt(string option)
    {
        var options = option switch
        {
            "MinRelevance" => new TrainingLabelOptions { MinRelevance = 0 },
            "MinNovelty" => new TrainingLabelOptions { MinNovelty = 11 },
            _ => new TrainingLabelOptions { FeedbackWeight = double.NaN },
        };

        var act = () => TrainingLabels.Build([], [], options);

        act.Should().Throw<ArgumentException>().WithMessage($"*TrainingLabelOptions.{option}*");
    }
}
