using System.Diagnostics;
using ArxivRank.Pipeline;
using ArxivRank.Rendering;
using ArxivRank.Scoring;
using ArxivRank.TestUtilities.Pipeline;
using Microsoft.Extensions.Logging;

namespace ArxivRank.Tests.Pipeline;

public sealed class PipelineObservabilityTests
{
    [Fact]
    public async Task RunAsync_WithActivityListener_TracesTheRunAndEachStageUnderTheCallersActivity()
    {
        // Arrange: a parent activity of our own, so activities of tests running in parallel are told apart by trace id.
        using var testSource = new ActivitySource("ArxivRank.Tests.Observability");
        var recorded = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "ArxivRank" or "ArxivRank.Tests.Observability",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (recorded) { recorded.Add(a); } },
        };
        ActivitySource.AddActivityListener(listener);
        var kit = new PipelineTestKit();
        using var parent = testSource.StartActivity("test")!;

        // Act
        await kit.Build().RunAsync(new MemoryDigestOutput());

        // Assert
        List<Activity> ours;
        lock (recorded)
        {
            ours = [.. recorded.Where(a => a.TraceId == parent.TraceId && a.Source.Name == "ArxivRank")];
        }

        var root = ours.Should().ContainSingle(a => a.OperationName == "arxivrank.digest").Subject;
        root.ParentSpanId.Should().Be(parent.SpanId);
        root.GetTagItem("arxivrank.outcome").Should().Be("written");
        root.GetTagItem("arxivrank.announcement_date").Should().Be("2025-06-06");
        ours.Where(a => a.ParentSpanId == root.SpanId).Select(a => a.OperationName).Should().Equal(
            "arxivrank.fetch", "arxivrank.dedupe", "arxivrank.seen", "arxivrank.score", "arxivrank.select", "arxivrank.render", "arxivrank.store");
    }

    [Fact]
    public async Task RunAsync_Logging_UsesPipelineEventIdsAndNeverLogsAbstractsAboveTrace()
    {
        // Arrange
        var kit = new PipelineTestKit();
        var provider = new RecordingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(provider).SetMinimumLevel(LogLevel.Trace));
        var pipeline = DigestPipeline.CreateBuilder().UseSource(kit.Source).UseScorer(kit.Scorer).AddRenderer(kit.Markdown)
            .UseLoggerFactory(loggerFactory).Build();

        // Act
        await pipeline.RunAsync(new MemoryDigestOutput());

        // Assert
        var entries = provider.Entries;
        entries.Should().NotBeEmpty().And.OnlyContain(e => e.EventId.Id >= 5000 && e.EventId.Id <= 5999);
        entries.Select(e => e.EventId.Id).Should().Contain([5000, 5001, 5004, 5005, 5008, 5009, 5011, 5017, 5101]);
        var abstracts = kit.Papers.Select(p => p.Abstract).Where(a => a.Length > 40).Select(a => a[..40]).ToList();
        entries.Where(e => e.Level > LogLevel.Trace).Should().NotContain(e => abstracts.Any(a => e.Message.Contains(a, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task RunAsync_ScoringFails_LogsAnErrorWithTheReason()
    {
        var kit = new PipelineTestKit();
        kit.Scorer.BeforeCall = (_, _) => throw new ScoringException("every request failed with HTTP 401");
        var provider = new RecordingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(provider));
        var pipeline = DigestPipeline.CreateBuilder().UseSource(kit.Source).UseScorer(kit.Scorer).UseLoggerFactory(loggerFactory).Build();

        await FluentActions.Awaiting(() => pipeline.RunAsync(new MemoryDigestOutput())).Should().ThrowAsync<ScoringException>();

        provider.Entries.Should().ContainSingle(e => e.Level == LogLevel.Error)
            .Which.Should().Match<LogEntry>(e => e.EventId.Id == 5012 && e.Message.Contains("HTTP 401", StringComparison.Ordinal));
    }
}
