using ArxivRank.Ranking;
using ArxivRank.Sqlite;
using ArxivRank.Tests.Cli;

namespace ArxivRank.Tests.Ranking;

public class FeedbackCommandTests
{
    [Fact]
    public async Task Feedback_LikesAndDislikes_RecordedInTheStoreWithoutVersions()
    {
        using var folder = new TempFolder();
        string path = folder.File("store.db");

        var run = await CliRunner.RunAsync(["feedback", "--like", "2501.00001v2,https://arxiv.org/abs/2501.00002", "--dislike", "2501.00003", "--store", path]);

        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stderr.Should().StartWith("feedback: recorded 2 like(s) and 1 dislike(s) in ");
        using var store = new SqliteArxivRankStore(new SqliteStoreOptions { Path = path });
        (await store.GetFeedbackAsync()).Select(f => (f.PaperId.ToString(), f.Feedback))
            .Should().Equal(("2501.00001", Feedback.Like), ("2501.00002", Feedback.Like), ("2501.00003", Feedback.Dislike));
    }

    [Fact]
    public async Task Feedback_NotAnId_IsAUsageErrorAndRecordsNothing()
    {
        using var folder = new TempFolder();
        string path = folder.File("store.db");

        var run = await CliRunner.RunAsync(["feedback", "--like", "2501.00001,banana", "--store", path]);

        run.ExitCode.Should().Be(2);
        run.Stderr.Should().Contain("'banana'").And.Contain("nothing was recorded");
        File.Exists(path).Should().BeFalse();
    }

    [Fact]
    public async Task Feedback_SamePaperLikedAndDisliked_IsAUsageError()
    {
        using var folder = new TempFolder();

        var run = await CliRunner.RunAsync(["feedback", "--like", "2501.00001", "--dislike", "2501.00001v3", "--store", folder.File("store.db")]);

        run.ExitCode.Should().Be(2);
        run.Stderr.Should().Contain("liked and disliked at once: 2501.00001");
    }

    [Fact]
    public async Task Feedback_NoPapers_IsAUsageError()
    {
        using var folder = new TempFolder();

        var run = await CliRunner.RunAsync(["feedback", "--store", folder.File("store.db")]);

        run.ExitCode.Should().Be(2);
        run.Stderr.Should().Contain("--like");
    }
}
