using ArxivRank.Rendering;
using ArxivRank.TestUtilities.Digests;
using Microsoft.Playwright;

namespace ArxivRank.Tests.Rendering;

/// <summary>Launches the system Chromium once for the browser tests.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (Chromium.ExecutablePath is null)
        {
            return;
        }

        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.ExecutablePath,
            Args = Chromium.Arguments,
            Headless = true,
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>
/// Opens the rendered pages in headless Chromium, served from memory on a fake origin with the Content-Security-Policy
/// header the pages are made for: no console error, every table-of-contents link lands on its paper, injected markup
/// stays text, and screenshots (desktop and phone, light and dark) are saved under the test output's artifacts/ folder.
/// </summary>
public sealed class HtmlBrowserTests : IClassFixture<BrowserFixture>
{
    internal const string Origin = "http://digest.test/";
    private readonly BrowserFixture _fixture;

    public HtmlBrowserTests(BrowserFixture fixture)
    {
        _fixture = fixture;
    }

    internal static string ArtifactsDirectory => Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts")).FullName;

    [BrowserFact]
    public async Task DailyPage_UnderItsCsp_HasNoConsoleErrorsAndEveryTocLinkLandsOnItsPaper()
    {
        // Arrange
        var site = await BuildSiteAsync();
        await using var context = await _fixture.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 }, ReducedMotion = ReducedMotion.Reduce });
        var problems = await ServeAsync(context, site);
        var page = await context.NewPageAsync();

        // Act
        await page.GotoAsync(Origin + "2025-02-26.html");
        var links = await page.Locator("nav.toc a").AllAsync();

        // Assert
        links.Should().HaveCount(37);
        foreach (var (link, index) in links.Select((l, i) => (l, i)))
        {
            string href = (await link.GetAttributeAsync("href"))!;
            await link.ClickAsync();
            var landed = await page.EvaluateAsync<LandedInfo>(
                "() => { const t = document.querySelector(':target'); const r = t ? t.getBoundingClientRect() : null;" +
                " return { hash: location.hash, targetId: t ? t.id : '', top: r ? r.top : -1, height: window.innerHeight," +
                " rank: t ? t.querySelector('.rank').textContent : '' }; }");
            landed.Hash.Should().Be(href);
            landed.TargetId.Should().Be(href[1..]);
            landed.Rank.Should().Be((index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
            landed.Top.Should().BeInRange(0, landed.Height / 2, $"{href} should be scrolled into view below the sticky bar");
        }

        problems.Should().BeEmpty();
    }

    [BrowserFact]
    public async Task DailyPage_NavigationLinks_ReachTheMonthPageAndTheNeighbouringDays()
    {
        var site = await BuildSiteAsync();
        await using var context = await _fixture.Browser.NewContextAsync(new() { ReducedMotion = ReducedMotion.Reduce });
        var problems = await ServeAsync(context, site);
        var page = await context.NewPageAsync();
        await page.GotoAsync(Origin + "2025-02-26.html");

        await page.ClickAsync("nav.topnav a.mid");
        page.Url.Should().Be(Origin + "2025-02/index.html");
        (await page.Locator("h1").TextContentAsync()).Should().Contain("2025-02");
        await page.ClickAsync("td.has a[href='../2025-02-19.html']");
        page.Url.Should().Be(Origin + "2025-02-19.html");
        await page.ClickAsync("a[rel=next]");
        page.Url.Should().Be(Origin + "2025-02-26.html");
        await page.ClickAsync("a[rel=next]");
        page.Url.Should().Be(Origin + "2025-03-18.html");
        await page.ClickAsync("nav.topnav a.mid");
        await page.ClickAsync("a[href='../index.html']");
        page.Url.Should().Be(Origin + "index.html");
        (await page.Locator("ul.months li").CountAsync()).Should().Be(2);

        problems.Should().BeEmpty();
    }

    [BrowserFact]
    public async Task HostilePage_WithoutCspProtection_DoesNotRunInjectedMarkup()
    {
        // Arrange: bypass the page's CSP so only the HTML encoding stands between the feed text and the browser.
        var output = new MemoryDigestOutput();
        await DigestRenderers.Html().RenderAsync(TestDigests.Hostile(), output);
        await using var context = await _fixture.Browser.NewContextAsync(new() { BypassCSP = true, JavaScriptEnabled = true });
        var problems = await ServeAsync(context, output, sendCsp: false);
        var page = await context.NewPageAsync();

        // Act
        await page.GotoAsync(Origin + "2025-02-26.html");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        // Assert
        (await page.EvaluateAsync<bool>("() => typeof window.__pwned === 'undefined'")).Should().BeTrue();
        (await page.EvaluateAsync<int>("() => document.querySelectorAll('script, img, iframe, object, embed, .abstract *, h3 a *').length")).Should().Be(0);
        (await page.Locator("#paper-1 h3 a").TextContentAsync()).Should().Be(TestDigests.ScriptTitle);
        (await page.Locator("#paper-1 .abstract").TextContentAsync()).Should().Be(TestDigests.BreakoutAbstract);
        problems.Should().BeEmpty();
        await page.Locator("#contents").ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(ArtifactsDirectory, "hostile.png"), FullPage = true });
    }

    [BrowserFact]
    public async Task Screenshots_DesktopAndPhone_LightAndDark_AreSaved()
    {
        var site = await BuildSiteAsync();
        var shots = new List<string>();
        foreach (var (name, width, height, scheme) in new (string, int, int, ColorScheme)[]
        {
            ("desktop-light", 1280, 900, ColorScheme.Light),
            ("desktop-dark", 1280, 900, ColorScheme.Dark),
            ("phone-light", 390, 844, ColorScheme.Light),
            ("phone-dark", 390, 844, ColorScheme.Dark),
        })
        {
            await using var context = await _fixture.Browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height }, ColorScheme = scheme, ReducedMotion = ReducedMotion.Reduce, DeviceScaleFactor = 1 });
            var problems = await ServeAsync(context, site);
            var page = await context.NewPageAsync();
            await page.GotoAsync(Origin + "2025-02-26.html");
            string top = Path.Combine(ArtifactsDirectory, name + ".png");
            await page.ScreenshotAsync(new() { Path = top });
            await page.GotoAsync(Origin + "2025-02-26.html#paper-2");
            string paper = Path.Combine(ArtifactsDirectory, name + "-paper.png");
            await page.ScreenshotAsync(new() { Path = paper });
            // The page fits the viewport's width: nothing scrolls sideways on a phone.
            (await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth")).Should().BeTrue(name);
            (await page.EvaluateAsync<bool>("() => [...document.querySelectorAll('nav.topnav a, nav.topnav span.off')].every(e => { const r = e.getBoundingClientRect(); return r.left >= 0 && r.right <= window.innerWidth; })")).Should().BeTrue(name + ": every navigation link is on screen");
            await page.GotoAsync(Origin + "2025-02/index.html");
            string month = Path.Combine(ArtifactsDirectory, name + "-month.png");
            await page.ScreenshotAsync(new() { Path = month });
            shots.AddRange([top, paper, month]);
            problems.Should().BeEmpty();
            (await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth")).Should().BeTrue(name + " month page");
        }

        shots.Should().OnlyContain(path => new FileInfo(path).Length > 10_000);
    }

    private static async Task<MemoryDigestOutput> BuildSiteAsync()
    {
        var digests = DigestArchive.Link([TestDigests.FromReference(0), TestDigests.FromReference(1), TestDigests.FromReference(2)]);
        var output = new MemoryDigestOutput();
        var renderer = DigestRenderers.Html();
        foreach (var digest in digests)
        {
            await renderer.RenderAsync(digest, output);
        }

        await DigestArchive.RenderHtmlAsync(digests.Select(d => new ArchiveDay(d.Date, d.Papers.Count)), output);
        return output;
    }

    /// <summary>Serves the outputs on <see cref="Origin"/>; anything else the page asks for is recorded as a problem, as are console errors.</summary>
    internal static async Task<List<string>> ServeAsync(IBrowserContext context, MemoryDigestOutput site, bool sendCsp = true)
    {
        var problems = new List<string>();
        await context.RouteAsync("**/*", async route =>
        {
            string url = route.Request.Url;
            string name = url.StartsWith(Origin, StringComparison.Ordinal) ? url[Origin.Length..].Split('#', '?')[0] : string.Empty;
            if (name.Length == 0 || !site.Names.Contains(name))
            {
                lock (problems)
                {
                    problems.Add("unexpected request: " + url);
                }

                await route.AbortAsync();
                return;
            }

            var headers = new Dictionary<string, string>();
            if (sendCsp)
            {
                headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
            }

            await route.FulfillAsync(new() { Status = 200, ContentType = site.GetMediaType(name) + "; charset=utf-8", BodyBytes = site.GetBytes(name), Headers = headers });
        });
        context.Page += (_, page) =>
        {
            page.Console += (_, message) =>
            {
                if (message.Type is "error" or "warning")
                {
                    lock (problems)
                    {
                        problems.Add($"console {message.Type}: {message.Text}");
                    }
                }
            };
            page.PageError += (_, error) =>
            {
                lock (problems)
                {
                    problems.Add("page error: " + error);
                }
            };
        };
        return problems;
    }

    private sealed class LandedInfo
    {
        public string Hash { get; set; } = string.Empty;

        public string TargetId { get; set; } = string.Empty;

        public double Top { get; set; }

        public double Height { get; set; }

        public string Rank { get; set; } = string.Empty;
    }
}
