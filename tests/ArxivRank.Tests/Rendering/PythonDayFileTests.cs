using System.Text;
using System.Text.Json;
using ArxivRank.Import;
using ArxivRank.Rendering;
using ArxivRank.Scoring;
using ArxivRank.TestUtilities;
using ArxivRank.TestUtilities.Digests;

namespace ArxivRank.Tests.Rendering;

public sealed class PythonDayFileTests
{
    private static async Task<PythonDayFileImport> ImportAsync(string fileName)
    {
        string path = RenderingTestHelpers.RenderingData(fileName);
        PythonDayFile.TryGetDate(path, out var date).Should().BeTrue();
        await using var stream = File.OpenRead(path);
        return await PythonDayFile.ReadAsync(stream, date);
    }

    [Fact]
    public async Task Read_DayFileOfReference001_GivesItsPapersScoresAndAuthorMatch()
    {
        // Arrange
        var reference = ReferenceDigest.Load(1);

        // Act
        var import = await ImportAsync("2025-02-26-output.json");

        // Assert
        import.Diagnostics.Should().BeEmpty();
        var digest = import.Digest;
        digest.Date.Should().Be(new DateOnly(2025, 2, 26));
        digest.Papers.Select(e => e.Paper.Id).Should().Equal(reference.Entries.Select(e => e.Paper.Id));
        digest.Papers.Select(e => (e.Paper.Title, e.Paper.Abstract)).Should().Equal(reference.Entries.Select(e => (e.Paper.Title, e.Paper.Abstract)));
        digest.Papers.Select(e => e.Paper.Authors).Should().BeEquivalentTo(reference.Entries.Select(e => e.Paper.Authors), o => o.WithStrictOrdering());
        digest.Papers.Select(e => (e.Score.Relevance, e.Score.Novelty, e.Score.Comment)).Should().Equal(reference.Entries.Select(e => (e.Relevance, e.Novelty, (string?)e.Comment)));
        digest.Papers[0].Score.Origin.Should().Be(ScoreOrigin.AuthorMatch);
        digest.Papers[0].Score.Score.Should().Be(20.0);
        digest.Papers.Skip(1).Should().OnlyContain(e => e.Score.Origin == ScoreOrigin.Scored && e.Score.Score == e.Score.Relevance + e.Score.Novelty);
        digest.Totals.RelevantPapers.Should().Be(37);
    }

    [Fact]
    public async Task Read_ThenRenderMarkdown_GivesTheReferenceEntries()
    {
        var import = await ImportAsync("2025-02-26-output.json");

        string markdown = await DigestRenderers.Markdown().RenderTextAsync(import.Digest);

        var reference = ReferenceDigest.Load(1);
        System.Text.RegularExpressions.Regex.Matches(markdown, @"^\*\*ArXiv ID:\*\* (\S+)$", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value).Should().Equal(reference.Entries.Select(e => e.Paper.Id.Id));
        System.Text.RegularExpressions.Regex.Matches(markdown, @"^\*\*Relevance:\*\* (\d+)\n\*\*Novelty:\*\* (\d+)$", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => (int?)int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) * 100 + int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture))
            .Should().Equal(reference.Entries.Where(e => !e.IsAuthorMatch).Select(e => e.Relevance * 100 + e.Novelty));
        markdown.Should().Contain("**Comment:** Author match").And.Contain("Total relevant papers: 37").And.NotContain("| **Token**");
        markdown.Should().Contain("Łukasz Kuśmierz").And.NotContain("Total ArXiv papers", "the day file does not record the totals");
    }

    [Fact]
    public void Read_DigestWrittenAsDayFileByTheHelper_MatchesTheDigest()
    {
        var digest = TestDigests.FromReference(0);
        using var document = JsonDocument.Parse(TestDigests.ToPythonDayFile(digest));

        var import = PythonDayFile.Read(document.RootElement, digest.Date);

        import.Diagnostics.Should().BeEmpty();
        import.Digest.Papers.Select(e => (e.Paper.Id, e.Score.Relevance, e.Score.Novelty, e.Score.Origin))
            .Should().Equal(digest.Papers.Select(e => (e.Paper.Id, e.Score.Relevance, e.Score.Novelty, e.Score.Origin)));
    }

    [Fact]
    public async Task Read_MalformedEntries_KeepsWhatItCanAndReportsEveryProblem()
    {
        var import = await ImportAsync("2025-03-01-output.json");

        var digest = import.Digest;
        digest.Papers.Select(e => e.Paper.Id.Id).Should().Equal("2502.18435", "2502.17578", "2502.18293", "2502.17751", "2502.17605");

        var rounded = digest.Papers[1].Score;
        (rounded.Relevance, rounded.Novelty).Should().Be((9, 7));
        rounded.ExtraProperties!["TLDR"].GetString().Should().Be("Power laws from heavy tails.");

        var odd = digest.Papers[3];
        odd.Paper.Title.Should().Be("(untitled)");
        odd.Paper.Authors.Should().Equal("Tony Shaska");
        (odd.Score.Relevance, odd.Score.Novelty, odd.Score.Score).Should().Be((null, null, null));
        odd.Score.Origin.Should().Be(ScoreOrigin.Scored, "a comment other than 'Author match' is not an author match");
        odd.Score.ExtraProperties!.Keys.Should().BeEquivalentTo("RELEVANCE", "NOVELTY", "SCORE");

        digest.Papers[4].Paper.Authors.Should().Equal("Tian Yu Liu", "Alessandro Achille");

        var messages = import.Diagnostics.Select(d => $"{d.Key}: {d.Message}").ToList();
        messages.Should().HaveCount(11);
        messages.Should().Contain(m => m.StartsWith("2502.17578: RELEVANCE 8.6 rounded to 9", StringComparison.Ordinal));
        messages.Should().Contain(m => m.StartsWith("2502.17578v2: skipped: paper 2502.17578 appears twice", StringComparison.Ordinal));
        messages.Should().Contain(m => m.StartsWith("not-an-id: the key is not an arXiv id; arxiv_id '2502.18293' is used", StringComparison.Ordinal));
        messages.Should().Contain(m => m.StartsWith("also-not-an-id: skipped", StringComparison.Ordinal));
        messages.Should().Contain(m => m.StartsWith("2502.18428: skipped: the entry is a JSON string", StringComparison.Ordinal));
        messages.Should().Contain(m => m.StartsWith("2502.17751: has no title", StringComparison.Ordinal));
        messages.Should().Contain(m => m.StartsWith("2502.17751: RELEVANCE \"high\" is not a score", StringComparison.Ordinal));
        messages.Should().Contain(m => m.StartsWith("2502.17751: NOVELTY 11 is not a score", StringComparison.Ordinal));
        messages.Should().Contain(m => m.StartsWith("2502.17751: SCORE \"n/a\" is not a number", StringComparison.Ordinal));
        messages.Should().Contain(m => m.StartsWith("2502.17751: an author entry (a JSON object) has no name", StringComparison.Ordinal));
        messages.Should().Contain(m => m.StartsWith("2502.17605: ARXIVID '2502.99999' differs from the key", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("not json at all", "*not valid JSON*")]
    [InlineData("[{\"ARXIVID\": \"2502.18435\"}]", "*must be a JSON object keyed by arXiv id*")]
    public async Task Read_NotADayFile_ThrowsDigestFormatException(string content, string message)
    {
        var act = () => PythonDayFile.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(content)), new DateOnly(2025, 2, 26));

        await act.Should().ThrowAsync<DigestFormatException>().WithMessage(message);
    }

    [Fact]
    public void Read_EmptyObject_IsADayWithoutPapers()
    {
        using var document = JsonDocument.Parse("{}");

        var import = PythonDayFile.Read(document.RootElement, new DateOnly(2025, 2, 26));

        PythonDayFile.IsDayFile(document.RootElement).Should().BeTrue();
        import.Digest.Papers.Should().BeEmpty();
        import.Diagnostics.Should().BeEmpty();
    }

    [Theory]
    [InlineData("2025-02-26-output.json", true, "2025-02-26")]
    [InlineData("/data/out/json/2025-02/2025-02-26-output.json", true, "2025-02-26")]
    [InlineData("2025-02-26.json", true, "2025-02-26")]
    [InlineData("2025-02-30-output.json", false, null)]
    [InlineData("output.json", false, null)]
    [InlineData("20250226-output.json", false, null)]
    public void TryGetDate_FileName_ReadsTheLeadingDate(string path, bool ok, string? expected)
    {
        PythonDayFile.TryGetDate(path, out var date).Should().Be(ok);
        if (ok)
        {
            date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture).Should().Be(expected);
        }
    }

    [Fact]
    public void IsDayFile_OurDigestOrOtherJson_IsFalse()
    {
        using var ours = JsonDocument.Parse("{\"schemaVersion\":1,\"date\":\"2025-02-26\"}");
        using var array = JsonDocument.Parse("[]");
        using var scalars = JsonDocument.Parse("{\"a\":1}");

        PythonDayFile.IsDayFile(ours.RootElement).Should().BeFalse();
        PythonDayFile.IsDayFile(array.RootElement).Should().BeFalse();
        PythonDayFile.IsDayFile(scalars.RootElement).Should().BeFalse();
    }
}
