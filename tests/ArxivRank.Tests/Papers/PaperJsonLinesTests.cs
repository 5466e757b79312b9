using ArxivRank.TestUtilities;

namespace ArxivRank.Tests.Papers;

public class PaperJsonLinesTests
{
    [Fact]
    public async Task WriteThenRead_ReferencePapers_RoundTrip()
    {
        var papers = ReferenceDigest.Load(1).Entries.Select(e => e.Paper with { Id = e.Paper.Id.WithVersion(2), Comments = "12 pages" }).ToList();
        using var writer = new StringWriter();

        await PaperJsonLines.WriteAsync(papers, writer);
        var read = new List<PaperLine>();
        await foreach (var line in PaperJsonLines.ReadAsync(new StringReader(writer.ToString())))
        {
            read.Add(line);
        }

        read.Should().HaveCount(papers.Count);
        read.Select(l => l.Paper).Should().BeEquivalentTo(papers);
        writer.ToString().Should().Contain("\"id\":\"2502.18435v2\"").And.Contain("\"announceType\":\"new\"");
    }

    [Fact]
    public async Task Read_BadLines_BecomeErrorsWithLineNumbers()
    {
        const string text = "{\"id\":\"2502.12851\",\"title\":\"A\"}\n\nnot json\nnull\n{\"id\":\"garbage\",\"title\":\"B\"}\n{\"title\":\"no id\"}\n";
        var read = new List<PaperLine>();

        await foreach (var line in PaperJsonLines.ReadAsync(new StringReader(text)))
        {
            read.Add(line);
        }

        read.Select(l => l.LineNumber).Should().Equal(1, 3, 4, 5, 6);
        read[0].Paper!.Id.Id.Should().Be("2502.12851");
        read.Skip(1).Should().OnlyContain(l => l.Paper == null && l.Error != null);
    }
}
