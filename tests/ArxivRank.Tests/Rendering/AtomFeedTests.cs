using System.ServiceModel.Syndication;
using System.Xml;
using ArxivRank.Pipeline;
using ArxivRank.Rendering;
using ArxivRank.TestUtilities.Digests;

namespace ArxivRank.Tests.Rendering;

/// <summary>The archive's Atom feed, checked by parsing it with a real feed library (System.ServiceModel.Syndication).</summary>
public sealed class AtomFeedTests
{
    [Fact]
    public async Task RenderAtomAsync_DigestsOverFortyDays_HasOneEntryPerSelectedPaperOfTheLastThirtyDays()
    {
        // Arrange: three days, the oldest outside the 30-day window.
        var newest = TestDigests.Synthetic(12);
        var middle = Reid(TestDigests.Synthetic(5, seed: 7), newest.Date.AddDays(-29), "2401");
        var old = Reid(TestDigests.Synthetic(4, seed: 9), newest.Date.AddDays(-30), "2301");
        var output = new MemoryDigestOutput();

        // Act
        await DigestArchive.RenderAtomAsync([old, newest, middle], output);

        // Assert
        var feed = Load(output);
        feed.Items.Should().HaveCount(17);
        feed.LastUpdatedTime.Should().Be(new DateTimeOffset(newest.Date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        var first = feed.Items.First();
        var paper = newest.Papers[0];
        first.Id.Should().Be(paper.Paper.AbsUri.AbsoluteUri);
        first.Title.Text.Should().Be(RenderText.Display(paper.Paper.Title));
        first.LastUpdatedTime.Should().Be(feed.LastUpdatedTime);
        first.Summary.Text.Should().Contain(RenderText.Display(paper.Score.Comment)).And.Contain(RenderText.ScoreSummary(paper.Score));
        first.Links.Should().Contain(l => l.RelationshipType == "alternate" && l.Uri == paper.Paper.AbsUri);
        first.Links.Should().Contain(l => l.RelationshipType == "related" && l.Uri.OriginalString == "2025-02-26.html#paper-1");
        feed.Items.Select(i => i.Id).Should().OnlyHaveUniqueItems().And.NotContain(old.Papers.Select(p => p.Paper.AbsUri.AbsoluteUri));
        feed.Items.Should().OnlyContain(i => i.Authors.Count > 0 || feed.Authors.Count > 0);
    }

    [Fact]
    public async Task RenderAtomAsync_SiteUrl_MakesEveryLinkAbsoluteAndAddsSelf()
    {
        var output = new MemoryDigestOutput();

        await DigestArchive.RenderAtomAsync([TestDigests.Synthetic(3)], output, new AtomFeedOptions { SiteUrl = new Uri("https://example.org/papers") });

        var feed = Load(output);
        feed.Id.Should().Be("https://example.org/papers/feed.xml");
        feed.Links.Should().Contain(l => l.RelationshipType == "self" && l.Uri.AbsoluteUri == "https://example.org/papers/feed.xml");
        feed.Items.SelectMany(i => i.Links).Should().OnlyContain(l => l.Uri.IsAbsoluteUri);
        feed.Items.First().Links.Should().Contain(l => l.Uri.AbsoluteUri == "https://example.org/papers/2025-02-26.html#paper-1");
    }

    [Fact]
    public async Task RenderAtomAsync_HostileText_StaysValidXmlAndPlainText()
    {
        var output = new MemoryDigestOutput();
        var hostile = TestDigests.Hostile();
        hostile = hostile with { Papers = [.. hostile.Papers.Select(e => e with { Paper = e.Paper with { Title = e.Paper.Title + "\u0001\u0008 end" } })] };

        await DigestArchive.RenderAtomAsync([hostile], output);

        var feed = Load(output);
        feed.Items.Should().HaveCount(hostile.Papers.Count);
        feed.Items.First().Title.Text.Should().Contain("<script>").And.EndWith("end");
    }

    [Fact]
    public async Task RenderAtomAsync_FromStore_UsesTheKeptDigests()
    {
        var store = new InMemoryArxivRankStore();
        var digest = TestDigests.Synthetic(6);
        await store.MarkProcessedAsync(new DigestRecord { Date = digest.Date, SelectedPapers = 6, DigestJson = StoredDigest.Serialize(digest) });
        var output = new MemoryDigestOutput();

        await DigestArchive.RenderAtomAsync(store, output);

        Load(output).Items.Should().HaveCount(6);
    }

    [Fact]
    public void AtomFeedOptions_RelativeSiteUrl_IsRejectedNamingTheKey()
    {
        var act = () => new AtomFeedOptions { SiteUrl = new Uri("papers/", UriKind.Relative) }.Validate();

        act.Should().Throw<ArgumentException>().WithMessage("*siteUrl*");
    }

    private static SyndicationFeed Load(MemoryDigestOutput output)
    {
        output.GetMediaType("feed.xml").Should().Be("application/atom+xml");
        using var reader = XmlReader.Create(new MemoryStream(output.GetBytes("feed.xml")));
        var formatter = new Atom10FeedFormatter();
        formatter.CanRead(reader).Should().BeTrue("the document is an Atom 1.0 feed");
        formatter.ReadFrom(reader);
        return formatter.Feed;
    }

    private static Digest Reid(Digest digest, DateOnly date, string prefix) => digest with
    {
        Date = date,
        Papers = [.. digest.Papers.Select((e, i) => e with { Paper = e.Paper with { Id = ArxivId.Parse($"{prefix}.{i + 1:00000}") } })],
    };
}
