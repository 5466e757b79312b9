using System.Text;
using System.Text.Json.Nodes;
using ArxivRank.Ranking;
using ArxivRank.Scoring;

namespace ArxivRank.Tests.Ranking;

public class LearnedRankerTests
{
    private static readonly LearnedRankerOptions SmallCorpus = new() { MinDocumentFrequency = 1 };

    [Fact]
    public void Train_SyntheticPapers_RanksWantedTopicAboveOthers()
    {
        var ranker = LearnedRanker.Train(SyntheticPapers.Create(300, seed: 1), SmallCorpus);

        double wanted = ranker.PredictProbability(SyntheticPapers.GraphPaper(9001));
        double unwanted = ranker.PredictProbability(SyntheticPapers.ProteinPaper(9002));

        wanted.Should().BeGreaterThan(0.5);
        unwanted.Should().BeLessThan(0.5);
        ranker.Training.Papers.Should().Be(300);
        ranker.Training.Converged.Should().BeTrue();
    }

    [Fact]
    public void Train_SameExamplesTwice_SavesIdenticalBytes()
    {
        var examples = SyntheticPapers.Create(200, seed: 2);

        byte[] first = SaveToBytes(LearnedRanker.Train(examples));
        byte[] second = SaveToBytes(LearnedRanker.Train(examples));

        second.Should().Equal(first);
    }

    [Fact]
    public void Train_ZeroWeightExamples_AreIgnored()
    {
        var examples = SyntheticPapers.Create(150, seed: 3);
        var withIgnored = examples.Concat(SyntheticPapers.Create(40, seed: 4).Select(e => e with { Weight = 0 })).ToList();

        var ranker = LearnedRanker.Train(withIgnored);

        ranker.Training.Papers.Should().Be(150);
        SaveToBytes(ranker).Should().Equal(SaveToBytes(LearnedRanker.Train(examples)));
    }

    [Fact]
    public void Train_HeavierFeedback_OutweighsContradictingJudgment()
    {
        var examples = SyntheticPapers.Create(300, seed: 5);
        var disputed = new Paper { Id = ArxivId.Parse("2501.09999"), Title = "Quasar spectra", Abstract = "We classify quasar spectra with a quasar catalogue." };
        var judged = examples.Append(new LabeledExample(disputed, Positive: true)).ToList();

        double byJudgment = LearnedRanker.Train(judged, SmallCorpus).PredictProbability(disputed);
        double withFeedback = LearnedRanker.Train(judged.Append(new LabeledExample(disputed, Positive: false, Weight: 5)), SmallCorpus).PredictProbability(disputed);

        byJudgment.Should().BeGreaterThan(0.5);
        withFeedback.Should().BeLessThan(0.5);
    }

    [Fact]
    public void Train_PaperAnnouncementDays_RecordedAsFirstAndLastDay()
    {
        var ranker = LearnedRanker.Train(SyntheticPapers.Create(100, seed: 6));

        ranker.Training.FirstDay.Should().Be(new DateOnly(2025, 1, 6));
        ranker.Training.LastDay.Should().Be(new DateOnly(2025, 1, 10));
    }

    [Fact]
    public void Train_MaxVocabularySize_KeepsTheMostFrequentTerms()
    {
        var ranker = LearnedRanker.Train(SyntheticPapers.Create(200, seed: 7), new LearnedRankerOptions { MaxVocabularySize = 25 });

        ranker.VocabularySize.Should().Be(25);
        ranker.StrongestTerms(100, positive: true).Should().HaveCount(25);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Train_OneClassOnly_ThrowsWithCounts(bool positive)
    {
        var examples = SyntheticPapers.Create(50, seed: 8).Select(e => e with { Positive = positive });

        var act = () => LearnedRanker.Train(examples);

        act.Should().Throw<LearnedRankerException>().WithMessage("*both wanted and unwanted*");
    }

    [Fact]
    public void Train_NoExamples_Throws()
    {
        var act = () => LearnedRanker.Train([]);

        act.Should().Throw<LearnedRankerException>().WithMessage("*got 0 positive and 0 negative*");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Train_InvalidWeight_ThrowsNamingTheExample(double weight)
    {
        var examples = SyntheticPapers.Create(20, seed: 9);
        examples[3] = examples[3] with { Weight = weight };

        var act = () => LearnedRanker.Train(examples);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*index 3*2501.10003*finite and not negative*");
    }

    [Fact]
    public void Train_NullExample_Throws()
    {
        var examples = new List<LabeledExample> { SyntheticPapers.Create(1, seed: 1)[0], null! };

        var act = () => LearnedRanker.Train(examples);

        act.Should().Throw<ArgumentNullException>().WithMessage("*index 1*");
    }

    public static TheoryData<Action<LearnedRankerOptions>, string> InvalidOptions => new()
    {
        { o => o.TitleWeight = 0.5, nameof(LearnedRankerOptions.TitleWeight) },
        { o => o.TitleWeight = double.NaN, nameof(LearnedRankerOptions.TitleWeight) },
        { o => o.MinDocumentFrequency = 0, nameof(LearnedRankerOptions.MinDocumentFrequency) },
        { o => o.MaxVocabularySize = 0, nameof(LearnedRankerOptions.MaxVocabularySize) },
        { o => o.L2Regularization = 0, nameof(LearnedRankerOptions.L2Regularization) },
        { o => o.MaxIterations = 0, nameof(LearnedRankerOptions.MaxIterations) },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Train_InvalidOption_MessageNamesTheOption(Action<LearnedRankerOptions> change, string option)
    {
        var options = new LearnedRankerOptions();
        change(options);

        var act = () => LearnedRanker.Train(SyntheticPapers.Create(20, seed: 10), options);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage($"LearnedRankerOptions.{option} must be*");
    }

    [Fact]
    public void Train_MinDocumentFrequencyAboveEveryTerm_ThrowsWithAdvice()
    {
        var act = () => LearnedRanker.Train(SyntheticPapers.Create(20, seed: 11), new LearnedRankerOptions { MinDocumentFrequency = 1000 });

        act.Should().Throw<LearnedRankerException>().WithMessage("*MinDocumentFrequency*");
    }

    [Fact]
    public void Train_Canceled_Throws()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        var act = () => LearnedRanker.Train(SyntheticPapers.Create(600, seed: 12), cancellationToken: cts.Token);

        act.Should().Throw<OperationCanceledException>();
    }

    [Theory]
    [InlineData(0.0, 1)]
    [InlineData(0.099, 1)]
    [InlineData(0.1, 2)]
    [InlineData(0.5, 6)]
    [InlineData(0.75, 8)]
    [InlineData(0.899, 9)]
    [InlineData(0.9, 10)]
    [InlineData(1.0, 10)]
    public void RelevanceOf_Probability_MapsToTenths(double probability, int relevance)
    {
        LearnedRanker.RelevanceOf(probability).Should().Be(relevance);
    }

    [Fact]
    public void Score_WantedPaper_KeepsProbabilityAndNamesStrongestTerms()
    {
        var ranker = LearnedRanker.Train(SyntheticPapers.Create(300, seed: 13), SmallCorpus);
        var paper = SyntheticPapers.GraphPaper(9003) with { Id = ArxivId.Parse("2501.09003v2") };

        var score = ranker.Score(paper);

        score.PaperId.Should().Be(paper.Id);
        score.Score.Should().Be(ranker.PredictProbability(paper));
        score.Relevance.Should().Be(LearnedRanker.RelevanceOf(score.Score!.Value));
        score.Novelty.Should().BeNull();
        score.ScoredBy.Should().Be(LearnedRanker.ScorerName);
        score.Origin.Should().Be(ScoreOrigin.Scored);
        score.Comment.Should().StartWith("Learned ranker; matching terms: \"");
        string firstTerm = score.Comment!.Split('"')[1];
        (paper.Title + " " + paper.Abstract).ToLowerInvariant().Should().Contain(firstTerm);
    }

    [Fact]
    public void Score_PaperWithoutKnownTerms_GetsInterceptOnlyScoreAndSaysSo()
    {
        var ranker = LearnedRanker.Train(SyntheticPapers.Create(100, seed: 14));
        var paper = new Paper { Id = ArxivId.Parse("2501.09004"), Title = "Zzyzx qwv", Abstract = string.Empty };

        var score = ranker.Score(paper);

        score.Score.Should().BeInRange(0, 1);
        score.Comment.Should().Be("Learned ranker: no matching terms");
    }

    [Fact]
    public async Task AsScorer_Papers_ScoresEveryPaperInOrderWithoutUsage()
    {
        var ranker = LearnedRanker.Train(SyntheticPapers.Create(200, seed: 15));
        var papers = SyntheticPapers.Create(300, seed: 16).Select(e => e.Paper).ToList();
        var reports = new List<ScoringProgress>();

        var result = await ranker.AsScorer().ScoreAsync(papers, new SynchronousProgress(reports.Add));

        result.Scores.Select(s => s.PaperId).Should().Equal(papers.Select(p => p.Id));
        result.Scores.Select(s => s.Score).Should().Equal(papers.Select(p => (double?)ranker.PredictProbability(p)));
        result.Unscored.Should().BeEmpty();
        result.Usage.Should().BeEmpty();
        reports.Should().EndWith(new ScoringProgress(300, 300));
    }

    [Fact]
    public async Task AsScorer_Canceled_Throws()
    {
        var ranker = LearnedRanker.Train(SyntheticPapers.Create(100, seed: 17));
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        var act = () => ranker.AsScorer().ScoreAsync([SyntheticPapers.GraphPaper(1)], cancellationToken: cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task AsScorer_NullPaper_ThrowsNamingTheIndex()
    {
        var ranker = LearnedRanker.Train(SyntheticPapers.Create(100, seed: 18));

        var act = () => ranker.AsScorer().ScoreAsync([SyntheticPapers.GraphPaper(1), null!]);

        await act.Should().ThrowAsync<ArgumentNullException>().WithMessage("*index 1*");
    }

    [Fact]
    public async Task SaveThenLoad_Model_ScoresIdenticallyAndKeepsSettings()
    {
        var options = new LearnedRankerOptions { TitleWeight = 2.5, UseWordPairs = false, MinDocumentFrequency = 3, MaxVocabularySize = 500, L2Regularization = 0.5, MaxIterations = 77 };
        var ranker = LearnedRanker.Train(SyntheticPapers.Create(250, seed: 19), options);
        var papers = SyntheticPapers.Create(50, seed: 20).Select(e => e.Paper).ToList();

        using var stream = new MemoryStream();
        await ranker.SaveAsync(stream);
        stream.Position = 0;
        var loaded = await LearnedRanker.LoadAsync(stream);

        papers.Select(p => loaded.Score(p)).Should().BeEquivalentTo(papers.Select(p => ranker.Score(p)), o => o.WithStrictOrdering());
        loaded.VocabularySize.Should().Be(ranker.VocabularySize);
        loaded.Training.Should().Be(ranker.Training);
        loaded.Options.Should().BeEquivalentTo(options);
        SaveToBytes(loaded).Should().Equal(stream.ToArray());
    }

    [Fact]
    public void Save_Model_IsVersionedJsonWithVocabularyIdfAndWeights()
    {
        var ranker = LearnedRanker.Train(SyntheticPapers.Create(100, seed: 21));

        var json = JsonNode.Parse(SaveToBytes(ranker))!.AsObject();

        json["formatVersion"]!.GetValue<int>().Should().Be(LearnedRanker.CurrentFormatVersion);
        json["kind"]!.GetValue<string>().Should().Be("arxivrank.learned-ranker");
        json["terms"]!.AsArray().Should().HaveCount(ranker.VocabularySize);
        json["idf"]!.AsArray().Should().HaveCount(ranker.VocabularySize);
        json["weights"]!.AsArray().Should().HaveCount(ranker.VocabularySize);
        json["terms"]!.AsArray().Select(t => t!.GetValue<string>()).Should().BeInAscendingOrder(StringComparer.Ordinal);
        json["training"]!["papers"]!.GetValue<int>().Should().Be(100);
    }

    [Fact]
    public void Load_UnknownFormatVersion_ThrowsClearError()
    {
        var json = JsonNode.Parse(SaveToBytes(LearnedRanker.Train(SyntheticPapers.Create(100, seed: 22))))!;
        json["formatVersion"] = 2;
        json["terms"] = new JsonObject { ["changed"] = "shape" };

        var act = () => LearnedRanker.Load(new MemoryStream(Encoding.UTF8.GetBytes(json.ToJsonString())));

        act.Should().Throw<LearnedRankerException>()
            .WithMessage("*format version 2*reads format version 1 only*")
            .Which.UnsupportedFormatVersion.Should().Be(2);
    }

    [Fact]
    public void Load_ModelWithoutTrainingSection_LoadsAndScoresTheSame()
    {
        var ranker = LearnedRanker.Train(SyntheticPapers.Create(100, seed: 23));
        var json = JsonNode.Parse(SaveToBytes(ranker))!.AsObject();
        json.Remove("training");
        var paper = SyntheticPapers.GraphPaper(9005);

        var loaded = LearnedRanker.Load(new MemoryStream(Encoding.UTF8.GetBytes(json.ToJsonString())));

        loaded.PredictProbability(paper).Should().Be(ranker.PredictProbability(paper));
        loaded.Training.Papers.Should().Be(0);
        loaded.Options.L2Regularization.Should().Be(new LearnedRankerOptions().L2Regularization);
    }

    public static TheoryData<string, string> BrokenModels => new()
    {
        { "", "*not valid JSON*" },
        { "{\"formatVersion\":1,", "*not valid JSON*" },
        { "[1,2]", "*a JSON array, not an object*" },
        { "{\"terms\":[]}", "*no integer \"formatVersion\"*" },
        { "{\"formatVersion\":\"1\"}", "*no integer \"formatVersion\"*" },
        { "{\"formatVersion\":1,\"kind\":\"something-else\"}", "*kind is \"something-else\"*" },
        { "{\"formatVersion\":1,\"terms\":[\"a\"],\"idf\":[1],\"weights\":[1]}", "*\"features\" is missing*" },
        { "{\"formatVersion\":1,\"features\":{\"titleWeight\":3,\"minDocumentFrequency\":1,\"maxVocabularySize\":10},\"terms\":[\"a\"],\"idf\":[1]}", "*\"weights\" is missing*" },
        { "{\"formatVersion\":1,\"features\":{\"titleWeight\":3,\"minDocumentFrequency\":1,\"maxVocabularySize\":10},\"terms\":[\"a\",\"b\"],\"idf\":[1],\"weights\":[1,2]}", "*2 terms but 1 idf values and 2 weights*" },
        { "{\"formatVersion\":1,\"features\":{\"titleWeight\":3,\"minDocumentFrequency\":1,\"maxVocabularySize\":10},\"terms\":[\"a\",\"a\"],\"idf\":[1,1],\"weights\":[1,2]}", "*term 1 is empty or repeated*" },
        { "{\"formatVersion\":1,\"features\":{\"titleWeight\":3,\"minDocumentFrequency\":1,\"maxVocabularySize\":10},\"terms\":[\"a\"],\"idf\":[0],\"weights\":[1]}", "*term 0 (\"a\")*" },
        { "{\"formatVersion\":1,\"features\":{\"titleWeight\":0,\"minDocumentFrequency\":1,\"maxVocabularySize\":10},\"terms\":[\"a\"],\"idf\":[1],\"weights\":[1]}", "*TitleWeight must be*" },
        { "{\"formatVersion\":1,\"features\":{\"titleWeight\":3,\"minDocumentFrequency\":1,\"maxVocabularySize\":10},\"terms\":[\"a\"],\"idf\":[1],\"weights\":[\"x\"]}", "*not a valid learned ranker model*" },
    };

    [Theory]
    [MemberData(nameof(BrokenModels))]
    public void Load_BrokenModel_ThrowsSayingWhy(string text, string message)
    {
        var act = () => LearnedRanker.Load(new MemoryStream(Encoding.UTF8.GetBytes(text)));

        act.Should().Throw<LearnedRankerException>().WithMessage(message);
    }

    private static byte[] SaveToBytes(LearnedRanker ranker)
    {
        using var stream = new MemoryStream();
        ranker.Save(stream);
        return stream.ToArray();
    }

    private sealed class SynchronousProgress(Action<ScoringProgress> report) : IProgress<ScoringProgress>
    {
        public void Report(ScoringProgress value) => report(value);
    }
}
