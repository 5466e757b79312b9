using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ArxivRank.Scoring;

namespace ArxivRank.Parsing;

/// <summary>Receives what the parser finds, in answer order.</summary>
internal interface IScoreSink
{
    void OnScore(PaperScore score);

    void OnDiagnostic(ScoreParseDiagnostic diagnostic);
}

/// <summary>
/// Turns the text of one candidate object into a <see cref="PaperScore"/> or a diagnostic: reads it with
/// <see cref="Utf8JsonReader"/> over a pooled UTF-8 buffer, maps key aliases, converts scores, checks the batch
/// and duplicates. One instance per parse; not thread-safe.
/// </summary>
internal sealed class ScoreRecordReader : IDisposable
{
    internal const int MaxRawTextLength = 2000;
    internal const int MaxObjectLength = 16 * 1024 * 1024;
    private const int MaxIdLength = 128;
    private const int MaxScoreTextLength = 64;

    private static readonly JsonReaderOptions ReaderOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    private readonly ScoreParserOptions _options;
    private readonly IScoreSink _sink;
    private readonly Dictionary<string, ArxivId>? _batch;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(4096);

    public ScoreRecordReader(ScoreParserOptions options, IReadOnlyCollection<ArxivId>? batchIds, IScoreSink sink)
    {
        _options = options;
        _sink = sink;
        if (batchIds is not null)
        {
            _batch = new Dictionary<string, ArxivId>(batchIds.Count, StringComparer.Ordinal);
            foreach (var id in batchIds)
            {
                if (!id.IsEmpty)
                {
                    _batch.TryAdd(id.Id, id);
                }
            }

            BatchOrder = batchIds;
        }
    }

    /// <summary>Gets the batch ids as the caller gave them.</summary>
    public IReadOnlyCollection<ArxivId>? BatchOrder { get; }

    /// <summary>Returns the batch ids that no accepted score covered, in batch order.</summary>
    public IReadOnlyList<ArxivId> GetMissingIds()
    {
        if (BatchOrder is null)
        {
            return [];
        }

        var missing = new List<ArxivId>();
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in BatchOrder)
        {
            if (!id.IsEmpty && !_seen.Contains(id.Id) && listed.Add(id.Id))
            {
                missing.Add(id);
            }
        }

        return missing;
    }

    /// <summary>Reports a problem found by the scanner (not by JSON reading).</summary>
    public void Report(int lineNumber, string code, string reason, ReadOnlySpan<char> rawText)
        => _sink.OnDiagnostic(new ScoreParseDiagnostic(lineNumber, code, reason, Cut(rawText)));

    /// <summary>Reads one candidate object, <c>{</c> to its matching <c>}</c>, that starts on <paramref name="lineNumber"/> at <paramref name="column"/> (1-based, in characters).</summary>
    public void ReadObject(ReadOnlySpan<char> text, int lineNumber, int column)
    {
        if (text.Length > MaxObjectLength)
        {
            Report(lineNumber, ScoreParseDiagnosticCodes.InvalidJson, $"The object is {text.Length:N0} characters long; objects over {MaxObjectLength:N0} characters are not read.", text);
            return;
        }

        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (_buffer.Length < max)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(max);
        }

        int length = Encoding.UTF8.GetBytes(text, _buffer);
        ReadUtf8(_buffer.AsSpan(0, length), lineNumber, column, text, allowWrapper: true);
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void ReadUtf8(ReadOnlySpan<byte> utf8, int lineNumber, int column, ReadOnlySpan<char> text, bool allowWrapper)
    {
        var record = default(RecordFields);
        string? failure = null;
        try
        {
            ReadFields(utf8, _options.MaxScore, ref record);
        }
        catch (JsonException ex)
        {
            failure = Locate(ex, utf8, lineNumber, column);
        }
        catch (InvalidOperationException ex)
        {
            failure = ex.Message;
        }

        if (failure is not null)
        {
            Fail(lineNumber, ScoreParseDiagnosticCodes.InvalidJson, $"The object is not valid JSON: {failure}", utf8, text);
            return;
        }

        if (record.IdCandidates == 0)
        {
            if (allowWrapper && record.HasArrayOfObjects)
            {
                ReadWrapper(utf8, lineNumber, column);
                return;
            }

            Fail(lineNumber, ScoreParseDiagnosticCodes.MissingId, "The object has no id (expected a key such as \"arxivId\", \"arxiv_id\", \"paper_id\" or \"id\").", utf8, text);
            return;
        }

        if (record.IdCandidates > 1)
        {
            ResolveIdCandidates(utf8, ref record);
        }

        if (!record.IdOk)
        {
            Fail(lineNumber, ScoreParseDiagnosticCodes.InvalidId, record.IdError ?? "The id is not an arXiv identifier.", utf8, text);
            return;
        }

        var id = record.Id;
        if (_batch is not null && !_batch.ContainsKey(id.Id))
        {
            Fail(lineNumber, ScoreParseDiagnosticCodes.UnknownId, $"{id} was not in the batch; the record is ignored (a hallucinated or injected id must not add a paper).", utf8, text);
            return;
        }

        string? scoreProblem = null;
        string? scoreCode = null;
        int relevance = CheckScore("relevance", record.Relevance, required: true, ref scoreCode, ref scoreProblem);
        int novelty = CheckScore("novelty", record.Novelty, required: _options.RequireNovelty, ref scoreCode, ref scoreProblem);
        if (scoreCode is not null)
        {
            Fail(lineNumber, scoreCode, $"{id}: {scoreProblem}", utf8, text);
            return;
        }

        if (!_seen.Add(id.Id))
        {
            Fail(lineNumber, ScoreParseDiagnosticCodes.DuplicateId, $"{id} was already scored earlier in the answer; the first record wins and this one (relevance {relevance}, novelty {FormatNovelty(novelty)}) is ignored.", utf8, text);
            return;
        }

        _sink.OnScore(new PaperScore
        {
            PaperId = id,
            Relevance = relevance,
            Novelty = novelty < 0 ? null : novelty,
            Comment = record.Comment,
            Origin = ScoreOrigin.Scored,
            ExtraProperties = record.Extra,
        });
    }

    /// <summary>
    /// Turns the JSON reader's message, whose position counts lines and bytes from the object's own start
    /// ("LineNumber: 0 | BytePositionInLine: 1"), into one that names the answer's line and column (characters, 1-based).
    /// </summary>
    private static string Locate(JsonException ex, ReadOnlySpan<byte> utf8, int lineNumber, int column)
    {
        string message = ex.Message;
        int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut >= 0)
        {
            message = message[..cut].TrimEnd();
        }

        if (ex.LineNumber is not { } line || ex.BytePositionInLine is not { } bytes)
        {
            return message;
        }

        int lineStart = 0;
        for (long l = 0; l < line && lineStart < utf8.Length; l++)
        {
            int next = utf8[lineStart..].IndexOf((byte)'\n');
            lineStart = next < 0 ? utf8.Length : lineStart + next + 1;
        }

        int at = (int)Math.Min(utf8.Length, lineStart + bytes);
        return string.Create(CultureInfo.InvariantCulture, $"line {lineNumber + line}, column {ColumnAt(utf8, at, column)}: {message}");
    }

    /// <summary>The answer column (1-based, in characters) of byte <paramref name="index"/> of an object that starts at <paramref name="column"/>.</summary>
    private static int ColumnAt(ReadOnlySpan<byte> utf8, int index, int column)
    {
        int newline = utf8[..index].LastIndexOf((byte)'\n');
        return newline < 0
            ? column + Encoding.UTF8.GetCharCount(utf8[..index])
            : 1 + Encoding.UTF8.GetCharCount(utf8[(newline + 1)..index]);
    }

    private static string FormatNovelty(int novelty) => novelty < 0 ? "none" : novelty.ToString(CultureInfo.InvariantCulture);

    private int CheckScore(string name, ScoreValue value, bool required, ref string? code, ref string? problem)
    {
        string? thisCode = null;
        string? thisProblem = null;
        int result = -1;
        switch (value.State)
        {
            case ScoreState.Missing:
                if (required)
                {
                    thisCode = ScoreParseDiagnosticCodes.MissingScore;
                    thisProblem = $"{name} is missing";
                }

                break;
            case ScoreState.Null:
                if (required)
                {
                    thisCode = ScoreParseDiagnosticCodes.MissingScore;
                    thisProblem = $"{name} is null";
                }

                break;
            case ScoreState.Invalid:
                thisCode = ScoreParseDiagnosticCodes.InvalidScore;
                thisProblem = $"{name} {value.Text} is not a number or a fraction like \"8/10\"";
                break;
            default:
                double rounded = Math.Round(value.Number, _options.Rounding);
                if (double.IsFinite(rounded) && rounded >= _options.MinScore && rounded <= _options.MaxScore)
                {
                    result = (int)rounded;
                }
                else
                {
                    thisCode = ScoreParseDiagnosticCodes.ScoreOutOfRange;
                    thisProblem = $"{name} {value.Number.ToString("R", CultureInfo.InvariantCulture)} is outside {_options.MinScore}–{_options.MaxScore}";
                }

                break;
        }

        if (thisCode is not null)
        {
            code ??= thisCode;
            problem = problem is null ? thisProblem : string.Concat(problem, "; ", thisProblem);
        }

        return result;
    }

    private void Fail(int lineNumber, string code, string reason, ReadOnlySpan<byte> utf8, ReadOnlySpan<char> text)
    {
        string raw = text.IsEmpty ? Cut(Encoding.UTF8.GetString(utf8)) : Cut(text);
        _sink.OnDiagnostic(new ScoreParseDiagnostic(lineNumber, code, reason, raw));
    }

    private static string Cut(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        return text.Length <= MaxRawTextLength ? text.ToString() : string.Concat(text[..MaxRawTextLength], "…");
    }

    /// <summary>An object without an id that holds arrays of objects (<c>{"date": …, "scores": [{…}, …]}</c>): each element is a record.</summary>
    private void ReadWrapper(ReadOnlySpan<byte> utf8, int lineNumber, int column)
    {
        var reader = new Utf8JsonReader(utf8, isFinalBlock: true, new JsonReaderState(ReaderOptions));
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    int start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    int end = (int)reader.BytesConsumed;
                    int line = lineNumber + utf8[..start].Count((byte)'\n');
                    ReadUtf8(utf8[start..end], line, ColumnAt(utf8, start, column), default, allowWrapper: false);
                }
                else
                {
                    reader.Skip();
                }
            }
        }
    }

    private static void ReadFields(ReadOnlySpan<byte> utf8, double maxScore, ref RecordFields record)
    {
        var reader = new Utf8JsonReader(utf8, isFinalBlock: true, new JsonReaderState(ReaderOptions));
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("expected an object");
        }

        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            var field = Classify(ref reader);
            int nameStart = (int)reader.TokenStartIndex;
            reader.Read();
            switch (field)
            {
                case Field.ArxivId or Field.PaperId or Field.Id when (record.IdMask & (1 << (int)field)) == 0:
                    record.IdMask |= 1 << (int)field;
                    record.IdCandidates++;
                    if (record.IdCandidates == 1)
                    {
                        ReadId(ref reader, ref record);
                    }

                    SkipContainer(ref reader);
                    break;
                case Field.Relevance when record.Relevance.State == ScoreState.Missing:
                    record.Relevance = ReadScore(ref reader, maxScore);
                    SkipContainer(ref reader);
                    break;
                case Field.Novelty when record.Novelty.State == ScoreState.Missing:
                    record.Novelty = ReadScore(ref reader, maxScore);
                    SkipContainer(ref reader);
                    break;
                case Field.Comment when !record.HasComment && reader.TokenType is JsonTokenType.String or JsonTokenType.Null:
                    record.HasComment = true;
                    record.Comment = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    break;
                default:
                    AddExtra(utf8, nameStart, ref reader, ref record);
                    break;
            }
        }
    }

    private static void AddExtra(ReadOnlySpan<byte> utf8, int nameStart, ref Utf8JsonReader reader, ref RecordFields record)
    {
        var nameReader = new Utf8JsonReader(utf8[nameStart..], isFinalBlock: true, new JsonReaderState(ReaderOptions));
        nameReader.Read();
        string name = nameReader.GetString() ?? string.Empty;
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            var probe = reader;
            if (probe.Read() && probe.TokenType == JsonTokenType.StartObject)
            {
                record.HasArrayOfObjects = true;
            }
        }

        var element = JsonElement.ParseValue(ref reader);
        record.Extra ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        record.Extra[name] = element;
    }

    private static void SkipContainer(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            reader.Skip();
        }
    }

    /// <summary>When an object has several id keys, the first valid one by priority wins (arxivId, then paper_id, then id); the others are kept as extra properties.</summary>
    private static void ResolveIdCandidates(ReadOnlySpan<byte> utf8, ref RecordFields record)
    {
        var reader = new Utf8JsonReader(utf8, isFinalBlock: true, new JsonReaderState(ReaderOptions));
        reader.Read();
        Span<int> valueStarts = [-1, -1, -1];
        Span<int> nameStarts = [-1, -1, -1];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = Classify(ref reader);
            int nameStart = (int)reader.TokenStartIndex;
            reader.Read();
            if (field is Field.ArxivId or Field.PaperId or Field.Id && valueStarts[(int)field] < 0)
            {
                valueStarts[(int)field] = (int)reader.TokenStartIndex;
                nameStarts[(int)field] = nameStart;
            }

            SkipContainer(ref reader);
        }

        int winner = -1;
        string? firstError = null;
        for (int f = 0; f < 3 && winner < 0; f++)
        {
            if (valueStarts[f] < 0)
            {
                continue;
            }

            var valueReader = new Utf8JsonReader(utf8[valueStarts[f]..], isFinalBlock: true, new JsonReaderState(ReaderOptions));
            valueReader.Read();
            var candidate = default(RecordFields);
            ReadId(ref valueReader, ref candidate);
            if (candidate.IdOk)
            {
                winner = f;
                record.Id = candidate.Id;
            }
            else
            {
                firstError ??= candidate.IdError;
            }
        }

        record.IdOk = winner >= 0;
        record.IdError = winner >= 0 ? null : firstError;
        for (int f = 0; f < 3 && winner >= 0; f++)
        {
            if (valueStarts[f] >= 0 && f != winner)
            {
                var valueReader = new Utf8JsonReader(utf8[valueStarts[f]..], isFinalBlock: true, new JsonReaderState(ReaderOptions));
                valueReader.Read();
                AddExtra(utf8, nameStarts[f], ref valueReader, ref record);
            }
        }
    }

    private static void ReadId(ref Utf8JsonReader reader, ref RecordFields record)
    {
        Span<char> chars = stackalloc char[MaxIdLength];
        int length;
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                if (ValueLength(ref reader) > MaxIdLength)
                {
                    record.IdError = "The id is too long to be an arXiv identifier.";
                    return;
                }

                length = reader.CopyString(chars);
                break;
            case JsonTokenType.Number:
                // A model writing "id": 2502.12851 as a number: the raw token keeps every digit.
                var raw = reader.ValueSpan;
                if (raw.Length > MaxIdLength)
                {
                    record.IdError = "The id is too long to be an arXiv identifier.";
                    return;
                }

                length = Encoding.UTF8.GetChars(raw, chars);
                break;
            case JsonTokenType.Null:
                record.IdError = "The id is null.";
                return;
            default:
                record.IdError = $"The id must be a string, not {Describe(reader.TokenType)}.";
                return;
        }

        if (ArxivId.TryParse(chars[..length], out var id, out var error))
        {
            record.Id = id;
            record.IdOk = true;
        }
        else
        {
            record.IdError = error;
        }
    }

    private static int ValueLength(ref Utf8JsonReader reader)
        => reader.HasValueSequence ? (int)Math.Min(int.MaxValue, reader.ValueSequence.Length) : reader.ValueSpan.Length;

    private static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Number => "a number",
        JsonTokenType.Null => "null",
        _ => "a string",
    };

    private static ScoreValue ReadScore(ref Utf8JsonReader reader, double maxScore)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                if (!reader.HasValueSequence && reader.ValueSpan is [>= (byte)'0' and <= (byte)'9'] or [>= (byte)'0' and <= (byte)'9', >= (byte)'0' and <= (byte)'9'])
                {
                    // The common case, 1 to 2 digits, without the general number parser.
                    var digits = reader.ValueSpan;
                    int small = digits.Length == 1 ? digits[0] - '0' : ((digits[0] - '0') * 10) + digits[1] - '0';
                    return new ScoreValue(ScoreState.Number, small, null);
                }

                return reader.TryGetDouble(out double number)
                    ? new ScoreValue(ScoreState.Number, number, null)
                    : new ScoreValue(ScoreState.Invalid, 0, Encoding.UTF8.GetString(reader.ValueSpan));
            case JsonTokenType.Null:
                return new ScoreValue(ScoreState.Null, 0, null);
            case JsonTokenType.String:
                if (ValueLength(ref reader) > MaxScoreTextLength)
                {
                    return new ScoreValue(ScoreState.Invalid, 0, "\"" + reader.GetString()![..MaxScoreTextLength] + "…\"");
                }

                Span<char> chars = stackalloc char[MaxScoreTextLength];
                int length = reader.CopyString(chars);
                return TryParseScoreText(chars[..length], maxScore, out double value)
                    ? new ScoreValue(ScoreState.Number, value, null)
                    : new ScoreValue(ScoreState.Invalid, 0, "\"" + chars[..length].ToString() + "\"");
            default:
                return new ScoreValue(ScoreState.Invalid, 0, Describe(reader.TokenType));
        }
    }

    /// <summary>Reads <c>"8"</c>, <c>" 8.5 "</c>, or a fraction <c>"8/10"</c>, <c>"4/5"</c> scaled to <paramref name="maxScore"/>.</summary>
    internal static bool TryParseScoreText(ReadOnlySpan<char> text, double maxScore, out double value)
    {
        const NumberStyles Styles = NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite | NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint;
        int slash = text.IndexOf('/');
        if (slash < 0)
        {
            return double.TryParse(text, Styles, CultureInfo.InvariantCulture, out value);
        }

        value = 0;
        if (!double.TryParse(text[..slash], Styles, CultureInfo.InvariantCulture, out double numerator)
            || !double.TryParse(text[(slash + 1)..], Styles, CultureInfo.InvariantCulture, out double denominator)
            || denominator <= 0)
        {
            return false;
        }

        value = denominator == maxScore ? numerator : numerator * maxScore / denominator;
        return true;
    }

    /// <summary>Maps a key to a field: ASCII letters folded to lower case, <c>_</c>, <c>-</c> and spaces dropped (<c>ARXIV_ID</c>, <c>arxivId</c>, <c>arXiv-ID</c> are one key).</summary>
    private static Field Classify(ref Utf8JsonReader reader)
    {
        if (ValueLength(ref reader) > 32)
        {
            return Field.Other;
        }

        Span<byte> buffer = stackalloc byte[32];
        ReadOnlySpan<byte> raw = reader.ValueIsEscaped || reader.HasValueSequence
            ? buffer[..reader.CopyString(buffer)]
            : reader.ValueSpan;
        Span<byte> name = stackalloc byte[32];
        int length = 0;
        foreach (byte b in raw)
        {
            if (b is (byte)'_' or (byte)'-' or (byte)' ')
            {
                continue;
            }

            name[length++] = b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b | 0x20) : b;
        }

        ReadOnlySpan<byte> folded = name[..length];
        return length switch
        {
            2 when folded.SequenceEqual("id"u8) => Field.Id,
            5 when folded.SequenceEqual("arxiv"u8) => Field.ArxivId,
            6 when folded.SequenceEqual("reason"u8) => Field.Comment,
            7 when folded.SequenceEqual("arxivid"u8) => Field.ArxivId,
            7 when folded.SequenceEqual("comment"u8) => Field.Comment,
            7 when folded.SequenceEqual("novelty"u8) => Field.Novelty,
            7 when folded.SequenceEqual("paperid"u8) => Field.PaperId,
            8 when folded.SequenceEqual("comments"u8) => Field.Comment,
            9 when folded.SequenceEqual("relevance"u8) => Field.Relevance,
            9 when folded.SequenceEqual("reasoning"u8) || folded.SequenceEqual("rationale"u8) => Field.Comment,
            12 when folded.SequenceEqual("noveltyscore"u8) => Field.Novelty,
            14 when folded.SequenceEqual("relevancescore"u8) => Field.Relevance,
            _ => Field.Other,
        };
    }

    private enum Field
    {
        ArxivId = 0,
        PaperId = 1,
        Id = 2,
        Relevance,
        Novelty,
        Comment,
        Other,
    }

    private enum ScoreState
    {
        Missing,
        Null,
        Invalid,
        Number,
    }

    private readonly record struct ScoreValue(ScoreState State, double Number, string? Text);

    private struct RecordFields
    {
        public int IdMask;
        public int IdCandidates;
        public bool IdOk;
        public ArxivId Id;
        public string? IdError;
        public ScoreValue Relevance;
        public ScoreValue Novelty;
        public bool HasComment;
        public string? Comment;
        public bool HasArrayOfObjects;
        public Dictionary<string, JsonElement>? Extra;
    }
}
