using System.IO.Compression;
using ArxivRank.Ranking;
using ArxivRank.TestUtilities;

namespace ArxivRank.Tests.Ranking;

public class LabeledDayReaderTests
{
    [Fact]
    public async Task ReadAsync_SharedLabeledDay_ReadsEveryPaperWithItsVerdict()
    {
        var day = new DateOnly(2025, 6, 26);
        var expected = LabeledDays.Load(day);

        var lines = await ReadAllAsync(LabeledDayReader.ReadAsync(new StringReader(TestData.ReadText("labeled-days/2025-06-26.jsonl.gz")), day));

        lines.Should().OnlyContain(l => l.Error == null);
        lines.Select(l => l.Example!.Paper).Should().BeEquivalentTo(expected.Select(p => p.Paper), o => o.WithStrictOrdering());
        lines.Select(l => l.Example!.Positive).Should().Equal(expected.Select(p => p.Selected));
        lines.Select(l => l.Relevance).Should().Equal(expected.Select(p => p.Relevance));
        lines.Select(l => l.Novelty).Should().Equal(expected.Select(p => p.Novelty));
        lines.Should().OnlyContain(l => l.Example!.Weight == 1);
    }

    [Fact]
    public async Task ReadAsync_BadLines_BecomeErrorsWithLineNumbers()
    {
        var lines = await ReadAllAsync(LabeledDayReader.ReadAsync(new StringReader(TestData.ReadText("ranking/2025-01-07-with-bad-lines.jsonl"))));

        lines.Where(l => l.Example != null).Select(l => l.LineNumber).Should().Equal(1, 2, 3, 12, 13, 14, 15, 16);
        lines.Where(l => l.Error != null).Select(l => (l.LineNumber, l.Error)).Should().SatisfyRespectively(
            l => l.Should().Match<(int Line, string? Error)>(e => e.Line == 5 && e.Error!.StartsWith("not a labeled paper", StringComparison.Ordinal)),
            l => l.Should().Be((6, "the line is JSON null, not a labeled paper")),
            l => l.Should().Be((7, "the paper has no \"id\"")),
            l => l.Should().Match<(int Line, string? Error)>(e => e.Line == 8 && e.Error!.StartsWith("\"not-an-id\" is not an arXiv id", StringComparison.Ordinal)),
            l => l.Should().Be((9, "paper 2501.00010 has no \"title\"")),
            l => l.Should().Be((10, "paper 2501.00011 has no \"selected\" verdict (true or false)")),
            l => l.Should().Match<(int Line, string? Error)>(e => e.Line == 11 && e.Error!.StartsWith("not a labeled paper", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ReadAsync_TexAndMetadata_KeptAsSent()
    {
        var lines = await ReadAllAsync(LabeledDayReader.ReadAsync(new StringReader(TestData.ReadText("ranking/2025-01-06.jsonl"))));

        var paper = lines[4].Example!.Paper;
        paper.Title.Should().Be("Schr\\\"odinger Bridges for Graph Generation");
        paper.Authors.Should().Equal("Ada Lovelace", "Alan Turing");
        paper.Categories.Should().Equal("cs.LG", "stat.ML");
        paper.PrimaryCategory.Should().Be("cs.LG");
        paper.AnnouncedOn.Should().BeNull();
    }

    [Fact]
    public async Task ReadFileAsync_PlainAndGzip_ReadTheSameAndTakeTheDayFromTheName()
    {
        using var folder = new TempFolder();
        string plain = folder.Copy("ranking/2025-01-06.jsonl", "2025-01-06.jsonl");
        string gzip = folder.Gzip(plain, "2025-01-06.txt");

        var fromPlain = await ReadAllAsync(LabeledDayReader.ReadFileAsync(plain));
        var fromGzip = await ReadAllAsync(LabeledDayReader.ReadFileAsync(gzip));

        fromPlain.Should().HaveCount(8).And.OnlyContain(l => l.Example!.Paper.AnnouncedOn == new DateOnly(2025, 1, 6));
        fromGzip.Should().BeEquivalentTo(fromPlain, o => o.WithStrictOrdering());
    }

    [Fact]
    public async Task ReadFileAsync_TruncatedGzip_ReadsWhatItCanThenReportsTheTruncation()
    {
        using var folder = new TempFolder();
        string complete = folder.Gzip(folder.Copy("labeled-days/2025-06-26.jsonl.gz", "plain.jsonl"), "complete.jsonl.gz");
        byte[] bytes = File.ReadAllBytes(complete);
        string truncated = folder.File("2025-06-26.jsonl.gz");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);

        var lines = await ReadAllAsync(LabeledDayReader.ReadFileAsync(truncated));

        lines.Count(l => l.Example != null).Should().BeInRange(1, LabeledDays.Load(new DateOnly(2025, 6, 26)).Count - 1);
        lines[^1].Example.Should().BeNull();
        lines[^1].LineNumber.Should().Be(lines[^2].LineNumber + 1);
        lines[^1].Error.Should().Contain("looks truncated");
    }

    [Theory]
    [InlineData("2025-06-17.jsonl", "2025-06-17")]
    [InlineData("/data/2025-06-17.jsonl.gz", "2025-06-17")]
    [InlineData("labels.jsonl", null)]
    [InlineData("2025-13-01.jsonl", null)]
    public void DayFromFileName_Name_GivesTheLeadingDate(string path, string? day)
    {
        LabeledDayReader.DayFromFileName(path).Should().Be(day is null ? null : DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task ReadFileAsync_MissingFile_ThrowsFileNotFound()
    {
        var act = () => ReadAllAsync(LabeledDayReader.ReadFileAsync(Path.Combine(Path.GetTempPath(), "arxivrank-missing", "2025-01-01.jsonl")));

        await act.Should().ThrowAsync<IOException>();
    }

    private static async Task<List<LabeledDayLine>> ReadAllAsync(IAsyncEnumerable<LabeledDayLine> lines)
    {
        var result = new List<LabeledDayLine>();
        await foreach (var line in lines)
        {
            result.Add(line);
        }

        return result;
    }
}

/// <summary>A temporary folder, deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("arxivrank-ranking-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Copies a fixture (decompressed when it is .gz) into the folder.</summary>
    public string Copy(string fixture, string name)
    {
        string target = File(name);
        System.IO.File.WriteAllText(target, TestData.ReadText(fixture));
        return target;
    }

    public string Gzip(string source, string name)
    {
        string target = File(name);
        using var input = System.IO.File.OpenRead(source);
        using var output = System.IO.File.Create(target);
        using var gzip = new GZipStream(output, CompressionLevel.Fastest);
        input.CopyTo(gzip);
        return target;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
