using System.Text.Json;
using System.Text.Json.Serialization;

namespace ArxivRank.TestUtilities;

/// <summary>One candidate of a labeled day (see tests/TestData/labeled-days/README.md).</summary>
public sealed record LabeledPaper(Paper Paper, bool Selected, int? Relevance, int? Novelty);

/// <summary>Ten real days of cs.LG/cs.AI candidates with the reader's LLM verdicts: the ground truth for anything that ranks.</summary>
public static class LabeledDays
{
    /// <summary>The days available, oldest first.</summary>
    public static IReadOnlyList<DateOnly> Days { get; } =
    [
        new(2025, 5, 15), new(2025, 6, 6), new(2025, 6, 13), new(2025, 6, 17), new(2025, 6, 18),
        new(2025, 6, 23), new(2025, 6, 26), new(2025, 7, 1), new(2025, 7, 3), new(2025, 7, 8),
    ];

    /// <summary>Loads one day.</summary>
    public static IReadOnlyList<LabeledPaper> Load(DateOnly day)
    {
        string text = TestData.ReadText($"labeled-days/{day:yyyy-MM-dd}.jsonl.gz");
        var result = new List<LabeledPaper>();
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var raw = JsonSerializer.Deserialize<Raw>(line)!;
            var paper = new Paper
            {
                Id = ArxivId.Parse(raw.Id),
                Title = raw.Title,
                Abstract = raw.Abstract ?? string.Empty,
                Authors = raw.Authors ?? [],
                Categories = raw.Categories ?? [],
                PrimaryCategory = raw.Categories?.FirstOrDefault(),
                AnnouncedOn = day,
            };
            result.Add(new LabeledPaper(paper, raw.Selected, raw.Relevance, raw.Novelty));
        }

        return result;
    }

    private sealed record Raw(
        [property: JsonPropertyName("id")] string Id,
        [property: JsonPropertyName("title")] string Title,
        [property: JsonPropertyName("abstract")] string? Abstract,
        [property: JsonPropertyName("authors")] List<string>? Authors,
        [property: JsonPropertyName("categories")] List<string>? Categories,
        [property: JsonPropertyName("selected")] bool Selected,
        [property: JsonPropertyName("relevance")] int? Relevance,
        [property: JsonPropertyName("novelty")] int? Novelty);
}
