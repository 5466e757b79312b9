using System.Text;
using ArxivRank.Rendering;
using ArxivRank.TestUtilities.Digests;
using BenchmarkDotNet.Attributes;

namespace ArxivRank.Benchmarks.Rendering;

/// <summary>
/// Renders a 1,000-paper digest in each format to a null stream. The baseline is the naive way (the Python tool's):
/// build the whole Markdown document as one string, then encode and write it.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class RenderDigestBenchmarks
{
    private readonly IDigestOutput _output = new NullDigestOutput();
    private Digest _digest = null!;

    [Params(1000)]
    public int Papers { get; set; }

    [GlobalSetup]
    public void Setup() => _digest = TestDigests.Synthetic(Papers);

    [Benchmark(Baseline = true)]
    public async Task NaiveMarkdownString()
    {
        var toc = _digest.Papers.Select((e, i) => $"{i + 1}. [{TexText.ToUnicode(e.Paper.Title)}](#user-content-link{i + 1})\n**Authors:** {string.Join(", ", e.Paper.Authors.Select(TexText.ToUnicode))}");
        var papers = _digest.Papers.Select((e, i) =>
            $"## {i + 1}. [{TexText.ToUnicode(e.Paper.Title)}]({e.Paper.AbsUri}) <a id=\"link{i + 1}\"></a>\n\n**ArXiv ID:** {e.Paper.Id.Id}\n\n"
            + $"**Authors:** {string.Join(", ", e.Paper.Authors.Select(TexText.ToUnicode))}\n\n**Abstract:** {TexText.ToUnicode(e.Paper.Abstract)}\n\n"
            + $"**Comment:** {e.Score.Comment}\n\n**Relevance:** {e.Score.Relevance}\n**Novelty:** {e.Score.Novelty}");
        string document = string.Join("\n\n", new[]
        {
            $"# Personalized Daily Arxiv Papers {_digest.Date:MM/dd/yyyy}",
            $"Total relevant papers: {_digest.Papers.Count}",
            "**Table of contents with paper titles:**",
            string.Join("\n\n", toc),
            "---",
            string.Join("\n\n---\n\n", papers),
            "---",
            "# Paper Selection Prompt",
            _digest.CriteriaText ?? string.Empty,
        });
        var stream = await _output.CreateAsync("naive.md", "text/markdown");
        await stream.WriteAsync(Encoding.UTF8.GetBytes(document));
    }

    [Benchmark]
    public Task Markdown() => DigestRenderers.Markdown().RenderAsync(_digest, _output);

    [Benchmark]
    public Task Html() => DigestRenderers.Html().RenderAsync(_digest, _output);

    [Benchmark]
    public Task Json() => DigestRenderers.Json().RenderAsync(_digest, _output);

    [Benchmark]
    public Task Slack() => DigestRenderers.Slack().RenderAsync(_digest, _output);

    private sealed class NullDigestOutput : IDigestOutput
    {
        public ValueTask<Stream> CreateAsync(string name, string mediaType, CancellationToken cancellationToken = default)
            => ValueTask.FromResult(Stream.Null);
    }
}
