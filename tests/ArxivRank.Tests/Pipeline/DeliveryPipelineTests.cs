using ArxivRank.Delivery;
using ArxivRank.Delivery.Slack;
using ArxivRank.Pipeline;
using ArxivRank.Rendering;
using ArxivRank.TestUtilities.Pipeline;
using ArxivRank.TestUtilities.Slack;

namespace ArxivRank.Tests.Pipeline;

/// <summary>The deliver stage: after the day is stored, exactly once per target, and finished by the next run when it failed.</summary>
public sealed class DeliveryPipelineTests
{
    [Fact]
    public async Task RunAsync_WithDeliverers_DeliversTheStoredDigestToEveryTargetAndRecordsIt()
    {
        // Arrange
        var kit = new PipelineTestKit();
        var mail = new RecordingDeliverer("email", "a@example.org", "b@example.org");
        kit.Deliverers.Add(mail);
        var pipeline = kit.Build();

        // Act
        var result = await pipeline.RunAsync(new MemoryDigestOutput());

        // Assert
        result.Status.Should().Be(DigestRunStatus.Written);
        result.Delivery!.Succeeded.Should().BeTrue();
        result.Delivery.Delivered.Should().Be(2);
        mail.Requests.Select(r => r.Target).Should().Equal("a@example.org", "b@example.org");
        mail.Requests.Should().OnlyContain(r => r.Digest == result.Digest && !r.Resend);
        result.Statistics.Stages.Select(s => s.Stage).Should().EndWith(["store", "deliver"]);
        var records = await ((IDeliveryStore)kit.Store).GetDeliveriesAsync(PipelineTestKit.Day);
        records.Select(r => (r.Kind, r.Target, r.Status, r.Reference)).Should().Equal(
            ("email", "a@example.org", DeliveryStatus.Delivered, "ref-1"),
            ("email", "b@example.org", DeliveryStatus.Delivered, "ref-2"));
    }

    [Fact]
    public async Task RunAsync_DeliveryFails_KeepsTheDigestAndRecordsTheFailure()
    {
        var kit = new PipelineTestKit();
        var slack = new RecordingDeliverer("slack", "C1") { DeliverAsyncCallback = r => DeliveryOutcome.Failed("slack", r.Target, "Slack rejected the bot token in SLACK_BOT_TOKEN (invalid_auth)", partsDelivered: 0) };
        kit.Deliverers.Add(slack);
        var output = new MemoryDigestOutput();

        var result = await kit.Build().RunAsync(output);

        result.Status.Should().Be(DigestRunStatus.Written);
        result.Delivery!.Succeeded.Should().BeFalse();
        result.Delivery.Failures.Should().ContainSingle().Which.Error.Should().Contain("SLACK_BOT_TOKEN");
        output.Names.Should().Contain("2025-06-06.md");
        (await kit.Store.IsProcessedAsync(PipelineTestKit.Day)).Should().BeTrue();
        var record = (await ((IDeliveryStore)kit.Store).GetDeliveriesAsync(PipelineTestKit.Day)).Should().ContainSingle().Subject;
        record.Status.Should().Be(DeliveryStatus.Failed);
        record.Error.Should().Contain("invalid_auth");
    }

    [Fact]
    public async Task RunAsync_AfterAFailedDelivery_NextRunDeliversTheStoredDigestWithZeroModelCalls()
    {
        // Arrange: the first run delivers 2 parts, then fails.
        var kit = new PipelineTestKit();
        int attempt = 0;
        var webhook = new RecordingDeliverer("slack-webhook", "hooks#1")
        {
            DeliverAsyncCallback = r => ++attempt == 1 ? DeliveryOutcome.Failed("slack-webhook", r.Target, "HTTP 500", partsDelivered: 2) : DeliveryOutcome.Delivered("slack-webhook", r.Target, 5),
        };
        kit.Deliverers.Add(webhook);
        var pipeline = kit.Build();
        var first = await pipeline.RunAsync(new MemoryDigestOutput());
        int calls = kit.Scorer.Calls.Count;
        var output = new MemoryDigestOutput();

        // Act
        var second = await pipeline.RunAsync(output);

        // Assert
        second.Status.Should().Be(DigestRunStatus.Delivered);
        second.Delivery!.Succeeded.Should().BeTrue();
        second.Digest!.Papers.Select(p => p.Paper.Id).Should().Equal(first.Digest!.Papers.Select(p => p.Paper.Id));
        kit.Scorer.Calls.Should().HaveCount(calls, "a pending delivery costs no model call");
        output.Names.Should().BeEmpty("nothing is rendered again");
        webhook.Requests[1].PartsAlreadyDelivered.Should().Be(2);
        var record = (await ((IDeliveryStore)kit.Store).GetDeliveriesAsync(PipelineTestKit.Day)).Single();
        (record.Status, record.Attempts).Should().Be((DeliveryStatus.Delivered, 2));

        // And the run after that has nothing to do.
        var third = await pipeline.RunAsync(new MemoryDigestOutput());
        third.Status.Should().Be(DigestRunStatus.NoNewAnnouncement);
        webhook.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task RunAsync_Force_RerendersButDoesNotDeliverAgain()
    {
        var kit = new PipelineTestKit();
        var deliverer = new RecordingDeliverer();
        kit.Deliverers.Add(deliverer);
        var pipeline = kit.Build();
        await pipeline.RunAsync(new MemoryDigestOutput());
        var output = new MemoryDigestOutput();

        var forced = await pipeline.RunAsync(output, new DigestRunRequest { Force = true });

        forced.Status.Should().Be(DigestRunStatus.Written);
        output.Names.Should().NotBeEmpty();
        forced.Delivery!.Outcomes.Should().ContainSingle().Which.Status.Should().Be(DeliveryStatus.AlreadyDelivered);
        deliverer.Requests.Should().HaveCount(1);
    }

    [Fact]
    public async Task DeliverAsync_StoredDay_SendsItAgainOnPurpose()
    {
        var kit = new PipelineTestKit();
        var deliverer = new RecordingDeliverer();
        kit.Deliverers.Add(deliverer);
        var pipeline = kit.Build();
        await pipeline.RunAsync(new MemoryDigestOutput());

        var report = await pipeline.DeliverAsync(PipelineTestKit.Day);

        report.Delivered.Should().Be(1);
        deliverer.Requests.Should().HaveCount(2);
        deliverer.Requests[1].Resend.Should().BeTrue();
    }

    [Fact]
    public async Task DeliverAsync_DayNotInTheStore_ThrowsSayingToBuildItFirst()
    {
        var kit = new PipelineTestKit();
        kit.Deliverers.Add(new RecordingDeliverer());

        var act = () => kit.Build().DeliverAsync(new DateOnly(2020, 1, 2));

        await act.Should().ThrowAsync<DigestStoreException>().WithMessage("*2020-01-02*");
    }

    [Fact]
    public async Task RunAsync_DelivererThrows_RecordsAFailureInsteadOfCrashing()
    {
        var kit = new PipelineTestKit();
        kit.Deliverers.Add(new RecordingDeliverer { DeliverAsyncCallback = _ => throw new InvalidOperationException("boom") });

        var result = await kit.Build().RunAsync(new MemoryDigestOutput());

        result.Status.Should().Be(DigestRunStatus.Written);
        result.Delivery!.Failures.Should().ContainSingle().Which.Error.Should().Contain("boom");
    }

    [Fact]
    public async Task RunAsync_SlackThroughA429_PostsTheDayExactlyOnceAcrossRuns()
    {
        // Arrange: a real Slack Web API on loopback that rate-limits the first call.
        await using var slack = await SlackWebApiServer.StartAsync();
        slack.RateLimitNext(1, TimeSpan.Zero);
        var kit = new PipelineTestKit { Configure = PipelineTestKit.NoCutOffs };
        kit.Deliverers.Add(DigestDeliverers.CreateSlack(new SlackDeliveryOptions
        {
            BotToken = SlackWebApiServer.DefaultToken,
            Channel = SlackWebApiServer.DefaultChannel,
            BaseUrl = slack.BaseUri,
            MinPostInterval = TimeSpan.FromMilliseconds(5),
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        }));
        var pipeline = kit.Build();

        // Act
        var first = await pipeline.RunAsync(new MemoryDigestOutput());
        var forced = await pipeline.RunAsync(new MemoryDigestOutput(), new DigestRunRequest { Force = true });
        var again = await pipeline.RunAsync(new MemoryDigestOutput());

        // Assert
        first.Delivery!.Succeeded.Should().BeTrue(string.Join(" ", first.Delivery.Failures.Select(f => f.Error)));
        forced.Delivery!.Outcomes.Single().Status.Should().Be(DeliveryStatus.AlreadyDelivered);
        again.Status.Should().Be(DigestRunStatus.NoNewAnnouncement);
        var messages = slack.Messages();
        messages.Should().ContainSingle(m => m.ThreadTs == null);
        string thread = string.Join('\n', messages.Where(m => m.ThreadTs != null).Select(m => m.BlockText));
        foreach (var entry in first.Digest!.Papers)
        {
            thread.Should().Contain(entry.Paper.AbsUri.AbsoluteUri);
        }

        slack.Calls.Should().Contain(c => c.HttpStatus == 429);
    }
}
