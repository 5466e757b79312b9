using ArxivRank.Sources;
using ArxivRank.TestUtilities.Arxiv;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ArxivRank.Tests.Sources;

public class ArxivSourcesRegistrationTests
{
    [Fact]
    public async Task AddArxivSources_KeyedSources_FetchFromTheDoubleThroughHttpClientFactory()
    {
        await using var arxiv = await ArxivDouble.StartAsync();
        var services = new ServiceCollection().AddArxivSources(o => (o.BaseUrl, o.MinRequestInterval, o.Contact) = (arxiv.BaseUrl, TimeSpan.FromMilliseconds(1), "di@arxivrank.invalid"));
        await using var provider = services.BuildServiceProvider();

        var rss = provider.GetRequiredKeyedService<IArxivSource>(ArxivSourceKind.Rss);
        var api = provider.GetRequiredKeyedService<IArxivSource>(ArxivSourceKind.Api);
        var oai = provider.GetRequiredKeyedService<IArxivSource>(ArxivSourceKind.Oai);
        var today = await rss.FetchAsync(new ArxivQuery { Categories = ["cs.LG"] });
        var named = await api.FetchAsync(new ArxivQuery { Ids = [arxiv.Catalog[0].Id] });
        var harvest = await oai.FetchAsync(new ArxivQuery { Categories = ["cs.LG"], From = new DateOnly(2025, 2, 26) });

        today.Papers.Should().HaveCount(arxiv.Catalog.Count);
        named.Papers.Should().ContainSingle();
        harvest.Papers.Should().HaveCount(arxiv.Catalog.Count);
        arxiv.Requests.Select(r => r.Path).Should().Equal("/rss/cs.LG", "/api/query", "/oai");
        arxiv.Requests.Should().OnlyContain(r => r.UserAgent!.Contains("di@arxivrank.invalid", StringComparison.Ordinal));
        provider.GetRequiredKeyedService<IArxivSource>(ArxivSourceKind.Rss).Should().BeSameAs(rss);
    }

    [Fact]
    public async Task AddArxivSources_InvalidOptions_ValidationErrorNamesTheOption()
    {
        var services = new ServiceCollection().AddArxivSources(o => o.ApiPageSize = 5000);
        await using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredKeyedService<IArxivSource>(ArxivSourceKind.Api);

        act.Should().Throw<OptionsValidationException>().Which.Message.Should().Contain("ApiPageSize").And.Contain("2,000");
    }

    [Theory]
    [InlineData(nameof(ArxivSourceOptions.MinRequestInterval))]
    [InlineData(nameof(ArxivSourceOptions.MaxRetryAttempts))]
    [InlineData(nameof(ArxivSourceOptions.BaseUrl))]
    [InlineData(nameof(ArxivSourceOptions.Contact))]
    [InlineData(nameof(ArxivSourceOptions.TotalRequestTimeout))]
    [InlineData(nameof(ArxivSourceOptions.CircuitBreakerFailureRatio))]
    public void Create_InvalidOption_ArgumentExceptionNamingIt(string option)
    {
        var options = new ArxivSourceOptions();
        switch (option)
        {
            case nameof(ArxivSourceOptions.MinRequestInterval): options.MinRequestInterval = TimeSpan.FromSeconds(-1); break;
            case nameof(ArxivSourceOptions.MaxRetryAttempts): options.MaxRetryAttempts = -1; break;
            case nameof(ArxivSourceOptions.BaseUrl): options.BaseUrl = new Uri("ftp://mirror.example/"); break;
            case nameof(ArxivSourceOptions.Contact): options.Contact = " "; break;
            case nameof(ArxivSourceOptions.TotalRequestTimeout): options.TotalRequestTimeout = TimeSpan.FromSeconds(1); break;
            case nameof(ArxivSourceOptions.CircuitBreakerFailureRatio): options.CircuitBreakerFailureRatio = 0; break;
        }

        var act = () => ArxivSources.CreateRss(options);

        act.Should().Throw<ArgumentException>().Which.Message.Should().Contain(option);
    }

    [Fact]
    public void Defaults_FollowArxivsRules()
    {
        var options = new ArxivSourceOptions();

        options.MinRequestInterval.Should().Be(TimeSpan.FromSeconds(3));
        options.RssFeedPerCategory.Should().BeTrue();
        options.ApiPageSize.Should().BeLessThanOrEqualTo(2000);
        options.ApiMaxResults.Should().Be(30_000);
        options.OaiBaseUrl.Should().Be(new Uri("https://arxiv.org/"));
        options.RssBaseUrl.Should().Be(new Uri("https://rss.arxiv.org/"));
        options.Validate().Should().BeEmpty();
    }
}
