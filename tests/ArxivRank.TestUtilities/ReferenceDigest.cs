using System.Globalization;
using System.Text.RegularExpressions;

namespace ArxivRank.TestUtilities;

/// <summary>One paper of a reference digest, with the real model's verdict.</summary>
public sealed record ReferenceEntry(Paper Paper, int? Relevance, int? Novelty, string Comment)
{
    /// <summary>Gets a value indicating whether the paper entered as an author match (no scores).</summary>
    public bool IsAuthorMatch => Comment.Equals("Author match", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// A digest produced by the Python pipeline our users run today, parsed from <c>tests/TestData/reference/digests</c>:
/// real papers with real gpt-4o scores, the usage table, the totals and the selection prompt.
/// Reads both the Markdown layout (001) and the text of the rendered site (000, 002).
/// </summary>
public sealed partial record ReferenceDigest
{
    public required DateOnly Date { get; init; }
    public required string Model { get; init; }
    public required long PromptTokens { get; init; }
    public required long CompletionTokens { get; init; }
    public required decimal PromptCost { get; init; }
    public required decimal CompletionCost { get; init; }
    public required int TotalPapers { get; init; }
    public required int ScannedPapers { get; init; }
    public required int RelevantPapers { get; init; }
    public required IReadOnlyList<ReferenceEntry> Entries { get; init; }
    public required string Prompt { get; init; }

    /// <summary>Loads reference digest 000, 001 or 002.</summary>
    public static ReferenceDigest Load(int index) => Parse(TestData.ReadText(TestData.ReferenceDigestFiles[index]));

    /// <summary>Every paper of the three reference digests, without duplicates.</summary>
    public static IReadOnlyList<ReferenceEntry> AllEntries()
        => [.. Enumerable.Range(0, 3).SelectMany(i => Load(i).Entries).DistinctBy(e => e.Paper.Id.Id)];

    public static ReferenceDigest Parse(string text)
    {
        string[] lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var date = DateOnly.ParseExact(DateRegex().Match(text).Groups[1].Value, "MM/dd/yyyy", CultureInfo.InvariantCulture);
        var tokens = TokenRegex().Match(text);
        var cost = CostRegex().Match(text);
        var model = ModelRegex().Match(text).Groups[1].Value;
        int promptStart = Array.FindIndex(lines, l => l.TrimStart('#', ' ').StartsWith("Paper Selection Prompt", StringComparison.Ordinal));

        var entries = new List<ReferenceEntry>();
        for (int i = 0; i < lines.Length && (promptStart < 0 || i < promptStart); i++)
        {
            var idMatch = IdRegex().Match(lines[i]);
            if (!idMatch.Success)
            {
                continue;
            }

            string title = FindTitle(lines, i);
            string authors = FieldAfter(lines, i, "Authors:");
            string abs = FieldAfter(lines, i, "Abstract:");
            string comment = FieldAfter(lines, i, "Comment:");
            int? relevance = IntAfter(lines, i, "Relevance:");
            int? novelty = IntAfter(lines, i, "Novelty:");
            var paper = new Paper
            {
                Id = ArxivId.Parse(idMatch.Groups[1].Value),
                Title = title,
                Authors = [.. authors.Split(", ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
                Abstract = abs,
                Categories = ["cs.LG"],
                PrimaryCategory = "cs.LG",
                AnnounceType = AnnounceType.New,
                AnnouncedOn = date,
            };
            entries.Add(new ReferenceEntry(paper, relevance, novelty, comment));
        }

        return new ReferenceDigest
        {
            Date = date,
            Model = model,
            PromptTokens = long.Parse(tokens.Groups[1].Value, CultureInfo.InvariantCulture),
            CompletionTokens = long.Parse(tokens.Groups[2].Value, CultureInfo.InvariantCulture),
            PromptCost = decimal.Parse(cost.Groups[1].Value, CultureInfo.InvariantCulture),
            CompletionCost = decimal.Parse(cost.Groups[2].Value, CultureInfo.InvariantCulture),
            TotalPapers = IntOf(TotalRegex().Match(text)),
            ScannedPapers = IntOf(ScannedRegex().Match(text)),
            RelevantPapers = IntOf(RelevantRegex().Match(text)),
            Entries = entries,
            Prompt = promptStart < 0 ? string.Empty : string.Join('\n', lines[(promptStart + 1)..]).Trim(),
        };
    }

    private static int IntOf(Match m) => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);

    private static string FindTitle(string[] lines, int idLine)
    {
        for (int j = idLine - 1; j >= 0; j--)
        {
            string line = lines[j].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var md = MarkdownTitleRegex().Match(line);
            if (md.Success)
            {
                return md.Groups[1].Value;
            }

            var plain = PlainTitleRegex().Match(line);
            return plain.Success ? plain.Groups[1].Value : line;
        }

        throw new FormatException($"No title above line {idLine + 1}.");
    }

    private static string FieldAfter(string[] lines, int start, string label)
    {
        for (int j = start; j < lines.Length && j < start + 12; j++)
        {
            string line = lines[j].Replace("**", string.Empty, StringComparison.Ordinal).Trim();
            if (line.StartsWith(label, StringComparison.Ordinal))
            {
                return line[label.Length..].Trim();
            }

            if (j > start && IdRegex().IsMatch(lines[j]))
            {
                break;
            }
        }

        return string.Empty;
    }

    private static int? IntAfter(string[] lines, int start, string label)
    {
        for (int j = start; j < lines.Length && j < start + 14; j++)
        {
            if (j > start && IdRegex().IsMatch(lines[j]))
            {
                break;
            }

            string line = lines[j].Replace("**", string.Empty, StringComparison.Ordinal);
            int at = line.IndexOf(label, StringComparison.Ordinal);
            if (at >= 0)
            {
                var m = NumberRegex().Match(line, at + label.Length);
                return m.Success ? int.Parse(m.Value, CultureInfo.InvariantCulture) : null;
            }
        }

        return null;
    }

    [GeneratedRegex(@"Personalized Daily Arxiv Papers (\d\d/\d\d/\d{4})")]
    private static partial Regex DateRegex();

    [GeneratedRegex(@"Token\**\s*\|?\s*(\d+)\s*\|?\s*(\d+)")]
    private static partial Regex TokenRegex();

    [GeneratedRegex(@"Cost\**\s*\|?\s*\$([\d.]+)\s*\|?\s*\$([\d.]+)")]
    private static partial Regex CostRegex();

    [GeneratedRegex(@"\[?(gpt[\w.-]*|claude[\w.-]*|gemini[\w.-]*)\]?")]
    private static partial Regex ModelRegex();

    [GeneratedRegex(@"Total ar[xX]iv papers: (\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex TotalRegex();

    [GeneratedRegex(@"Total scanned papers: (\d+)")]
    private static partial Regex ScannedRegex();

    [GeneratedRegex(@"Total relevant papers: (\d+)")]
    private static partial Regex RelevantRegex();

    [GeneratedRegex(@"^\**ArXiv ID:\**\s*(\S+)")]
    private static partial Regex IdRegex();

    [GeneratedRegex(@"^## \d+\. \[(.+)\]\(https://arxiv\.org/abs/[^)]+\)")]
    private static partial Regex MarkdownTitleRegex();

    [GeneratedRegex(@"^\d+\. (.+)$")]
    private static partial Regex PlainTitleRegex();

    [GeneratedRegex(@"\d+")]
    private static partial Regex NumberRegex();
}
