using ArxivRank.Scoring;
using ArxivRank.TestUtilities;

namespace ArxivRank.Tests.Scoring;

public class PricingTableTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Price_ReferenceDigestUsage_MatchesItsCostTableToTheCent(int digest)
    {
        var reference = ReferenceDigest.Load(digest);
        var usage = new ModelUsage { ModelId = reference.Model, InputTokens = reference.PromptTokens, OutputTokens = reference.CompletionTokens };

        var priced = PricingTable.Default.Price(usage);

        Math.Round(priced.InputCost!.Value, 2, MidpointRounding.AwayFromZero).Should().Be(reference.PromptCost);
        Math.Round(priced.OutputCost!.Value, 2, MidpointRounding.AwayFromZero).Should().Be(reference.CompletionCost);
    }

    [Fact]
    public void Price_CachedInput_IsPricedAtItsOwnRate()
    {
        var usage = new ModelUsage { ModelId = "gpt-4o", InputTokens = 1_000_000, CachedInputTokens = 400_000, OutputTokens = 100_000 };

        var priced = PricingTable.Default.Price(usage);

        priced.InputCost.Should().Be(1.50m + 0.50m); // 600k uncached at $2.50/M + 400k cached at $1.25/M
        priced.OutputCost.Should().Be(1.00m);
        priced.TotalCost.Should().Be(3.00m);
    }

    [Fact]
    public void Price_ModelWithoutCachedRate_PricesCachedTokensAsInput()
    {
        var table = new PricingTable(new Dictionary<string, ModelPrice> { ["m"] = new(1m, 2m) });

        var priced = table.Price(new ModelUsage { ModelId = "m", InputTokens = 2_000_000, CachedInputTokens = 1_000_000, OutputTokens = 0 });

        priced.InputCost.Should().Be(2m);
        priced.OutputCost.Should().Be(0m);
    }

    [Fact]
    public void Price_UnknownModel_ReportsUnknownCostNotZero()
    {
        var priced = PricingTable.Default.Price(new ModelUsage { ModelId = "llama3.1:8b", InputTokens = 1000, OutputTokens = 10 });

        priced.InputCost.Should().BeNull();
        priced.OutputCost.Should().BeNull();
        priced.TotalCost.Should().BeNull();
    }

    [Fact]
    public void Price_CachedCountAboveInput_IsClampedToTheInput()
    {
        var priced = PricingTable.Default.Price(new ModelUsage { ModelId = "gpt-4o", InputTokens = 1_000_000, CachedInputTokens = 5_000_000 });

        priced.InputCost.Should().Be(1.25m);
    }

    [Theory]
    [InlineData("gpt-4o-2024-08-06", 2.50)]
    [InlineData("GPT-4o", 2.50)]
    [InlineData("openai/gpt-4o-mini", 0.15)]
    [InlineData("claude-sonnet-4-20250514", 3.00)]
    [InlineData("claude-3-7-sonnet-latest", 3.00)]
    [InlineData("gemini-2.5-flash", 0.30)]
    [InlineData("deepseek-chat", 0.28)]
    [InlineData("gpt-4o-2024-05-13", 5.00)]
    public void TryGetPrice_ProviderSpellings_FindTheModel(string model, double inputPerMillion)
    {
        PricingTable.Default.TryGetPrice(model, out var price).Should().BeTrue();
        price!.InputPerMillion.Should().Be((decimal)inputPerMillion);
    }

    [Theory]
    [InlineData("gpt-4o-audio-preview")]
    [InlineData("gpt")]
    [InlineData("")]
    [InlineData(null)]
    public void TryGetPrice_ModelsItDoesNotKnow_AreNotGuessed(string? model)
    {
        PricingTable.Default.TryGetPrice(model, out var price).Should().BeFalse();
        price.Should().BeNull();
    }

    [Fact]
    public void Default_CoversTheFourProvidersAndSaysWhen()
    {
        PricingTable.Default.PricesAsOf.Should().NotBeNull();
        PricingTable.Default.Prices.Keys.Should().Contain(k => k.StartsWith("gpt-", StringComparison.Ordinal))
            .And.Contain(k => k.StartsWith("claude-", StringComparison.Ordinal))
            .And.Contain(k => k.StartsWith("gemini-", StringComparison.Ordinal))
            .And.Contain(k => k.StartsWith("deepseek-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LoadAsync_OverridesFile_ReplacesAndAddsPrices()
    {
        var overrides = await PricingTable.LoadAsync(TestData.PathOf("scoring/pricing-overrides.json"));

        var table = PricingTable.Default.With(overrides);

        table.PricesAsOf.Should().Be(new DateOnly(2026, 1, 15));
        table.Price(new ModelUsage { ModelId = "gpt-4o", InputTokens = 1_000_000, CachedInputTokens = 1_000_000, OutputTokens = 1_000_000 }).TotalCost.Should().Be(8.50m);
        table.Price(new ModelUsage { ModelId = "my-local-llama", InputTokens = 5, OutputTokens = 5 }).TotalCost.Should().Be(0m);
        table.TryGetPrice("gpt-4o-mini", out _).Should().BeTrue();
        PricingTable.Default.Price(new ModelUsage { ModelId = "gpt-4o", InputTokens = 1_000_000 }).InputCost.Should().Be(2.50m);
    }

    [Fact]
    public void With_OneModel_ReturnsANewTable()
    {
        var table = PricingTable.Default.With("my-model", new ModelPrice(1m, 3m) { CachedInputPerMillion = 0.1m });

        table.TryGetPrice("my-model", out var price).Should().BeTrue();
        price!.CachedInputPerMillion.Should().Be(0.1m);
        PricingTable.Default.TryGetPrice("my-model", out _).Should().BeFalse();
    }

    [Theory]
    [InlineData("not json", "*malformed*")]
    [InlineData("[]", "*\"models\"*")]
    [InlineData("{\"models\": {\"m\": {\"output\": 1}}}", "*'m'*\"input\"*")]
    [InlineData("{\"models\": {\"m\": {\"input\": -1, \"output\": 1}}}", "*\"input\" of 'm'*0 or more*")]
    [InlineData("{\"models\": {\"m\": {\"input\": \"cheap\", \"output\": 1}}}", "*\"input\" of 'm'*")]
    [InlineData("{\"models\": {\"m\": 3}}", "*'m' must be an object*")]
    [InlineData("{\"pricesAsOf\": \"yesterday\", \"models\": {}}", "*pricesAsOf*")]
    public void ParseJson_BadInput_ThrowsSayingWhere(string json, string message)
    {
        var act = () => PricingTable.ParseJson(json);

        act.Should().Throw<PricingException>().WithMessage(message);
    }

    [Fact]
    public async Task LoadAsync_MissingFile_ThrowsNamingTheFile()
    {
        var act = () => PricingTable.LoadAsync("/no/such/pricing.json");

        (await act.Should().ThrowAsync<PricingException>()).WithMessage("*'/no/such/pricing.json'*");
    }

    [Fact]
    public void Constructor_NegativePrice_Throws()
    {
        var act = () => new PricingTable(new Dictionary<string, ModelPrice> { ["m"] = new(-1m, 1m) });

        act.Should().Throw<ArgumentException>().WithMessage("*'m'*negative*");
    }
}
