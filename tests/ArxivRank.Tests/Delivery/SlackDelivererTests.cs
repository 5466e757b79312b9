using System.Diagnostics;
using System.Text.Json.Nodes;
using ArxivRank.Delivery;
using ArxivRank.Delivery.Slack;
using ArxivRank.Rendering;
using ArxivRank.TestUtilities.Digests;
using ArxivRank.TestUtilities.Slack;

namespace ArxivRank.Tests.Delivery;

/// <summary>The Slack Web API deliverer against a loopback server that enforces Slack's rules.</summary>
public sealed class SlackDelivererTests : IAsyncLifetime
{
    private SlackWebApiServer _server = null!;

    public async Task InitializeAsync() => _server = await SlackWebApiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task DeliverAsync_FortyPapers_PostsOneMainMessageAndEveryPaperInItsThread()
    {
        // Arrange
        var digest = TestDigests.Synthetic(40);
        var deliverer = Create();

        // Act
        var outcome = await Deliver(deliverer, digest);

        // Assert
        outcome.Status.Should().Be(DeliveryStatus.Delivered, outcome.Error);
        var messages = _server.Messages();
        var main = messages.Should().ContainSingle(m => m.ThreadTs == null).Subject;
        outcome.Reference.Should().Be(main.Ts);
        main.BlockText.Should().Contain("40 papers");
        var replies = messages.Where(m => m.ThreadTs != null).ToList();
        replies.Should().NotBeEmpty().And.OnlyContain(m => m.ThreadTs == main.Ts);
        messages.Should().OnlyContain(m => m.Blocks.Count <= 50 && m.Text.Length > 0 && !m.UnfurlLinks);
        messages.Select(m => m.Part).Should().Equal(Enumerable.Range(1, messages.Count).Select(i => (int?)i));
        messages.Should().OnlyContain(m => m.Metadata!["event_type"]!.GetValue<string>() == SlackDeliveryOptions.DefaultEventType
            && m.Metadata["event_payload"]!["day"]!.GetValue<string>() == "2025-02-26");
        string thread = string.Join('\n', replies.Select(r => r.BlockText));
        foreach (var entry in digest.Papers)
        {
            thread.Should().Contain(entry.Paper.AbsUri.AbsoluteUri);
        }

        outcome.PartsDelivered.Should().Be(messages.Count);
    }

    [Fact]
    public async Task DeliverAsync_PostsToOneChannel_AreAtLeastTheMinimumIntervalApart()
    {
        // 400 ms: long enough that unpaced posts (a few ms apart, tens under load) cannot reach 80 % of the paced span.
        var deliverer = Create(o => o.MinPostInterval = TimeSpan.FromMilliseconds(400));

        var outcome = await Deliver(deliverer, TestDigests.Synthetic(30));

        outcome.Succeeded.Should().BeTrue(outcome.Error);
        var times = _server.Messages().Select(m => m.ReceivedAt).ToList();
        times.Should().HaveCountGreaterThan(3);
        // Pacing spaces the starts of the sends. The first post's arrival lags its start most (first-time code paths run
        // after its slot; hundreds of ms on a busy machine), so the span is measured from the second post, with 20 % slack.
        (times[^1] - times[1]).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(400 * (times.Count - 2) * 0.8));
    }

    [Fact]
    public async Task DeliverAsync_RateLimitedWithRetryAfter_WaitsAndPostsEveryMessageExactlyOnce()
    {
        // Arrange: Slack answers the next two calls with 429 and Retry-After: 1.
        var deliverer = Create();
        _server.RateLimitNext(2, TimeSpan.FromSeconds(1));
        var clock = Stopwatch.StartNew();

        // Act
        var outcome = await Deliver(deliverer, TestDigests.Synthetic(12));

        // Assert
        outcome.Status.Should().Be(DeliveryStatus.Delivered, outcome.Error);
        clock.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1.9));
        _server.Calls.Count(c => c.HttpStatus == 429).Should().Be(2);
        var messages = _server.Messages();
        messages.Should().ContainSingle(m => m.ThreadTs == null);
        messages.Select(m => m.Part).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task DeliverAsync_RunStoppedAfterTheMainMessage_NextRunFinishesTheThreadWithoutPostingTwice()
    {
        // Arrange: the first run's third post fails (Slack's internal_error), as if the run had crashed there.
        var digest = TestDigests.Synthetic(40);
        int posts = 0;
        _server.FailCall = (method, _) => method == "chat.postMessage" && ++posts == 3 ? "internal_error" : null;
        var first = await Deliver(Create(), digest);
        first.Status.Should().Be(DeliveryStatus.Failed);
        first.PartsDelivered.Should().Be(2);
        _server.FailCall = null;

        // Act: a new run without any delivery record (the crash lost it) delivers again.
        var second = await Deliver(Create(), digest);

        // Assert
        second.Status.Should().Be(DeliveryStatus.Delivered, second.Error);
        second.Reference.Should().Be(first.Reference);
        var messages = _server.Messages();
        messages.Should().ContainSingle(m => m.ThreadTs == null);
        messages.Select(m => m.Part!.Value).Order().Should().Equal(Enumerable.Range(1, messages.Count));
        _server.Calls.Should().Contain(c => c.Method == "conversations.history" && c.Query["include_all_metadata"] == "true");
        _server.Calls.Should().Contain(c => c.Method == "conversations.replies" && c.Query["ts"] == first.Reference);
    }

    [Fact]
    public async Task DeliverAsync_DayAlreadyInTheChannel_PostsNothing()
    {
        var digest = TestDigests.Synthetic(10);
        _server.Seed(SlackWebApiServer.DefaultChannel, "someone else's message");
        await Deliver(Create(), digest);
        int count = _server.Messages().Count;

        var again = await Deliver(Create(), digest);

        again.Status.Should().Be(DeliveryStatus.AlreadyDelivered);
        _server.Messages().Should().HaveCount(count);
    }

    [Fact]
    public async Task DeliverAsync_ResendOnPurpose_PostsTheDayAgain()
    {
        var digest = TestDigests.Synthetic(5);
        await Deliver(Create(), digest);

        var again = await Create().DeliverAsync(new DeliveryRequest { Digest = digest, Target = SlackWebApiServer.DefaultChannel, Resend = true });

        again.Status.Should().Be(DeliveryStatus.Delivered);
        _server.Messages().Count(m => m.ThreadTs == null).Should().Be(2);
    }

    [Fact]
    public async Task DeliverAsync_BadToken_FailsNamingTheTokenVariableAndTheFix()
    {
        var deliverer = Create(o => o.BotToken = "xoxb-revoked");

        var outcome = await Deliver(deliverer, TestDigests.Synthetic(3));

        outcome.Status.Should().Be(DeliveryStatus.Failed);
        outcome.Error.Should().Contain("SLACK_BOT_TOKEN").And.Contain("invalid_auth").And.Contain("xoxb-").And.NotContain("xoxb-revoked");
        _server.Messages().Should().BeEmpty();
    }

    [Theory]
    [InlineData("not_in_channel", "invite the bot")]
    [InlineData("channel_not_found", "channel ID")]
    public async Task DeliverAsync_ChannelProblem_SaysWhatToDo(string problem, string fix)
    {
        string channel = problem == "not_in_channel" ? "C0NOTMEMBER" : "C0MISSING";
        if (problem == "not_in_channel")
        {
            _server.Channels[channel] = false;
        }

        var outcome = await Deliver(Create(o => o.Channel = channel), TestDigests.Synthetic(3), channel);

        outcome.Status.Should().Be(DeliveryStatus.Failed);
        outcome.Error.Should().Contain(problem).And.Contain(fix);
    }

    [Fact]
    public async Task DeliverAsync_TokenWithoutHistoryScope_NamesTheScopeToAdd()
    {
        _server.Scopes.TryRemove("channels:history", out _);

        var outcome = await Deliver(Create(), TestDigests.Synthetic(3));

        outcome.Status.Should().Be(DeliveryStatus.Failed);
        outcome.Error.Should().Contain("channels:history").And.Contain("reinstall");
        _server.Messages().Should().BeEmpty("without the duplicate check nothing is posted");
    }

    [Fact]
    public async Task DeliverAsync_SlackUnreachable_FailsWithoutThrowing()
    {
        var deliverer = Create(o =>
        {
            o.BaseUrl = new Uri("http://127.0.0.1:1/api/");
            o.MaxRetryAttempts = 1;
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
        });

        var outcome = await Deliver(deliverer, TestDigests.Synthetic(3));

        outcome.Status.Should().Be(DeliveryStatus.Failed);
        outcome.Error.Should().Contain("could not be reached");
    }

    [Fact]
    public void CreateSlack_ChannelNameInsteadOfId_ThrowsNamingTheFix()
    {
        var act = () => DigestDeliverers.CreateSlack(new SlackDeliveryOptions { BotToken = "xoxb-1", Channel = "#general" });

        act.Should().Throw<ArgumentException>().WithMessage("*channel ID*not its name*");
    }

    [Fact]
    public void CreateSlack_NoToken_ThrowsNamingTheVariable()
    {
        var act = () => DigestDeliverers.CreateSlack(new SlackDeliveryOptions { Channel = "C1", TokenName = "MY_SLACK" });

        act.Should().Throw<ArgumentException>().WithMessage("*MY_SLACK*");
    }

    [Fact]
    public async Task Webhook_DeliverAsync_PostsEveryMessageInOrderAndResumesAfterAFailure()
    {
        // Arrange: the fourth webhook post hits a rate limit that outlasts the retries.
        var digest = TestDigests.Synthetic(40);
        var deliverer = DigestDeliverers.CreateSlackWebhook(new SlackWebhookOptions
        {
            WebhookUrl = _server.WebhookUri,
            MinPostInterval = TimeSpan.Zero,
            MaxRetryAttempts = 1,
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        });
        var target = deliverer.Targets.Should().ContainSingle().Subject;
        target.Should().NotContain("s3cr3t");
        var first = await deliverer.DeliverAsync(new DeliveryRequest { Digest = digest, Target = target, PartsAlreadyDelivered = 0 });
        first.Status.Should().Be(DeliveryStatus.Delivered, first.Error);
        int total = first.PartsDelivered;
        total.Should().BeGreaterThan(2);
        _server.Messages(_server.WebhookChannel).Should().HaveCount(total).And.OnlyContain(m => !m.UnfurlLinks && m.Blocks.Count <= 50);

        // Act: resume a delivery that had 2 parts acknowledged.
        var resumed = await deliverer.DeliverAsync(new DeliveryRequest { Digest = digest, Target = target, PartsAlreadyDelivered = 2 });

        // Assert
        resumed.Status.Should().Be(DeliveryStatus.Delivered);
        _server.Messages(_server.WebhookChannel).Should().HaveCount(total + total - 2);
    }

    [Fact]
    public async Task Webhook_RemovedWebhook_SaysToCreateANewOneWithoutShowingTheUrl()
    {
        _server.WebhookExists = false;
        var deliverer = DigestDeliverers.CreateSlackWebhook(new SlackWebhookOptions { WebhookUrl = _server.WebhookUri, MinPostInterval = TimeSpan.Zero });

        var outcome = await deliverer.DeliverAsync(new DeliveryRequest { Digest = TestDigests.Synthetic(2), Target = deliverer.Targets[0] });

        outcome.Status.Should().Be(DeliveryStatus.Failed);
        outcome.Error.Should().Contain("no_service").And.Contain("SLACK_WEBHOOK_URL").And.NotContain("s3cr3t");
    }

    private IDigestDeliverer Create(Action<SlackDeliveryOptions>? configure = null)
    {
        var options = new SlackDeliveryOptions
        {
            BotToken = SlackWebApiServer.DefaultToken,
            Channel = SlackWebApiServer.DefaultChannel,
            BaseUrl = _server.BaseUri,
            MinPostInterval = TimeSpan.FromMilliseconds(5),
            RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        };
        configure?.Invoke(options);
        return DigestDeliverers.CreateSlack(options);
    }

    private static Task<DeliveryOutcome> Deliver(IDigestDeliverer deliverer, Digest digest, string channel = SlackWebApiServer.DefaultChannel)
        => deliverer.DeliverAsync(new DeliveryRequest { Digest = digest, Target = channel });
}
