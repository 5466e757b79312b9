using System.Text;
using ArxivRank.Ranking;
using ArxivRank.TestUtilities;
using ArxivRank.Tests.Cli;

namespace ArxivRank.Tests.Ranking;

public class TrainCommandTests
{
    [Fact]
    public async Task Train_TwoLabeledDays_WritesLoadableModelAndSummary()
    {
        using var folder = new TempFolder();
        string first = folder.Copy("labeled-days/2025-06-26.jsonl.gz", "2025-06-26.jsonl");
        string second = folder.Copy("labeled-days/2025-07-03.jsonl.gz", "2025-07-03.jsonl");
        string model = folder.File("ranker.json");
        int papers = LabeledDays.Load(new DateOnly(2025, 6, 26)).Count + LabeledDays.Load(new DateOnly(2025, 7, 3)).Count;
        int selected = LabeledDays.Load(new DateOnly(2025, 6, 26)).Count(p => p.Selected) + LabeledDays.Load(new DateOnly(2025, 7, 3)).Count(p => p.Selected);

        var run = await CliRunner.RunAsync(["train", "--labels", first, second, "--out", model]);

        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stdout.Should().BeEmpty();
        using var stream = File.OpenRead(model);
        var ranker = LearnedRanker.Load(stream);
        ranker.Training.Papers.Should().Be(papers);
        ranker.Training.Positives.Should().Be(selected);
        ranker.Training.FirstDay.Should().Be(new DateOnly(2025, 6, 26));
        ranker.Training.LastDay.Should().Be(new DateOnly(2025, 7, 3));
        run.StderrLines.Should().HaveCount(3);
        run.StderrLines[0].Should().Be($"train: read {papers} papers ({selected} selected) from 2 file(s); 0 line(s) skipped");
        run.StderrLines[1].Should().StartWith($"train: vocabulary {ranker.VocabularySize} terms; trained in ").And.Contain($"({ranker.Training.Iterations} iterations, converged)");
        run.StderrLines[2].Should().StartWith($"train: wrote {model} (");
        File.Exists(model + ".tmp").Should().BeFalse();
    }

    [Fact]
    public async Task Train_GzippedFileRepeatedLabelsOption_ReadsEveryFile()
    {
        using var folder = new TempFolder();
        string plain = folder.Copy("ranking/2025-01-06.jsonl", "2025-01-06.jsonl");
        string gzip = folder.Gzip(plain, "2025-01-08.jsonl.gz");

        var run = await CliRunner.RunAsync(["train", "--labels", plain, "--labels", gzip, "--out", folder.File("m.json")]);

        run.ExitCode.Should().Be(0, run.Stderr);
        run.StderrLines[0].Should().Be("train: read 16 papers (6 selected) from 2 file(s); 0 line(s) skipped");
    }

    [Fact]
    public async Task Train_NoOut_WritesModelToStdout()
    {
        var run = await CliRunner.RunAsync(["train", "--labels", TestData.PathOf("ranking/2025-01-06.jsonl")]);

        run.ExitCode.Should().Be(0, run.Stderr);
        var ranker = LearnedRanker.Load(new MemoryStream(Encoding.UTF8.GetBytes(run.Stdout)));
        ranker.Training.Papers.Should().Be(8);
        run.StderrLines.Should().HaveCount(2);
    }

    [Fact]
    public async Task Train_Stdin_ReadsLabelsFromStandardInput()
    {
        var run = await CliRunner.RunAsync(["train", "--labels", "-"], stdin: TestData.ReadText("ranking/2025-01-06.jsonl"));

        run.ExitCode.Should().Be(0, run.Stderr);
        LearnedRanker.Load(new MemoryStream(Encoding.UTF8.GetBytes(run.Stdout))).Training.Positives.Should().Be(3);
    }

    [Fact]
    public async Task Train_MalformedLines_ReportedWithFileAndLineThenSkipped()
    {
        string file = TestData.PathOf("ranking/2025-01-07-with-bad-lines.jsonl");

        var run = await CliRunner.RunAsync(["train", "--labels", file]);

        run.ExitCode.Should().Be(0, run.Stderr);
        run.StderrLines.Where(l => l.Contains(": skipped: ", StringComparison.Ordinal)).Select(l => l.Split(": skipped: ")[0])
            .Should().Equal(new[] { 5, 6, 7, 8, 9, 10, 11 }.Select(n => $"train: {file}:{n}"));
        run.StderrLines.Should().Contain("train: read 8 papers (3 selected) from 1 file(s); 7 line(s) skipped");
        LearnedRanker.Load(new MemoryStream(Encoding.UTF8.GetBytes(run.Stdout))).Training.Papers.Should().Be(8);
    }

    [Fact]
    public async Task Train_NoLabelsEmptyStore_FailsSayingThereIsNoHistory()
    {
        using var folder = new TempFolder();

        var run = await CliRunner.RunAsync(["train", "--store", folder.File("store.db"), "--out", folder.File("model.json")]);

        run.ExitCode.Should().Be(1);
        run.Stderr.Should().Contain("no judged papers yet").And.Contain("--labels");
        run.Stdout.Should().BeEmpty();
        File.Exists(folder.File("model.json")).Should().BeFalse();
    }

    [Fact]
    public async Task Train_NoLabelsNoOut_TrainsFromTheStoreAndSavesTheModelThere()
    {
        // Arrange: a store with two judged days and one feedback verdict.
        using var folder = new TempFolder();
        string path = folder.File("store.db");
        var history = LabelStoreContractTests.History(days: 2, perDay: 20, selectedPerDay: 4);
        using (var store = new ArxivRank.Sqlite.SqliteArxivRankStore(new ArxivRank.Sqlite.SqliteStoreOptions { Path = path }))
        {
            await store.RecordJudgmentsAsync(history);
        }

        var liked = await CliRunner.RunAsync(["feedback", "--like", history[10].Paper.Id.ToString(), "--store", path]);

        // Act
        var run = await CliRunner.RunAsync(["train", "--store", path]);

        // Assert
        liked.ExitCode.Should().Be(0, liked.Stderr);
        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stdout.Should().BeEmpty();
        run.StderrLines[0].Should().StartWith("train: read 40 judged papers (8 positive) from 2 day(s) and 1 feedback verdict(s) from ");
        run.StderrLines[^1].Should().StartWith("train: saved the model in ");
        using var reopened = new ArxivRank.Sqlite.SqliteArxivRankStore(new ArxivRank.Sqlite.SqliteStoreOptions { Path = path });
        var model = await reopened.LoadModelAsync();
        model!.Training.Papers.Should().Be(41, "40 judgments and one like");
    }

    [Fact]
    public async Task Train_MissingFile_FailsNamingTheFile()
    {
        using var folder = new TempFolder();
        string missing = folder.File("2025-01-01.jsonl");

        var run = await CliRunner.RunAsync(["train", "--labels", missing, "--out", folder.File("m.json")]);

        run.ExitCode.Should().Be(1);
        run.Stderr.Should().StartWith($"train: cannot read {missing}: ");
        File.Exists(folder.File("m.json")).Should().BeFalse();
    }

    [Fact]
    public async Task Train_BrokenGzip_FailsNamingTheFile()
    {
        using var folder = new TempFolder();
        string broken = folder.File("2025-01-01.jsonl.gz");
        File.WriteAllBytes(broken, [0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff]); // reserved deflate block type

        var run = await CliRunner.RunAsync(["train", "--labels", broken]);

        run.ExitCode.Should().Be(1);
        run.Stderr.Should().StartWith($"train: cannot read {broken}: ");
    }

    [Fact]
    public async Task Train_OnlyUnselectedPapers_FailsSayingWhy()
    {
        using var folder = new TempFolder();
        string file = folder.File("2025-01-01.jsonl");
        File.WriteAllLines(file, TestData.ReadText("ranking/2025-01-06.jsonl").Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains("\"selected\": false", StringComparison.Ordinal)));

        var run = await CliRunner.RunAsync(["train", "--labels", file]);

        run.ExitCode.Should().Be(1);
        run.Stderr.Should().Contain("needs both wanted and unwanted papers").And.Contain("got 0 positive and 5 negative");
        run.Stdout.Should().BeEmpty();
    }

    [Fact]
    public async Task Train_OutIsAFolder_FailsWithoutLeavingATemporaryFile()
    {
        using var folder = new TempFolder();
        string target = folder.File("existing-folder");
        Directory.CreateDirectory(target);

        var run = await CliRunner.RunAsync(["train", "--labels", TestData.PathOf("ranking/2025-01-06.jsonl"), "--out", target]);

        run.ExitCode.Should().Be(1);
        run.Stderr.Should().Contain($"train: cannot write {target}: ");
        File.Exists(target + ".tmp").Should().BeFalse();
    }
}
