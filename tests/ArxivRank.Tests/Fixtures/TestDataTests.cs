using ArxivRank.TestUtilities;

namespace ArxivRank.Tests.Fixtures;

public class TestDataTests
{
    [Theory]
    [InlineData(0, "2025-02-19", 655, 402, 42)]
    [InlineData(1, "2025-02-26", 625, 384, 37)]
    [InlineData(2, "2025-03-18", 897, 503, 47)]
    public void ReferenceDigest_Load_ReadsHeaderTotalsAndEveryEntry(int index, string date, int total, int scanned, int relevant)
    {
        var digest = ReferenceDigest.Load(index);

        digest.Date.Should().Be(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture));
        digest.Model.Should().Be("gpt-4o");
        digest.TotalPapers.Should().Be(total);
        digest.ScannedPapers.Should().Be(scanned);
        digest.RelevantPapers.Should().Be(relevant);
        digest.Entries.Should().NotBeEmpty();
        digest.Entries.Should().OnlyContain(e => e.Paper.Title.Length > 0 && e.Paper.Authors.Count > 0 && e.Paper.Abstract.Length > 0);
        digest.Entries.Where(e => !e.IsAuthorMatch).Should().OnlyContain(e => e.Relevance != null && e.Novelty != null);
        digest.Prompt.Should().Contain("Relevance Scoring");
    }

    [Fact]
    public void ReferenceDigest001_FirstEntry_IsAnAuthorMatch()
    {
        var first = ReferenceDigest.Load(1).Entries[0];

        first.Paper.Id.Id.Should().Be("2502.18435");
        first.IsAuthorMatch.Should().BeTrue();
        first.Relevance.Should().BeNull();
    }

    [Fact]
    public void LabeledDays_Load_EveryDayHasAboutTenPercentSelected()
    {
        foreach (var day in LabeledDays.Days)
        {
            var papers = LabeledDays.Load(day);
            double share = papers.Count(p => p.Selected) / (double)papers.Count;

            papers.Should().HaveCountGreaterThan(100);
            share.Should().BeInRange(0.03, 0.25, $"day {day} should have roughly 10% selected");
        }
    }
}
