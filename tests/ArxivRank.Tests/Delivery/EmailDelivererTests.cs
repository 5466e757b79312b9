using System.Text;
using ArxivRank.Delivery;
using ArxivRank.Email;
using ArxivRank.Rendering;
using ArxivRank.Tests.Rendering;
using ArxivRank.TestUtilities.Digests;
using ArxivRank.TestUtilities.Mail;
using Microsoft.Playwright;
using MimeKit;

namespace ArxivRank.Tests.Delivery;

/// <summary>The email deliverer against a real SMTP server (aiosmtpd) on loopback, and its HTML in Chromium.</summary>
public sealed class EmailDelivererTests
{
    [SmtpFact]
    public async Task DeliverAsync_TwoRecipients_EachGetsTextAndHtmlWithEverySelectedTitle()
    {
        // Arrange
        await using var smtp = await SmtpTestServer.StartAsync();
        var digest = TestDigests.Synthetic(30);
        var deliverer = Create(smtp, "alice@example.org", "Bob <bob@example.net>");

        // Act
        var outcomes = new List<DeliveryOutcome>();
        foreach (string target in deliverer.Targets)
        {
            outcomes.Add(await deliverer.DeliverAsync(new DeliveryRequest { Digest = digest, Target = target }));
        }

        // Assert
        outcomes.Should().OnlyContain(o => o.Status == DeliveryStatus.Delivered, string.Join(" ", outcomes.Select(o => o.Error)));
        var messages = smtp.Messages().Select(bytes => MimeMessage.Load(new MemoryStream(bytes))).ToList();
        messages.Should().HaveCount(2);
        messages.Select(m => m.To.Mailboxes.Single().Address).Should().BeEquivalentTo("alice@example.org", "bob@example.net");
        foreach (var message in messages)
        {
            message.Subject.Should().Be("arXiv digest 2025-02-26: 30 papers");
            message.From.Mailboxes.Single().Address.Should().Be("digest@example.org");
            message.Body!.ContentType.MimeType.Should().Be("multipart/alternative");
            var parts = ((Multipart)message.Body).OfType<TextPart>().ToList();
            parts.Select(p => p.ContentType.MimeType).Should().Equal("text/plain", "text/html");
            foreach (var entry in digest.Papers)
            {
                string title = RenderText.Display(entry.Paper.Title);
                parts[0].Text.Should().Contain(title);
                parts[1].Text.Should().Contain(new StringBuilder().AppendHtml(title).ToString()).And.Contain(entry.Paper.AbsUri.AbsoluteUri);
            }

            parts[1].Text.Should().NotContain("<script").And.NotContain("<img").And.NotContain("src=");
            Encoding.UTF8.GetByteCount(parts[1].Text).Should().BeLessThan(100 * 1024, "a normal day's mail stays under 100 KB");
            outcomes.Should().Contain(o => o.Reference == "<" + message.MessageId + ">");
        }
    }

    [SmtpFact]
    public async Task DeliverAsync_SameDayAndRecipientTwice_KeepsTheMessageIdStable()
    {
        await using var smtp = await SmtpTestServer.StartAsync();
        var deliverer = Create(smtp, "alice@example.org");
        var digest = TestDigests.Synthetic(3);

        await deliverer.DeliverAsync(new DeliveryRequest { Digest = digest, Target = "alice@example.org" });
        await deliverer.DeliverAsync(new DeliveryRequest { Digest = digest, Target = "alice@example.org", Resend = true });
        await deliverer.DeliverAsync(new DeliveryRequest { Digest = digest with { Date = digest.Date.AddDays(1) }, Target = "alice@example.org" });

        var ids = smtp.Messages().Select(bytes => MimeMessage.Load(new MemoryStream(bytes)).MessageId).ToList();
        ids.Should().HaveCount(3);
        ids[0].Should().Be(ids[1]).And.StartWith("arxivrank.2025-02-26.").And.EndWith("@example.org");
        ids[2].Should().NotBe(ids[0]);
    }

    [Fact]
    public async Task DeliverAsync_NoServerOnThePort_FailsSayingWhatToCheck()
    {
        var deliverer = EmailDeliverers.Create(new EmailDeliveryOptions { From = "digest@example.org", To = { "a@example.org" }, Host = "127.0.0.1", Port = 1, Security = SmtpSecurity.None, Timeout = TimeSpan.FromSeconds(5) });

        var outcome = await deliverer.DeliverAsync(new DeliveryRequest { Digest = TestDigests.Synthetic(1), Target = "a@example.org" });

        outcome.Status.Should().Be(DeliveryStatus.Failed);
        outcome.Error.Should().Contain("127.0.0.1:1").And.Contain("--smtp-host");
    }

    [SmtpFact]
    public async Task DeliverAsync_ServerRequiresAuth_LogsInWithTheCredentials_AndAWrongOrMissingOneFailsSayingWhatToSet()
    {
        // Arrange: a real aiosmtpd that takes mail only after AUTH with these credentials.
        await using var smtp = await SmtpTestServer.StartWithAuthAsync("digest-bot", "s3cret pass");
        var digest = TestDigests.Synthetic(2);

        // Act
        var right = await Create(smtp, "digest-bot", "s3cret pass").DeliverAsync(new DeliveryRequest { Digest = digest, Target = "alice@example.org" });
        var wrong = await Create(smtp, "digest-bot", "wrong").DeliverAsync(new DeliveryRequest { Digest = digest, Target = "alice@example.org" });
        var none = await Create(smtp, null, null).DeliverAsync(new DeliveryRequest { Digest = digest, Target = "alice@example.org" });

        // Assert: one message arrived; the failures name the variables to set.
        right.Status.Should().Be(DeliveryStatus.Delivered, right.Error);
        smtp.Messages().Should().ContainSingle();
        wrong.Status.Should().Be(DeliveryStatus.Failed);
        wrong.Error.Should().Contain("rejected the user name and password").And.Contain("SMTP_USERNAME/SMTP_PASSWORD");
        none.Status.Should().Be(DeliveryStatus.Failed);
        none.Error.Should().Contain("requires authentication").And.Contain("SMTP_USERNAME/SMTP_PASSWORD");

        static IDigestDeliverer Create(SmtpTestServer smtp, string? user, string? password) => EmailDeliverers.Create(new EmailDeliveryOptions
        {
            From = "digest@example.org",
            To = { "alice@example.org" },
            Host = "127.0.0.1",
            Port = smtp.Port,
            Security = SmtpSecurity.None,
            UserName = user,
            Password = password,
        });
    }

    [Theory]
    [InlineData("not-an-address", "a@example.org", "mail-from")]
    [InlineData("digest@example.org", "", "mail-to")]
    public void Create_BadOptions_ThrowsNamingTheFlag(string from, string to, string flag)
    {
        var options = new EmailDeliveryOptions { From = from, Host = "smtp.example.org" };
        if (to.Length > 0)
        {
            options.To.Add(to);
        }

        var act = () => EmailDeliverers.Create(options);

        act.Should().Throw<ArgumentException>().WithMessage($"*{flag}*");
    }

    private static IDigestDeliverer Create(SmtpTestServer smtp, params string[] to)
    {
        var options = new EmailDeliveryOptions { From = "ArxivRank <digest@example.org>", Host = "127.0.0.1", Port = smtp.Port, Security = SmtpSecurity.Auto };
        foreach (string address in to)
        {
            options.To.Add(MailboxAddress.Parse(address).Address);
        }

        return EmailDeliverers.Create(options);
    }
}

/// <summary>The email's HTML part in headless Chromium: no console error under a no-remote-content policy, screenshots in light and dark.</summary>
public sealed class EmailBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task EmailHtml_LightAndDark_HasNoConsoleErrorsAndScreenshotsAreSaved()
    {
        var page = new MemoryDigestOutput();
        await using (var stream = await page.CreateAsync("mail.html", "text/html"))
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(MailDigest.Html(TestDigests.Hostile(), "arXiv digest", includeAbstracts: true)));
        }

        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            await using var context = await fixture.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 420, Height = 900 }, ColorScheme = scheme });
            var problems = await HtmlBrowserTests.ServeAsync(context, page);
            bool injected = false;
            var tab = await context.NewPageAsync();
            tab.Dialog += (_, dialog) => injected = true;
            await tab.GotoAsync(HtmlBrowserTests.Origin + "mail.html");
            string path = Path.Combine(HtmlBrowserTests.ArtifactsDirectory, $"email-{scheme.ToString().ToLowerInvariant()}.png");
            await tab.ScreenshotAsync(new() { Path = path, FullPage = true });

            problems.Should().BeEmpty();
            injected.Should().BeFalse();
            new FileInfo(path).Length.Should().BeGreaterThan(1000);
            string background = await tab.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
            background.Should().Be(scheme == ColorScheme.Dark ? "rgb(21, 23, 26)" : "rgb(244, 245, 247)");
        }
    }
}
