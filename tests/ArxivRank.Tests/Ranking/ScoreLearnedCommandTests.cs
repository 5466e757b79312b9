using System.Globalization;
using System.Text.Json;
using ArxivRank.Ranking;
using ArxivRank.Sqlite;
using ArxivRank.Tests.Cli;

namespace ArxivRank.Tests.Ranking;

public class ScoreLearnedCommandTests
{
    private static async Task<(string Papers, List<Paper> List)> WritePapersAsync(TempFolder folder)
    {
        var papers = new List<Paper> { SyntheticPapers.ProteinPaper(900), SyntheticPapers.GraphPaper(901), SyntheticPapers.ProteinPaper(902) };
        string file = folder.File("papers.jsonl");
        await using (var writer = new StreamWriter(file))
        {
            await PaperJsonLines.WriteAsync(papers, writer);
        }

        return (file, papers);
    }

    [Fact]
    public async Task Score_LearnedWithRankerFile_ScoresEveryPaperInOrderGraphPaperHighest()
    {
        using var folder = new TempFolder();
        var (papersFile, papers) = await WritePapersAsync(folder);
        string model = folder.File("ranker.json");
        await using (var file = File.Create(model))
        {
            await LearnedRanker.Train(SyntheticPapers.Create(300, seed: 1)).SaveAsync(file);
        }

        var run = await CliRunner.RunAsync(["score", "--papers", papersFile, "--scorer", "learned", "--ranker", model]);

        run.ExitCode.Should().Be(0, run.Stderr);
        var lines = run.StdoutLines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        lines.Select(l => l.GetProperty("arxivId").GetString()).Should().Equal(papers.Select(p => p.Id.ToString()));
        var scores = lines.Select(l => l.GetProperty("score").GetDouble()).ToList();
        scores[1].Should().BeGreaterThan(Math.Max(scores[0], scores[2]));
    }

    [Fact]
    public async Task Score_LearnedWithoutRanker_UsesTheStoresModel()
    {
        using var folder = new TempFolder();
        var (papersFile, papers) = await WritePapersAsync(folder);
        string path = folder.File("store.db");
        var ranker = LearnedRanker.Train(SyntheticPapers.Create(300, seed: 2));
        using (var store = new SqliteArxivRankStore(new SqliteStoreOptions { Path = path }))
        {
            await store.SaveModelAsync(ranker);
        }

        var run = await CliRunner.RunAsync(["score", "--papers", papersFile, "--scorer", "learned", "--store", path]);

        run.ExitCode.Should().Be(0, run.Stderr);
        var first = JsonDocument.Parse(run.StdoutLines[0]).RootElement;
        first.GetProperty("score").GetDouble().Should().BeApproximately(ranker.PredictProbability(papers[0]), 1e-9);
    }

    [Fact]
    public async Task Score_LearnedStoreWithoutModel_FailsSayingHowToTrain()
    {
        using var folder = new TempFolder();
        var (papersFile, _) = await WritePapersAsync(folder);

        var run = await CliRunner.RunAsync(["score", "--papers", papersFile, "--scorer", "learned", "--store", folder.File("store.db")]);

        run.ExitCode.Should().Be(1);
        run.Stderr.Should().Contain("no learned ranker yet").And.Contain("--ranker");
        run.Stdout.Should().BeEmpty();
    }

    [Fact]
    public async Task Score_LearnedBrokenModelFile_FailsWithTheReason()
    {
        using var folder = new TempFolder();
        var (papersFile, _) = await WritePapersAsync(folder);
        string model = folder.File("broken.json");
        await File.WriteAllTextAsync(model, "{\"formatVersion\": 7}");

        var run = await CliRunner.RunAsync(["score", "--papers", papersFile, "--scorer", "learned", "--ranker", model]);

        run.ExitCode.Should().Be(1);
        run.Stderr.Should().Contain(7.ToString(CultureInfo.InvariantCulture));
        run.Stdout.Should().BeEmpty();
    }
}
