using ArxivRank.Pipeline;
using ArxivRank.Rendering;
using ArxivRank.TestUtilities;
using ArxivRank.TestUtilities.Pipeline;
using Microsoft.Extensions.Time.Testing;

namespace ArxivRank.Tests.Pipeline;

/// <summary>Builds pipelines over fakes and real papers for the pipeline tests.</summary>
internal sealed class PipelineTestKit
{
    public static readonly DateOnly Day = new(2025, 6, 6);

    public PipelineTestKit(IReadOnlyList<Paper>? papers = null, DateOnly? day = null)
    {
        Labeled = LabeledDays.Load(day ?? Day);
        Papers = papers ?? [.. Labeled.Select(l => l.Paper)];
        Source = FakeArxivSource.ForDay(day ?? Day, Papers);
        Scorer = FakePaperScorer.FromLabels(Labeled);
        Scorer.Clock = Clock;
    }

    public IReadOnlyList<LabeledPaper> Labeled { get; }

    public IReadOnlyList<Paper> Papers { get; }

    public FakeArxivSource Source { get; set; }

    public FakePaperScorer Scorer { get; set; }

    public IDigestStore Store { get; set; } = new InMemoryArxivRankStore();

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2025, 6, 6, 12, 0, 0, TimeSpan.Zero));

    public RecordingRenderer Markdown { get; } = new("md");

    public RecordingRenderer Html { get; } = new("html");

    public TestMeterFactory Meters { get; } = new();

    public Action<DigestPipelineOptions>? Configure { get; set; }

    public List<IDigestRenderer>? Renderers { get; set; }

    public List<ArxivRank.Delivery.IDigestDeliverer> Deliverers { get; } = [];

    public IEnumerable<string> Picks => Labeled.Where(l => l.Selected).Select(l => l.Paper.Id.Id);

    public DigestPipeline Build()
    {
        var builder = DigestPipeline.CreateBuilder()
            .UseSource(Source)
            .UseScorer(Scorer)
            .UseStore(Store)
            .UseTimeProvider(Clock)
            .UseMeterFactory(Meters)
            .Configure(o =>
            {
                o.Selection.MinRelevance = 8;
                o.Selection.MinNovelty = 7;
                Configure?.Invoke(o);
            });
        foreach (var renderer in Renderers ?? [Markdown, Html])
        {
            builder.AddRenderer(renderer);
        }

        foreach (var deliverer in Deliverers)
        {
            builder.AddDeliverer(deliverer);
        }

        return builder.Build();
    }

    public static void NoCutOffs(DigestPipelineOptions options)
    {
        options.Selection.MinRelevance = null;
        options.Selection.MinNovelty = null;
    }

    public static Paper Paper(string id, DateOnly? day = null, string? title = null)
        => new() { Id = ArxivId.Parse(id), Title = title ?? "Paper " + id, AnnouncedOn = day };
}
