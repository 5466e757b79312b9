using System.Text;
using ArxivRank.Parsing;
using static ArxivRank.Tests.Parsing.ModelAnswers;

namespace ArxivRank.Tests.Parsing;

/// <summary>
/// Seeded random mutation: thousands of real answers, rendered in every shape, then corrupted (characters inserted,
/// deleted or doubled, the answer cut, fences, prose and garbage lines injected). The parser must never throw, and
/// every record whose own text (and the text before it on its first line) survived must still be found.
/// </summary>
public class ScoreResponseParserFuzzTests
{
    private const int Answers = 5000;
    private const string InsertAlphabet = "{}[]\"\",,::\\\\//**\n\n`` abz09.-+eE\tv\u00e9";

    private static readonly string[] InjectedLines =
    [
        "```", "```json", "```JSONL", "Here are the remaining scores:", "- ", "1.", "null", "2", "\"text\"", "[", "]", "},", "{", "{\"", "{\"scores\": [", "{\"a\":",
        "/*", "// note", "**Note:** scores are 1-10.", "{\"arxivId\": \"garbage\"}", "]}", "\\", "\"unterminated",
    ];

    private readonly ScoreResponseParser _parser = new();

    [Fact]
    public async Task Parse_ThousandsOfMutatedAnswers_NeverThrowsAndFindsEveryIntactRecord()
    {
        var random = new Random(20250226);
        var failures = new List<string>();
        int intactRecords = 0;
        int damagedRecords = 0;
        int streamedChecks = 0;

        for (int iteration = 0; iteration < Answers && failures.Count < 5; iteration++)
        {
            var sample = All.OrderBy(_ => random.Next()).Take(random.Next(1, 13)).ToList();
            var (answer, spans) = Render(sample, random);
            var (mutated, intact) = Mutate(answer, spans, random);
            var batch = random.Next(2) == 0 ? sample.Select(r => r.Id).ToList() : null;

            ScoreParseResult result;
            try
            {
                result = _parser.Parse(mutated, batch);
            }
            catch (Exception ex)
            {
                failures.Add($"iteration {iteration} threw {ex}\n--- answer ---\n{mutated}");
                continue;
            }

            var found = result.Found().ToHashSet();
            foreach (var record in intact)
            {
                if (!found.Contains(record.Expected))
                {
                    failures.Add($"iteration {iteration}: intact record {record.Id} not found\n--- answer ---\n{mutated}\n--- diagnostics ---\n{string.Join("\n", result.Diagnostics)}");
                }
            }

            intactRecords += intact.Count;
            damagedRecords += sample.Count - intact.Count;
            int lines = mutated.Count(c => c == '\n') + 1;
            if (result.Diagnostics.Any(d => d.LineNumber < 1 || d.LineNumber > lines))
            {
                failures.Add($"iteration {iteration}: a diagnostic points outside lines 1-{lines}");
            }

            if ((batch is not null && result.Scores.Any(s => !batch.Any(id => id.SamePaperAs(s.PaperId)))) || result.Scores.DistinctBy(s => s.PaperId.Id).Count() != result.Scores.Count)
            {
                failures.Add($"iteration {iteration}: a paper outside the batch, or a paper twice\n{mutated}");
            }

            if (batch is not null && result.MissingIds.Any(m => result.Scores.Any(s => s.PaperId.SamePaperAs(m))))
            {
                failures.Add($"iteration {iteration}: a scored paper is also listed as missing");
            }

            if (iteration % 25 == 0)
            {
                streamedChecks++;
                var streamed = await ScoreResponseParserStreamingTests.CollectAsync(_parser.ParseStreamingAsync(ScoreResponseParserStreamingTests.Chunks(RandomChunks(mutated, random)), batch));
                if (!streamed.SequenceEqual(ScoreResponseParserStreamingTests.Describe(result)))
                {
                    failures.Add($"iteration {iteration}: streaming differs from the whole-string parse\n{mutated}");
                }
            }
        }

        failures.Should().BeEmpty();
        intactRecords.Should().BeGreaterThan(Answers * 2, "most records survive a few mutations, so the check has teeth");
        damagedRecords.Should().BeGreaterThan(Answers / 2, "the mutations must damage records too");
        streamedChecks.Should().Be(Answers / 25);
    }

    private static (string Answer, IReadOnlyList<(ScoreRecord Record, int Start, int End)> Spans) Render(List<ScoreRecord> records, Random random)
    {
        string nl = random.Next(5) == 0 ? "\r\n" : "\n";
        var keys = Enum.GetValues<KeyStyle>();
        KeyStyle Keys() => keys[random.Next(keys.Length)];
        var b = new AnswerBuilder();
        if (random.Next(6) == 0)
        {
            b.Text("\uFEFF");
        }

        if (random.Next(2) == 0)
        {
            b.Text("Here are the scores for the batch (\"1-10\"):" + nl + nl);
        }

        bool fenced = random.Next(2) == 0;
        if (fenced)
        {
            b.Text("```" + (random.Next(3) switch { 0 => "json", 1 => "jsonl", _ => string.Empty }) + nl);
        }

        int shape = random.Next(7);
        switch (shape)
        {
            case 0: // one per line, maybe bulleted, maybe trailing commas
                string bullet = random.Next(4) switch { 0 => "- ", 1 => "* ", _ => string.Empty };
                for (int i = 0; i < records.Count; i++)
                {
                    b.Text(random.Next(3) == 0 ? $"{i + 1}. " : bullet).Record(records[i], Line(records[i], Keys(), trailingComma: random.Next(4) == 0)).Text((random.Next(4) == 0 ? "," : string.Empty) + nl);
                    if (random.Next(5) == 0)
                    {
                        b.Text(nl);
                    }
                }

                break;
            case 1: // pretty-printed
                foreach (var r in records)
                {
                    b.Record(r, Pretty(r, string.Empty, Keys(), nl)).Text(nl + (random.Next(2) == 0 ? nl : string.Empty));
                }

                break;
            case 2: // an array on one line
                b.Text("[");
                for (int i = 0; i < records.Count; i++)
                {
                    b.Text(i == 0 ? string.Empty : ", ").Record(records[i], Line(records[i], Keys()));
                }

                b.Text("]" + nl);
                break;
            case 3: // an array over many lines
                b.Text("[" + nl);
                for (int i = 0; i < records.Count; i++)
                {
                    b.Record(records[i], Pretty(records[i], "  ", Keys(), nl)).Text((i < records.Count - 1 ? "," : string.Empty) + nl);
                }

                b.Text("]" + nl);
                break;
            case 4: // several per line
                for (int i = 0; i < records.Count; i++)
                {
                    b.Record(records[i], Line(records[i], Keys())).Text(i % 3 == 2 || i == records.Count - 1 ? nl : random.Next(2) == 0 ? " " : ", ");
                }

                break;
            case 5: // a wrapper on one line
                b.Text("{\"scores\": [");
                for (int i = 0; i < records.Count; i++)
                {
                    b.Text(i == 0 ? string.Empty : ",").Record(records[i], Line(records[i], Keys()));
                }

                b.Text("]}" + nl);
                break;
            default: // a wrapper over many lines
                b.Text("{" + nl + "  \"scores\": [" + nl);
                for (int i = 0; i < records.Count; i++)
                {
                    b.Record(records[i], random.Next(2) == 0 ? Pretty(records[i], "    ", Keys(), nl) : "    " + Line(records[i], Keys())).Text((i < records.Count - 1 ? "," : string.Empty) + nl);
                }

                b.Text("  ]" + nl + "}" + nl);
                break;
        }

        if (fenced)
        {
            b.Text("```" + nl);
        }

        if (random.Next(2) == 0)
        {
            b.Text(nl + "Let me know if you need more detail on any paper.");
        }

        return (b.ToString(), b.Spans);
    }

    /// <summary>Applies 1–4 mutations, tracking which records stay intact: no change inside the record or before it on its first line, the line break before it kept.</summary>
    private static (string Mutated, List<ScoreRecord> Intact) Mutate(string answer, IReadOnlyList<(ScoreRecord Record, int Start, int End)> spans, Random random)
    {
        var text = new StringBuilder(answer);
        var live = spans.Select(s => (s.Record, s.Start, s.End, Intact: true)).ToList();
        int mutations = random.Next(1, 5);
        for (int m = 0; m < mutations && text.Length > 0; m++)
        {
            int kind = random.Next(10);
            if (kind == 9)
            {
                // Cut the answer: the model stopped.
                int cut = random.Next(text.Length);
                text.Length = cut;
                for (int k = 0; k < live.Count; k++)
                {
                    if (live[k].End > cut)
                    {
                        live[k] = live[k] with { Intact = false };
                    }
                }

                continue;
            }

            if (kind >= 7)
            {
                // Inject a whole line before an existing line break.
                var breaks = Enumerable.Range(0, text.Length).Where(i => text[i] == '\n').ToList();
                if (breaks.Count == 0)
                {
                    continue;
                }

                int at = breaks[random.Next(breaks.Count)];
                string line = "\n" + InjectedLines[random.Next(InjectedLines.Length)];
                Damage(text, live, at, insert: true);
                text.Insert(at, line);
                Shift(live, at, line.Length);
                continue;
            }

            int position = random.Next(text.Length);
            switch (kind % 3)
            {
                case 0:
                    char c = InsertAlphabet[random.Next(InsertAlphabet.Length)];
                    Damage(text, live, position, insert: true);
                    text.Insert(position, c);
                    Shift(live, position, 1);
                    break;
                case 1:
                    Damage(text, live, position, insert: false);
                    text.Remove(position, 1);
                    Shift(live, position + 1, -1);
                    break;
                default:
                    Damage(text, live, position, insert: true);
                    text.Insert(position, text[position]);
                    Shift(live, position, 1);
                    break;
            }
        }

        return (text.ToString(), [.. live.Where(s => s.Intact).Select(s => s.Record)]);
    }

    private static void Damage(StringBuilder text, List<(ScoreRecord Record, int Start, int End, bool Intact)> live, int position, bool insert)
    {
        for (int k = 0; k < live.Count; k++)
        {
            var (_, start, end, intact) = live[k];
            if (!intact)
            {
                continue;
            }

            int lineStart = start;
            while (lineStart > 0 && text[lineStart - 1] != '\n')
            {
                lineStart--;
            }

            int from = insert ? lineStart : Math.Max(0, lineStart - 1);
            if (position >= from && position < end)
            {
                live[k] = live[k] with { Intact = false };
            }
        }
    }

    private static void Shift(List<(ScoreRecord Record, int Start, int End, bool Intact)> live, int position, int delta)
    {
        for (int k = 0; k < live.Count; k++)
        {
            var s = live[k];
            if (s.Start >= position)
            {
                live[k] = s with { Start = s.Start + delta, End = s.End + delta };
            }
            else if (s.End > position)
            {
                live[k] = s with { End = s.End + delta };
            }
        }
    }

    private static string[] RandomChunks(string text, Random random)
    {
        var parts = new List<string>();
        for (int at = 0; at < text.Length;)
        {
            int size = Math.Min(text.Length - at, random.Next(1, 64));
            parts.Add(text.Substring(at, size));
            at += size;
        }

        return [.. parts];
    }
}
