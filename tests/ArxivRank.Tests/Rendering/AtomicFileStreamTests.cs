using System.Text;
using ArxivRank.Rendering;

namespace ArxivRank.Tests.Rendering;

public sealed class AtomicFileStreamTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("arxivrank-atomic-").FullName;

    [Fact]
    public async Task Write_AfterAKilledWriter_ReplacesTheTarget_RemovesItsOldStray_AndKeepsAYoungOne()
    {
        // Arrange: a killed writer's temporary file from an hour ago, and one of a writer that may still be at work.
        string target = Path.Combine(_folder, "2025-07-08.html");
        await File.WriteAllTextAsync(target, "old");
        string crashed = Path.Combine(_folder, $".2025-07-08.html.{Guid.NewGuid():N}.tmp");
        string young = Path.Combine(_folder, $".2025-07-08.html.{Guid.NewGuid():N}.tmp");
        string otherTarget = Path.Combine(_folder, $".2025-07-09.html.{Guid.NewGuid():N}.tmp");
        foreach (string path in (string[])[crashed, young, otherTarget])
        {
            await File.WriteAllTextAsync(path, "half");
        }

        File.SetLastWriteTimeUtc(crashed, DateTime.UtcNow - TimeSpan.FromHours(1));
        File.SetLastWriteTimeUtc(otherTarget, DateTime.UtcNow - TimeSpan.FromHours(1));

        // Act
        await AtomicFileStream.WriteAllBytesAsync(target, Encoding.UTF8.GetBytes("new"), CancellationToken.None);

        // Assert
        (await File.ReadAllTextAsync(target)).Should().Be("new");
        File.Exists(crashed).Should().BeFalse("a temporary file far older than this write's is a killed writer's");
        File.Exists(young).Should().BeTrue("a recent temporary file may belong to a writer still at work");
        File.Exists(otherTarget).Should().BeTrue("only the written target's strays are removed");
        Directory.GetFiles(_folder, "*.tmp", SearchOption.TopDirectoryOnly).Should().HaveCount(2);
    }

    [Fact]
    public async Task Write_ThatIsCancelled_LeavesTheOldTargetAndNoTemporaryFile()
    {
        string target = Path.Combine(_folder, "digest.json");
        await File.WriteAllTextAsync(target, "old");
        using var cancelled = new CancellationTokenSource();

        var act = async () =>
        {
            await using var stream = new AtomicFileStream(target);
            await stream.WriteAsync(Encoding.UTF8.GetBytes("partial"));
            await cancelled.CancelAsync();
            await stream.WriteAsync(Encoding.UTF8.GetBytes(" and more"), cancelled.Token);
        };

        await act.Should().ThrowAsync<OperationCanceledException>();
        (await File.ReadAllTextAsync(target)).Should().Be("old");
        Directory.GetFiles(_folder, "*.tmp").Should().BeEmpty();
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
