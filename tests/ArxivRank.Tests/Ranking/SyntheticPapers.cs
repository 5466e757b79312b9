using System.Globalization;
using ArxivRank.Ranking;

namespace ArxivRank.Tests.Ranking;

/// <summary>Seeded, made-up labeled papers: the wanted ones are about graphs, the others about unrelated topics.</summary>
internal static class SyntheticPapers
{
    private static readonly string[] Wanted = ["graph", "neural", "message", "passing", "oversmoothing", "node", "edge", "transformers"];
    private static readonly string[] Unwanted = ["protein", "folding", "crop", "yield", "traffic", "weather", "satellite", "audio"];
    private static readonly string[] Common = ["we", "propose", "method", "results", "show", "data", "learning", "model", "novel", "experiments", "benchmark", "improves"];

    public static List<LabeledExample> Create(int count, int seed, double positiveShare = 0.2)
    {
        var random = new Random(seed);
        var examples = new List<LabeledExample>(count);
        for (int i = 0; i < count; i++)
        {
            bool positive = random.NextDouble() < positiveShare;
            examples.Add(new LabeledExample(Paper(i, positive ? Wanted : Unwanted, random), positive));
        }

        return examples;
    }

    public static Paper Paper(int number, string[] topic, Random random) => new()
    {
        Id = ArxivId.Parse(string.Create(CultureInfo.InvariantCulture, $"2501.{number + 10000:D5}")),
        Title = Words(topic, random, 3, 2),
        Abstract = Words(topic, random, 12, 18),
        AnnouncedOn = new DateOnly(2025, 1, 6).AddDays(number % 5),
    };

    public static Paper GraphPaper(int number) => Paper(number, Wanted, new Random(number));

    public static Paper ProteinPaper(int number) => Paper(number, Unwanted, new Random(number));

    private static string Words(string[] topic, Random random, int topicWords, int commonWords)
    {
        var words = Enumerable.Range(0, topicWords).Select(_ => topic[random.Next(topic.Length)])
            .Concat(Enumerable.Range(0, commonWords).Select(_ => Common[random.Next(Common.Length)]))
            .OrderBy(_ => random.Next())
            .ToList();
        return string.Join(' ', words);
    }
}
