using ArxivRank.Scoring;
using ArxivRank.TestUtilities;
using Xunit.Abstractions;

namespace ArxivRank.Tests.Cost;

/// <summary>
/// The cost target, measured (not timed): one real labeled day through the loopback server that bills like OpenAI at
/// gpt-4o list prices, under each setting; the numbers are recorded in docs/cost.md.
/// </summary>
[Trait("Category", "Cost")]
public class CostBenchmarkTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AllLevers_CostAtMostQuarterOfPlain_AndKeepNinetyPercentOfItsSelections()
    {
        var day = LabeledDays.Load(CostMeasurement.Day);
        var ranker = CostMeasurement.TrainRanker();
        static LlmScorerOptions Options(int batchSize = 20, bool warm = true) => new() { ModelId = "gpt-4o", BatchSize = batchSize, WarmPromptCache = warm };
        CostSetting[] settings =
        [
            new("plain (before: no cache warm-up)", Options(warm: false), Prescreen: false, BatchApi: false),
            new("+cache (prefix warmed first)", Options(), Prescreen: false, BatchApi: false),
            new("+batch size 50", Options(50), Prescreen: false, BatchApi: false),
            new("+pre-screen 0.25", Options(), Prescreen: true, BatchApi: false, PrescreenShare: 0.25),
            new("+batch API", Options(), Prescreen: false, BatchApi: true),
            new("all", Options(50), Prescreen: true, BatchApi: true, PrescreenShare: 0.25),
        ];

        var rows = new List<CostRow>();
        foreach (var setting in settings)
        {
            rows.Add(await CostMeasurement.MeasureAsync(setting, day, ranker));
        }

        output.WriteLine($"{day.Count} candidates of {CostMeasurement.Day:yyyy-MM-dd}");
        output.WriteLine(CostMeasurement.Table(rows, rows[0]));
        var plain = rows[0];
        var all = rows[^1];
        all.Dollars.Should().BeLessThanOrEqualTo(0.23m * plain.Dollars);
        (all.Selected.Count(plain.Selected.Contains) / (double)plain.Selected.Count).Should().BeGreaterThanOrEqualTo(0.90);
        rows[1].Dollars.Should().BeLessThan(plain.Dollars, "warming the prompt cache first must pay");
        rows[4].Dollars.Should().BeLessThan(rows[1].Dollars * 0.7m, "the Batch API halves the abstract pass");
    }
}
