using ArxivRank.Scoring;
using ArxivRank.Tests.Scoring;
using ArxivRank.TestUtilities.Chat;

namespace ArxivRank.Tests.Cost;

/// <summary>The scoring prompt's shared prefix is long enough for OpenAI's prompt cache and identical across batches.</summary>
public class PromptPrefixTests
{
    public static TheoryData<string> Criteria => new() { "reference", "example" };

    [Theory]
    [MemberData(nameof(Criteria))]
    public void ScoringPrefix_ReachesTheCacheMinimumAndIsByteIdenticalAcrossBatches(string which)
    {
        var criteria = which == "reference" ? CostMeasurement.Criteria : ScoringCriteria.Example;
        var prompts = new ScoringPrompts(criteria, 1500, structuredOutput: false, titleScreen: true);
        var first = prompts.ForScoring(ScoringFixtures.Papers(3));
        var second = prompts.ForScoring(ScoringFixtures.Papers(20, first: 3));

        int prefix = OpenAIBilling.PromptTokens([new("system", first[0].Text), new("user", first[1].Text)]).Count;

        prefix.Should().BeGreaterThanOrEqualTo(OpenAIBilling.MinCachedPrefix);
        second.Take(2).Select(m => m.Text).Should().Equal(first.Take(2).Select(m => m.Text));
        first[^1].Text.Should().StartWith("Papers to judge", "the papers come last, after everything that can be cached");
    }
}
