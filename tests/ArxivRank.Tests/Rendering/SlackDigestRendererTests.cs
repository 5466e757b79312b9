using System.Text.Json;
using ArxivRank.Rendering;
using ArxivRank.TestUtilities.Digests;

namespace ArxivRank.Tests.Rendering;

public sealed class SlackDigestRendererTests
{
    private static async Task<List<(string Name, JsonElement Message)>> RenderMessagesAsync(Digest digest, SlackRendererOptions? options = null)
    {
        var output = await DigestRenderers.Slack(options).RenderAsync(digest);
        return [.. output.Names.Select(n => (n, JsonDocument.Parse(output.GetBytes(n)).RootElement.Clone()))];
    }

    private static IEnumerable<(string Type, string Text)> Texts(JsonElement message)
    {
        foreach (var block in message.GetProperty("blocks").EnumerateArray())
        {
            string type = block.GetProperty("type").GetString()!;
            if (block.TryGetProperty("text", out var text))
            {
                yield return (type, text.GetProperty("text").GetString()!);
            }

            if (block.TryGetProperty("elements", out var elements))
            {
                foreach (var element in elements.EnumerateArray())
                {
                    yield return (type, element.GetProperty("text").GetString()!);
                }
            }
        }
    }

    [Theory]
    [InlineData(37)]
    [InlineData(1000)]
    public async Task Render_AnySize_RespectsSlackLimits(int papers)
    {
        var digest = papers == 37 ? TestDigests.FromReference(1) : TestDigests.Synthetic(papers);

        var messages = await RenderMessagesAsync(digest);

        messages.Should().HaveCountGreaterThan(1);
        foreach (var (name, message) in messages)
        {
            message.GetProperty("blocks").GetArrayLength().Should().BeInRange(1, 50, name);
            message.GetProperty("text").GetString().Should().NotBeNullOrEmpty();
            foreach (var (type, text) in Texts(message))
            {
                text.Length.Should().BeInRange(1, type == "header" ? 150 : 3000, $"{name} {type}");
            }
        }
    }

    [Fact]
    public async Task Render_Digest_NamesHeaderMessageThenThreadInOrder()
    {
        var messages = await RenderMessagesAsync(TestDigests.Synthetic(100));

        messages.Select(m => m.Name).Should().StartWith(["slack/2025-02-26-001.json", "slack/2025-02-26-002.json"]).And.BeInAscendingOrder(StringComparer.Ordinal);
        Texts(messages[0].Message).First().Should().Be(("header", "arXiv digest · 2025-02-26 · 100 papers"));
    }

    [Fact]
    public async Task Render_Thread_CarriesEveryPaperOnceInOrder()
    {
        var digest = TestDigests.Synthetic(120);

        var messages = await RenderMessagesAsync(digest, new SlackRendererOptions { IncludeCriteria = false });

        var ids = messages.Skip(1).SelectMany(m => Texts(m.Message))
            .Select(t => System.Text.RegularExpressions.Regex.Match(t.Text, @"^\*(\d+)\. <https://arxiv\.org/abs/([^|]+)\|"))
            .Where(m => m.Success).Select(m => (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups[2].Value)).ToList();
        ids.Should().Equal(digest.Papers.Select((e, i) => (i + 1, e.Paper.Id.Id)));
    }

    [Fact]
    public async Task Render_HeaderMessage_ListsTheTopTitles()
    {
        var messages = await RenderMessagesAsync(TestDigests.FromReference(1), new SlackRendererOptions { TopTitles = 5 });

        string list = Texts(messages[0].Message).Single(t => t.Type == "section").Text;
        list.Split('\n').Should().HaveCount(5);
        list.Should().StartWith("1. <https://arxiv.org/abs/2502.18435|Reversal Blessing").And.Contain("— Author match").And.Contain("2. <https://arxiv.org/abs/2502.18377|Mechanistic PDE Networks for Discovery of Governing Equations> — Relevance 9 · Novelty 9");
    }

    [Fact]
    public async Task Render_HostileText_IsEscapedForMrkdwn()
    {
        var messages = await RenderMessagesAsync(TestDigests.Hostile());

        string all = string.Join('\n', messages.SelectMany(m => Texts(m.Message)).Select(t => t.Text));
        all.Should().NotContain("<!channel>").And.NotContain("<@U123>").And.NotContain("<https://evil").And.NotContain("<script>");
        all.Should().Contain("&lt;!channel&gt;").And.Contain("&lt;script&gt;").And.Contain("&amp;amp;");
        all.Should().Contain("∗free∗ ˍtokensˍ").And.NotContain("*free*");
        all.Should().Contain("Łukasz Kuśmierz, David Pöppel, João Gonçalves").And.Contain("Christopher Ré");
        // Every '<' left is one of our own links to arXiv.
        System.Text.RegularExpressions.Regex.Matches(all, "<([^>|]*)").Select(m => m.Groups[1].Value).Should().OnlyContain(u => u.StartsWith("https://arxiv.org/abs/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Render_LongTitleAndAbstract_AreCutWithinLimits()
    {
        var digest = TestDigests.Hostile();
        var paper = digest.Papers[1].Paper with { Title = string.Concat(Enumerable.Repeat("Very & long <title> ", 40)), Abstract = string.Concat(Enumerable.Repeat("A & B < C. ", 600)) };
        digest = digest with { Papers = [digest.Papers[1] with { Paper = paper }] };
        var options = new SlackRendererOptions { Title = string.Concat(Enumerable.Repeat("Weekly digest of everything ", 10)) };

        var messages = await RenderMessagesAsync(digest, options);

        var header = Texts(messages[0].Message).First();
        header.Text.Length.Should().BeLessThanOrEqualTo(150);
        header.Text.Should().EndWith("…");
        foreach (var (_, text) in messages.SelectMany(m => Texts(m.Message)))
        {
            text.Length.Should().BeLessThanOrEqualTo(3000);
            System.Text.RegularExpressions.Regex.IsMatch(text, "&[a-z]{0,3}$|&[a-z]{0,3}…").Should().BeFalse("no entity is cut in half: " + text[^10..]);
        }
    }

    [Fact]
    public async Task Render_SmallerBlockLimit_SplitsIntoMoreMessages()
    {
        var digest = TestDigests.Synthetic(40);

        var big = await RenderMessagesAsync(digest, new() { IncludeCriteria = false });
        var small = await RenderMessagesAsync(digest, new() { IncludeCriteria = false, MaxBlocksPerMessage = 10 });

        small.Count.Should().BeGreaterThan(big.Count);
        small.Should().OnlyContain(m => m.Message.GetProperty("blocks").GetArrayLength() <= 10);
    }

    [Fact]
    public async Task Render_Criteria_EndTheThreadInChunks()
    {
        var messages = await RenderMessagesAsync(TestDigests.FromReference(1));

        var last = Texts(messages[^1].Message).ToList();
        last[0].Should().Be(("header", "Selection criteria"));
        string criteria = string.Concat(messages.SkipWhile(m => Texts(m.Message).First().Text != "Selection criteria").SelectMany(m => Texts(m.Message)).Where(t => t.Type == "section").Select(t => t.Text));
        criteria.Should().Contain("Relevance 9-10 (Completely Relevant)").And.Contain("∗∗Keywords:∗∗");
    }

    [Theory]
    [InlineData(51, 3000, 10, "*MaxBlocksPerMessage*")]
    [InlineData(50, 3001, 10, "*MaxTextLength*")]
    [InlineData(50, 3000, -1, "*TopTitles*")]
    public void Slack_OptionsBeyondSlackLimits_Throw(int blocks, int text, int top, string message)
    {
        var act = () => DigestRenderers.Slack(new SlackRendererOptions { MaxBlocksPerMessage = blocks, MaxTextLength = text, TopTitles = top });

        act.Should().Throw<ArgumentException>().WithMessage(message);
    }
}
