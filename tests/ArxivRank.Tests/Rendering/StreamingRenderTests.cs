using ArxivRank.Rendering;
using ArxivRank.TestUtilities.Digests;

namespace ArxivRank.Tests.Rendering;

public sealed class StreamingRenderTests
{
    [Theory]
    [InlineData("markdown")]
    [InlineData("html")]
    [InlineData("json")]
    [InlineData("slack")]
    public async Task Render_ThousandPapers_StreamsInBoundedAsyncWrites(string format)
    {
        // Arrange
        var digest = TestDigests.Synthetic(1000);
        var output = new RecordingOutput();

        // Act
        await DigestRenderers.Create(format).RenderAsync(digest, output);

        // Assert: the document arrives in many writes, none near the document's size, all asynchronous.
        long total = output.Streams.Values.Sum(s => s.Total);
        total.Should().BeGreaterThan(1_000_000);
        foreach (var (name, stream) in output.Streams)
        {
            stream.AsyncWritesOnly.Should().BeTrue(name);
            stream.Writes.Should().OnlyContain(size => size <= 128 * 1024, name);
        }

        output.Streams.Values.Sum(s => s.Writes.Count).Should().BeGreaterThan(10);
    }

    [Fact]
    public async Task Render_CanceledToken_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        foreach (string format in DigestRenderers.Formats)
        {
            var act = () => DigestRenderers.Create(format).RenderAsync(TestDigests.Synthetic(10), new MemoryDigestOutput(), cts.Token);
            await act.Should().ThrowAsync<OperationCanceledException>(format);
        }
    }

    [Fact]
    public void Create_UnknownFormat_ThrowsNamingTheFormats()
    {
        var act = () => DigestRenderers.Create("pdf");

        act.Should().Throw<ArgumentException>().WithMessage("*'pdf'*markdown, html, json, slack*");
    }
}
