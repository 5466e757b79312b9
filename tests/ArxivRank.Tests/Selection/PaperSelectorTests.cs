using ArxivRank.Rendering;
using ArxivRank.Scoring;
using ArxivRank.Selection;
using ArxivRank.TestUtilities;

namespace ArxivRank.Tests.Selection;

public sealed class PaperSelectorTests
{
    private static int _next = 10000;

    [Fact]
    public void Select_DefaultOptions_RanksByRelevancePlusNoveltyWithTiesByRelevance()
    {
        // Arrange
        var a = Entry(8, 9);
        var b = Entry(9, 8);
        var c = Entry(9, 9);
        var d = Entry(10, 6);
        var selector = new PaperSelector();

        // Act
        var result = selector.Select([a, d, b, c]);

        // Assert: 18, then 17 with relevance 9 before 17 with relevance 8, then 16.
        result.Selected.Should().Equal(c, b, a, d);
    }

    [Fact]
    public void Select_EqualScales_BreaksTiesByContinuousScoreThenById()
    {
        // Arrange
        var low = Entry(8, 8, score: 0.2, id: "2502.00003");
        var high = Entry(8, 8, score: 0.9, id: "2502.00002");
        var noScoreLater = Entry(8, 8, id: "2502.00005");
        var noScoreEarlier = Entry(8, 8, id: "2502.00004");

        // Act
        var result = new PaperSelector().Select([noScoreLater, low, noScoreEarlier, high]);

        // Assert
        result.Selected.Should().Equal(high, low, noScoreEarlier, noScoreLater);
    }

    [Fact]
    public void Select_CutOffs_DropPapersBelowEitherAndCountThem()
    {
        // Arrange
        var options = new SelectionOptions { MinRelevance = 8, MinNovelty = 7 };
        var kept = Entry(8, 7);
        var lowRelevance = Entry(7, 10);
        var lowNovelty = Entry(10, 6);

        // Act
        var result = new PaperSelector(options).Select([kept, lowRelevance, lowNovelty]);

        // Assert
        result.Selected.Should().Equal(kept);
        result.CutByRelevance.Should().Be(1);
        result.CutByNovelty.Should().Be(1);
        result.IsOffline.Should().BeFalse();
    }

    [Fact]
    public void Select_ScoreWithoutNovelty_IsNotCutForNovelty()
    {
        // Arrange: the scorer judged novelty for most papers, not for this one.
        var options = new SelectionOptions { MinRelevance = 8, MinNovelty = 7 };
        var noNovelty = Entry(9, null);
        var judged = Entry(8, 8);

        // Act
        var result = new PaperSelector(options).Select([noNovelty, judged]);

        // Assert
        result.Selected.Should().BeEquivalentTo([noNovelty, judged]);
        result.IsOffline.Should().BeFalse();
    }

    [Fact]
    public void Select_OfflineScoresWithCutOffsOff_KeepTheTopKWithoutCutOffs()
    {
        // Arrange: an offline scorer (no novelty) maps its scale onto 1-10; relevance 3 is a good paper on a quiet day.
        var options = new SelectionOptions { MinRelevance = 7, OfflineTopK = 3, ApplyCutOffsOffline = false };
        var entries = Enumerable.Range(1, 6).Select(i => Entry(i, null, score: i / 10.0)).ToList();

        // Act
        var result = new PaperSelector(options).Select(entries);

        // Assert
        result.IsOffline.Should().BeTrue();
        result.Selected.Select(e => e.Score.Relevance).Should().Equal(6, 5, 4);
        result.CutByTopK.Should().Be(3);
        result.CutByRelevance.Should().Be(0);
    }

    [Fact]
    public void Select_OfflineScoresWithCutOffsApplied_AppliesRelevanceToo()
    {
        // Arrange
        var options = new SelectionOptions { MinRelevance = 5, OfflineTopK = 3, ApplyCutOffsOffline = true };
        var entries = Enumerable.Range(1, 6).Select(i => Entry(i, null)).ToList();

        // Act
        var result = new PaperSelector(options).Select(entries);

        // Assert
        result.Selected.Select(e => e.Score.Relevance).Should().Equal(6, 5);
        result.CutByRelevance.Should().Be(4);
    }

    [Fact]
    public void Select_RelevanceOnlyScorerByDefault_KeepsTheRelevanceCutOff()
    {
        // Arrange: a scorer that judges no novelty; relevance-1 papers must not reach the digest.
        var entries = Enumerable.Range(1, 10).Select(i => Entry(i, null)).ToList();

        // Act
        var result = new PaperSelector(new SelectionOptions()).Select(entries);

        // Assert
        result.IsOffline.Should().BeTrue();
        result.Selected.Select(e => e.Score.Relevance).Should().Equal(10, 9, 8, 7);
        result.CutByRelevance.Should().Be(6);
    }

    [Fact]
    public void Select_ExplicitTopK_WinsOverOfflineTopK()
    {
        // Arrange
        var options = new SelectionOptions { TopK = 2, OfflineTopK = 5, ApplyCutOffsOffline = false };
        var entries = Enumerable.Range(1, 6).Select(i => Entry(i, null)).ToList();

        // Act
        var result = new PaperSelector(options).Select(entries);

        // Assert
        result.Selected.Should().HaveCount(2);
    }

    [Fact]
    public void Select_TopK_LimitsScoredPapersButKeepsEveryAuthorMatchFirst()
    {
        // Arrange
        var options = new SelectionOptions { TopK = 2, MinRelevance = null, MinNovelty = null };
        var match1 = AuthorMatch("2502.00011");
        var match2 = AuthorMatch("2502.00010");
        var scored = Enumerable.Range(1, 5).Select(i => Entry(i, i)).ToList();

        // Act
        var result = new PaperSelector(options).Select([.. scored, match1, match2]);

        // Assert: rule matches in id order (same empty scores), then the two best scored papers.
        result.Selected.Should().Equal(match2, match1, scored[4], scored[3]);
        result.RuleMatches.Should().Be(2);
        result.CutByTopK.Should().Be(3);
    }

    [Fact]
    public void Select_AuthorMatchesRanked_PlacesThemByTheirScores()
    {
        // Arrange
        var options = new SelectionOptions { AuthorMatches = AuthorMatchPlacement.Ranked };
        var match = AuthorMatch("2502.00020");
        var scoredMatch = Entry(10, 10, origin: ScoreOrigin.AuthorMatch);
        var scored = Entry(9, 9);

        // Act
        var result = new PaperSelector(options).Select([match, scored, scoredMatch]);

        // Assert: an author match the scorer also judged ranks by its scores; one without scores sorts last.
        result.Selected.Should().Equal(scoredMatch, scored, match);
    }

    [Fact]
    public void Select_AuthorMatchBelowCutOffs_IsNeverCut()
    {
        // Arrange
        var match = Entry(1, 1, origin: ScoreOrigin.AuthorMatch);
        var keyword = Entry(2, 2, origin: ScoreOrigin.KeywordRule);

        // Act
        var result = new PaperSelector().Select([match, keyword]);

        // Assert
        result.Selected.Should().Equal(keyword, match);
    }

    [Fact]
    public void Select_RankByRelevance_OrdersByRelevanceThenNovelty()
    {
        // Arrange
        var options = new SelectionOptions { RankBy = RankingOrder.Relevance };
        var a = Entry(8, 10);
        var b = Entry(9, 7);
        var c = Entry(9, 8);

        // Act
        var result = new PaperSelector(options).Select([a, b, c]);

        // Assert
        result.Selected.Should().Equal(c, b, a);
    }

    [Fact]
    public void Select_ShuffledInput_ProducesTheSameOrder()
    {
        // Arrange: many ties, so only the full tie-break chain makes the order unique.
        var rng = new Random(42);
        var entries = Enumerable.Range(0, 200)
            .Select(i => Entry(rng.Next(7, 11), rng.Next(6, 11), score: rng.Next(3) == 0 ? null : rng.Next(5) / 4.0))
            .ToList();
        var selector = new PaperSelector();
        var expected = selector.Select(entries).Selected;

        // Act
        var shuffled = entries.OrderBy(_ => rng.Next()).ToList();
        var actual = selector.Select(shuffled).Selected;

        // Assert
        actual.Should().Equal(expected);
    }

    [Fact]
    public void Select_NoCandidates_SelectsNothing()
    {
        var result = new PaperSelector().Select([]);

        result.Selected.Should().BeEmpty();
        result.IsOffline.Should().BeFalse();
    }

    [Fact]
    public void Select_NullCandidates_Throws()
    {
        var act = () => new PaperSelector().Select(null!);

        act.Should().Throw<ArgumentNullException>();
    }

    [Theory]
    [MemberData(nameof(Days))]
    public void Select_LabeledDayAtTheReadersCutOffs_ReproducesTheReadersPicks(DateOnly day)
    {
        // Arrange: real candidates with the reader's gpt-4o verdicts; unselected papers have no scores (title screen), so they get 2/2.
        var labeled = LabeledDays.Load(day);
        var entries = labeled.Select(l => new DigestEntry(
            l.Paper,
            new PaperScore { PaperId = l.Paper.Id, Relevance = l.Relevance ?? 2, Novelty = l.Novelty ?? 2 })).ToList();
        var selector = new PaperSelector(new SelectionOptions { MinRelevance = 8, MinNovelty = 7 });

        // Act
        var result = selector.Select(entries);

        // Assert
        result.Selected.Select(e => e.Paper.Id.Id).Should().BeEquivalentTo(labeled.Where(l => l.Selected).Select(l => l.Paper.Id.Id));
        result.Selected.Select(e => e.Score.Relevance!.Value + e.Score.Novelty!.Value).Should().BeInDescendingOrder();
    }

    public static TheoryData<DateOnly> Days() => [.. LabeledDays.Days];

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Select_ReferenceDigestScores_OrdersLikeTheReferenceBySum(int index)
    {
        // Arrange: the papers of a real digest, shuffled, with their real scores.
        var reference = ReferenceDigest.Load(index);
        var entries = reference.Entries.Select(e => new DigestEntry(
            e.Paper,
            e.IsAuthorMatch
                ? new PaperScore { PaperId = e.Paper.Id, Origin = ScoreOrigin.AuthorMatch, Comment = "Author match" }
                : new PaperScore { PaperId = e.Paper.Id, Relevance = e.Relevance, Novelty = e.Novelty, Comment = e.Comment })).ToList();
        var shuffled = entries.OrderBy(e => e.Paper.Id.Id.GetHashCode(StringComparison.Ordinal)).ToList();
        var selector = new PaperSelector(new SelectionOptions { MinRelevance = null, MinNovelty = null });

        // Act
        var result = selector.Select(shuffled);

        // Assert: every paper kept; author matches first, then the same sequence of relevance + novelty as the reference.
        static object Key(DigestEntry e) => e.Score.Origin == ScoreOrigin.AuthorMatch ? "author" : (e.Score.Relevance ?? 0) + (e.Score.Novelty ?? 0);
        result.Selected.Should().HaveCount(reference.Entries.Count);
        result.Selected.Select(Key).Should().Equal(entries.Select(Key));
    }

    [Theory]
    [InlineData("MinRelevance", 0)]
    [InlineData("MinRelevance", 11)]
    [InlineData("MinNovelty", -1)]
    [InlineData("TopK", 0)]
    [InlineData("OfflineTopK", 0)]
    public void Constructor_OptionOutOfRange_ThrowsNamingTheOption(string option, int value)
    {
        // Arrange
        var options = new SelectionOptions();
        typeof(SelectionOptions).GetProperty(option)!.SetValue(options, value);

        // Act
        var act = () => new PaperSelector(options);

        // Assert
        act.Should().Throw<ArgumentException>().WithMessage($"*SelectionOptions.{option}*{value}*");
    }

    [Fact]
    public void Constructor_OptionsChangedLater_KeepsItsCopy()
    {
        // Arrange
        var options = new SelectionOptions { TopK = 1 };
        var selector = new PaperSelector(options);

        // Act
        options.TopK = 5;
        var result = selector.Select([Entry(9, 9), Entry(8, 8)]);

        // Assert
        result.Selected.Should().HaveCount(1);
    }

    private static DigestEntry Entry(int? relevance, int? novelty, double? score = null, string? id = null, ScoreOrigin origin = ScoreOrigin.Scored)
    {
        var paperId = ArxivId.Parse(id ?? $"2502.{Interlocked.Increment(ref _next):00000}");
        return new DigestEntry(
            new Paper { Id = paperId, Title = "Paper " + paperId },
            new PaperScore { PaperId = paperId, Relevance = relevance, Novelty = novelty, Score = score, Origin = origin });
    }

    private static DigestEntry AuthorMatch(string id)
        => Entry(null, null, id: id, origin: ScoreOrigin.AuthorMatch);
}
