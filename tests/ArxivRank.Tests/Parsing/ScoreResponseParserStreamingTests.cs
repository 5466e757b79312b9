using System.Runtime.CompilerServices;
using System.Text;
using ArxivRank.Parsing;
using ArxivRank.Scoring;
using static ArxivRank.Tests.Parsing.ModelAnswers;

namespace ArxivRank.Tests.Parsing;

/// <summary>Incremental parsing: the same items as the whole-string parse, whatever the chunk boundaries, as soon as each object is complete.</summary>
public class ScoreResponseParserStreamingTests
{
    private readonly ScoreResponseParser _parser = new();

    /// <summary>A small answer with every hard spot: BOM, CRLF, fences, prose, bullets, escapes, comments, a wrapper, broken and truncated objects.</summary>
    internal static string MessyAnswer()
    {
        var r = Take(8);
        return "\uFEFFHere you go:\r\n```jsonl\r\n"
            + Line(r[0]) + "\r\n"
            + $"- {{\"arxiv_id\": \"{r[1].Id}v2\", \"reason\": \"Quotes \\\"}}, {{\\\" and a backslash \\\\ then \\u00e9\", \"relevance\": \"8/10\", \"novelty\": 7.5,}},\r\n"
            + "2\r\n"
            + $"{{\"arxivId\": \"{r[2].Id}\", // the id\r\n  \"comment\": {Json(r[2].Comment)}, /* c */ \"relevance\": {r[2].Relevance}, \"novelty\": {r[2].Novelty}}}\r\n"
            + $"{{\"arxivId\": \"{r[3].Id}\", \"comment\": \"never closed\r\n"
            + "```\r\nAnd the rest:\r\n"
            + "{\"scores\": [\r\n" + Pretty(r[4], "  ", newLine: "\r\n") + ",\r\n  " + Line(r[5], KeyStyle.Snake) + "\r\n]}\r\n"
            + Line(r[6]) + " " + Line(r[0], KeyStyle.Short) + "\r\n"
            + "{\"arxivId\": \"9999.99999\", \"relevance\": 5, \"novelty\": 5}\r\n"
            + Line(r[7])[..40];
    }

    [Fact]
    public async Task ParseStreamingAsync_SplitAtEveryPosition_EqualsTheWholeStringParse()
    {
        string answer = MessyAnswer();
        var batch = Take(8).Select(r => r.Id).Append(ArxivId.Parse("2501.00001")).ToList();
        var expected = _parser.Parse(answer, batch);
        expected.Scores.Should().HaveCount(6, "the fixture must exercise scores");
        expected.Diagnostics.Select(d => d.Code).Should().Contain(["not-an-object", "unclosed-object", "duplicate-id", "invalid-id", "truncated"]);

        for (int split = 0; split <= answer.Length; split++)
        {
            var streamed = await CollectAsync(_parser.ParseStreamingAsync(Chunks(answer[..split], answer[split..]), batch));

            streamed.Should().Equal(Describe(expected), $"the answer split at {split} must parse the same");
        }
    }

    [Fact]
    public async Task ParseStreamingAsync_OneCharacterPerChunk_EqualsTheWholeStringParse()
    {
        string answer = MessyAnswer();
        var expected = _parser.Parse(answer);

        var streamed = await CollectAsync(_parser.ParseStreamingAsync(Chunks([.. answer.Select(c => c.ToString())])));

        streamed.Should().Equal(Describe(expected));
    }

    [Fact]
    public async Task ParseStreamingAsync_Utf8StreamWithRandomReadSizes_EqualsTheWholeStringParse()
    {
        // Reads of 1 to 300 bytes cut multi-byte characters (é, …) and the byte order mark apart.
        string answer = MessyAnswer() + "\n" + Fenced(JsonLines(All)) + "{\"arxivId\": \"2502.12851\", \"comment\": \"naïve → ok…\", \"relevance\": 8, \"novelty\": 7}\n";
        var batch = Take(8).Select(r => r.Id).ToList();
        var expected = _parser.Parse(answer.TrimStart('\uFEFF'), batch);
        byte[] utf8 = [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(answer.TrimStart('\uFEFF'))];

        for (int round = 0; round < 5; round++)
        {
            using var stream = new TrickleStream(utf8, new Random(round), maxRead: 300);

            var streamed = await CollectAsync(_parser.ParseStreamingAsync(stream, batch));

            streamed.Should().Equal(Describe(expected), $"round {round} must parse the same");
        }
    }

    [Fact]
    public async Task ParseStreamingAsync_Utf8StreamWithInvalidBytes_ReadsThemAsReplacementCharacters()
    {
        byte[] utf8 = [.. "{\"arxivId\": \"2502.12851\", \"comment\": \"bad "u8, 0xFF, .. " byte\", \"relevance\": 8, \"novelty\": 7}\n"u8];

        var streamed = await CollectAsync(_parser.ParseStreamingAsync(new MemoryStream(utf8)));

        streamed.Should().Equal(Describe(_parser.Parse("{\"arxivId\": \"2502.12851\", \"comment\": \"bad \uFFFD byte\", \"relevance\": 8, \"novelty\": 7}\n")));
    }

    [Fact]
    public void ParseStreamingAsync_NullOrUnreadableStream_Throws()
    {
        var write = new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
        using (write)
        {
            _parser.Invoking(p => p.ParseStreamingAsync((Stream)null!)).Should().Throw<ArgumentNullException>();
            _parser.Invoking(p => p.ParseStreamingAsync(write)).Should().Throw<ArgumentException>().WithMessage("*cannot be read*");
        }
    }

    [Fact]
    public async Task ParseStreamingAsync_RandomChunkSizesOverAWholeDay_EqualsTheWholeStringParse()
    {
        string answer = Fenced(JsonLines(All)) + MessyAnswer();
        var expected = _parser.Parse(answer);
        var random = new Random(7);

        for (int round = 0; round < 20; round++)
        {
            var parts = new List<string>();
            for (int at = 0; at < answer.Length;)
            {
                int size = Math.Min(answer.Length - at, random.Next(1, 200));
                parts.Add(answer.Substring(at, size));
                at += size;
            }

            var streamed = await CollectAsync(_parser.ParseStreamingAsync(Chunks([.. parts])));

            streamed.Should().Equal(Describe(expected), $"round {round} must parse the same");
        }
    }

    [Theory]
    [InlineData(4000)]
    [InlineData(5000)]
    public async Task ParseStreamingAsync_LongBareStringLineAcrossChunks_IsClassifiedLikeTheWholeString(int length)
    {
        string answer = Line(Take(1)[0]) + "\n\"" + new string('a', length) + "\"\n" + Line(Take(2)[1]) + "\n";
        var expected = _parser.Parse(answer);

        var streamed = await CollectAsync(_parser.ParseStreamingAsync(Chunks([.. answer.Chunk(1000).Select(c => new string(c))])));

        streamed.Should().Equal(Describe(expected));
        expected.Diagnostics.Should().HaveCount(length < 4096 ? 1 : 0, "bare values up to 4,096 characters are reported, longer lines are prose");
    }

    [Fact]
    public async Task ParseStreamingAsync_EachRecordIsYieldedAsSoonAsItsChunkArrives()
    {
        var records = Take(5);
        var lines = records.Select(r => Line(r) + "\n").ToArray();
        int pulled = 0;
        var pulledAtScore = new List<int>();

        await foreach (var item in _parser.ParseStreamingAsync(Chunks(lines, onPull: n => pulled = n)))
        {
            if (item.Kind == ScoreParseEventKind.Score)
            {
                pulledAtScore.Add(pulled);
            }
        }

        pulledAtScore.Should().Equal(1, 2, 3, 4, 5);
    }

    [Fact]
    public async Task ParseStreamingAsync_WrapperElements_AreYieldedBeforeTheWrapperCloses()
    {
        var records = Take(3);
        string[] chunks = ["{\"scores\": [", Line(records[0]) + ",", Line(records[1]) + ",", Line(records[2]), "]}"];
        int pulled = 0;
        var pulledAtScore = new List<int>();

        await foreach (var item in _parser.ParseStreamingAsync(Chunks(chunks, onPull: n => pulled = n)))
        {
            if (item.Kind == ScoreParseEventKind.Score)
            {
                pulledAtScore.Add(pulled);
            }
        }

        pulledAtScore.Should().Equal(2, 3, 4);
    }

    [Fact]
    public async Task ParseStreamingAsync_LastItem_IsTheCompletionWithMissingIds()
    {
        var records = Take(3);
        var batch = records.Select(r => r.Id).ToList();

        var items = new List<ScoreParseEvent>();
        await foreach (var item in _parser.ParseStreamingAsync(Chunks(Line(records[0]) + "\n", string.Empty, Line(records[2])), batch))
        {
            items.Add(item);
        }

        items.Select(i => i.Kind).Should().Equal(ScoreParseEventKind.Score, ScoreParseEventKind.Score, ScoreParseEventKind.Completed);
        items[^1].IsCompleted.Should().BeTrue();
        items[^1].MissingIds.Should().Equal(records[1].Id);
        items[0].Score!.PaperId.Should().Be(records[0].Id);
    }

    [Fact]
    public async Task ParseStreamingAsync_NoChunks_CompletesWithTheWholeBatchMissing()
    {
        var batch = Take(2).Select(r => r.Id).ToList();

        var items = new List<ScoreParseEvent>();
        await foreach (var item in _parser.ParseStreamingAsync(Chunks(), batch))
        {
            items.Add(item);
        }

        items.Should().ContainSingle().Which.MissingIds.Should().Equal(batch);
    }

    [Fact]
    public async Task ParseStreamingAsync_Canceled_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        var records = Take(3);
        var items = new List<ScoreParseEvent>();

        var act = async () =>
        {
            await foreach (var item in _parser.ParseStreamingAsync(Chunks([.. records.Select(r => Line(r) + "\n")]), cancellationToken: cts.Token))
            {
                items.Add(item);
                await cts.CancelAsync();
            }
        };

        await act.Should().ThrowAsync<OperationCanceledException>();
        items.Should().ContainSingle();
    }

    [Fact]
    public void ParseStreamingAsync_NullChunks_Throws()
    {
        var act = () => _parser.ParseStreamingAsync((IAsyncEnumerable<string>)null!);

        act.Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void ScoreParseEvent_Factories_RejectNull()
    {
        ((Action)(() => ScoreParseEvent.ForScore(null!))).Should().Throw<ArgumentNullException>();
        ((Action)(() => ScoreParseEvent.ForDiagnostic(null!))).Should().Throw<ArgumentNullException>();
        ((Action)(() => ScoreParseEvent.Completed(null!))).Should().Throw<ArgumentNullException>();
    }

    internal static async IAsyncEnumerable<string> Chunks(string[] parts, Action<int>? onPull = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (int i = 0; i < parts.Length; i++)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            onPull?.Invoke(i + 1);
            yield return parts[i];
        }
    }

    internal static IAsyncEnumerable<string> Chunks(params string[] parts) => Chunks(parts, null);

    /// <summary>A stream that returns at most a random number of bytes per read, as a pipe or a socket may.</summary>
    private sealed class TrickleStream(byte[] data, Random random, int maxRead) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            => base.ReadAsync(buffer[..Math.Min(buffer.Length, random.Next(1, maxRead + 1))], cancellationToken);
    }

    internal static IReadOnlyList<string> Describe(ScoreParseResult result)
        => ModelAnswers.Describe(result.Scores, result.Diagnostics, result.MissingIds).Append("completed").ToList();

    internal static async Task<IReadOnlyList<string>> CollectAsync(IAsyncEnumerable<ScoreParseEvent> items)
    {
        var scores = new List<PaperScore>();
        var diagnostics = new List<ScoreParseDiagnostic>();
        IReadOnlyList<ArxivId>? missing = null;
        int completions = 0;
        await foreach (var item in items)
        {
            missing.Should().BeNull("nothing may follow the completion");
            switch (item.Kind)
            {
                case ScoreParseEventKind.Score:
                    scores.Add(item.Score!);
                    break;
                case ScoreParseEventKind.Diagnostic:
                    diagnostics.Add(item.Diagnostic!);
                    break;
                default:
                    completions++;
                    missing = item.MissingIds;
                    break;
            }
        }

        completions.Should().Be(1);
        return [.. ModelAnswers.Describe(scores, diagnostics, missing!), "completed"];
    }
}
