using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using ArxivRank.Parsing;
using ArxivRank.TestUtilities;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace ArxivRank.Benchmarks.Parsing;

/// <summary>
/// The JSONL score parser on a ~10 MB model answer built deterministically from the reference digests' real verdicts
/// (one object per line in several key styles, fences, prose, bullets, pretty-printed objects, arrays, wrappers), against
/// the naive way: strip fences with a regex, then <see cref="JsonDocument.Parse(string, JsonDocumentOptions)"/> each line.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
public partial class ScoreParserBenchmarks
{
    private static readonly Lazy<(string Text, int Records)> Generated = new(() => Generate(10 * 1024 * 1024));

    private readonly ScoreResponseParser _parser = new();
    private string _answer = string.Empty;
    private string[] _chunks = [];
    private string[] _batchAnswers = [];

    /// <summary>Gets the size of the answer in UTF-8 bytes.</summary>
    public static long AnswerBytes => Encoding.UTF8.GetByteCount(Generated.Value.Text);

    [GlobalSetup]
    public void Setup()
    {
        _answer = Generated.Value.Text;
        _chunks = [.. _answer.Chunk(4096).Select(c => new string(c))];
        _batchAnswers = SplitIntoBatchAnswers(_answer, 16 * 1024);
        int parsed = _parser.Parse(_answer).Scores.Count;
        int naive = NaiveRegexJsonDocument();
        int perBatch = ScoreResponseParserPerBatchAnswers();
        Console.WriteLine($"// answer: {AnswerBytes:N0} bytes, {_answer.Count(c => c == '\n'):N0} lines, {Generated.Value.Records:N0} records; parser recovers {parsed:N0}, naive baseline {naive:N0}; {_batchAnswers.Length:N0} batch answers, {perBatch:N0} records");
    }

    /// <summary>The naive way: a regex strips the fences, then every line that looks like an object goes through JsonDocument.</summary>
    [Benchmark(Baseline = true)]
    public int NaiveRegexJsonDocument()
    {
        string text = FenceRegex().Replace(_answer, string.Empty);
        int found = 0;
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim().TrimStart('-', '*', ' ').TrimEnd(',');
            if (!line.StartsWith('{'))
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(line, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
                string? id = null;
                int relevance = 0;
                int novelty = 0;
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    switch (property.Name.ToUpperInvariant())
                    {
                        case "ARXIVID" or "ARXIV_ID" or "ID":
                            id = property.Value.GetString();
                            break;
                        case "RELEVANCE":
                            relevance = property.Value.ValueKind == JsonValueKind.Number ? property.Value.GetInt32() : int.Parse(property.Value.GetString()!, CultureInfo.InvariantCulture);
                            break;
                        case "NOVELTY":
                            novelty = property.Value.ValueKind == JsonValueKind.Number ? property.Value.GetInt32() : int.Parse(property.Value.GetString()!, CultureInfo.InvariantCulture);
                            break;
                    }
                }

                if (id is not null && ArxivId.TryParse(id, out _) && relevance > 0 && novelty > 0)
                {
                    found++;
                }
            }
            catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
            {
            }
        }

        return found;
    }

    [Benchmark]
    public int ScoreResponseParser() => _parser.Parse(_answer).Scores.Count;

    [Benchmark]
    public async Task<int> ScoreResponseParserStreaming()
    {
        int found = 0;
        await foreach (var item in _parser.ParseStreamingAsync(ChunksAsync(_chunks)))
        {
            found += item.Kind == ScoreParseEventKind.Score ? 1 : 0;
        }

        return found;
    }

    /// <summary>
    /// The same 10 MB as the scorer meets it: one answer per batch (~16 KB, ~60 records), each parsed on its own. The
    /// results of one answer die young, so the GC does not promote 25 MB of results mid-parse as in the one-answer case.
    /// </summary>
    [Benchmark]
    public int ScoreResponseParserPerBatchAnswers()
    {
        int found = 0;
        foreach (string answer in _batchAnswers)
        {
            found += _parser.Parse(answer).Scores.Count;
        }

        return found;
    }

    /// <summary>Cuts the answer at line starts that open an object, every <paramref name="size"/> characters or so, so no record is cut.</summary>
    internal static string[] SplitIntoBatchAnswers(string answer, int size)
    {
        var parts = new List<string>();
        int start = 0;
        while (start < answer.Length)
        {
            int cut = start + size >= answer.Length ? -1 : answer.IndexOf("\n{", start + size, StringComparison.Ordinal);
            int end = cut < 0 ? answer.Length : cut + 1;
            parts.Add(answer[start..end]);
            start = end;
        }

        return [.. parts];
    }

#pragma warning disable CS1998 // A synchronous source: measures the parser, not a network.
    private static async IAsyncEnumerable<string> ChunksAsync(string[] chunks)
#pragma warning restore CS1998
    {
        foreach (string chunk in chunks)
        {
            yield return chunk;
        }
    }

    /// <summary>Builds the answer: real comments and scores, unique ids, every shape the parser meets, until <paramref name="targetBytes"/>.</summary>
    internal static (string Text, int Records) Generate(int targetBytes)
    {
        var entries = ReferenceDigest.AllEntries().Where(e => e.Relevance is not null && e.Novelty is not null && !e.IsAuthorMatch).ToList();
        var encoder = new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        var random = new Random(42);
        var text = new StringBuilder(targetBytes + 4096);
        int n = 0;
        string Record(bool pretty)
        {
            var e = entries[n % entries.Count];
            string id = string.Create(CultureInfo.InvariantCulture, $"25{(n / 99_999 % 12) + 1:00}.{(n % 99_999) + 1:00000}");
            n++;
            string comment = JsonSerializer.Serialize(e.Comment, encoder);
            return (random.Next(4), pretty) switch
            {
                (_, true) => $"{{\n  \"arxivId\": \"{id}\",\n  \"comment\": {comment},\n  \"relevance\": {e.Relevance},\n  \"novelty\": {e.Novelty}\n}}",
                (0, _) => $"{{\"ARXIVID\": \"{id}\", \"COMMENT\": {comment}, \"RELEVANCE\": {e.Relevance}, \"NOVELTY\": {e.Novelty}}}",
                (1, _) => $"{{\"arxiv_id\": \"{id}v1\", \"reason\": {comment}, \"relevance\": \"{e.Relevance}/10\", \"novelty\": {e.Novelty}}}",
                (2, _) => $"{{\"arxivId\": \"arXiv:{id}\", \"relevance\": {e.Relevance}, \"novelty\": {e.Novelty}.0, \"comment\": {comment},}}",
                _ => $"{{\"id\": \"{id}\", \"comments\": {comment}, \"relevance\": {e.Relevance}, \"novelty\": {e.Novelty}}}",
            };
        }

        while (text.Length < targetBytes)
        {
            switch (random.Next(10))
            {
                case 0:
                    text.Append("Here are the scores for this batch of papers, following your criteria:\n\n```jsonl\n");
                    for (int i = 0; i < 40; i++)
                    {
                        text.Append(Record(false)).Append('\n');
                    }

                    text.Append("```\n\n");
                    break;
                case 1:
                    for (int i = 0; i < 5; i++)
                    {
                        text.Append(Record(true)).Append('\n');
                    }

                    break;
                case 2:
                    text.Append("```json\n[\n");
                    for (int i = 0; i < 10; i++)
                    {
                        text.Append("  ").Append(Record(false)).Append(i < 9 ? ",\n" : "\n");
                    }

                    text.Append("]\n```\n");
                    break;
                case 3:
                    text.Append("{\"scores\": [");
                    for (int i = 0; i < 10; i++)
                    {
                        text.Append(i == 0 ? string.Empty : ", ").Append(Record(false));
                    }

                    text.Append("]}\n");
                    break;
                case 4:
                    for (int i = 0; i < 10; i++)
                    {
                        text.Append(i % 2 == 0 ? "- " : $"{i}. ").Append(Record(false)).Append('\n');
                    }

                    break;
                default:
                    for (int i = 0; i < 20; i++)
                    {
                        text.Append(Record(false)).Append('\n');
                    }

                    break;
            }
        }

        return (text.ToString(), n);
    }

    [GeneratedRegex(@"^\s*```[A-Za-z]*\s*$", RegexOptions.Multiline)]
    private static partial Regex FenceRegex();

    /// <summary>Adds an MB/s column: the answer's UTF-8 size over the mean time.</summary>
    private sealed class ThroughputConfig : ManualConfig
    {
        public ThroughputConfig() => AddColumn(new MegabytesPerSecondColumn());
    }

    private sealed class MegabytesPerSecondColumn : IColumn
    {
        public string Id => nameof(MegabytesPerSecondColumn);

        public string ColumnName => "MB/s";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "Throughput: the answer's UTF-8 size (MB = 2^20 bytes) divided by the mean time";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var statistics = summary[benchmarkCase]?.ResultStatistics;
            return statistics is null ? "-" : (AnswerBytes / 1048576.0 / (statistics.Mean / 1e9)).ToString("N0", CultureInfo.InvariantCulture);
        }

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public bool IsAvailable(Summary summary) => true;
    }
}
