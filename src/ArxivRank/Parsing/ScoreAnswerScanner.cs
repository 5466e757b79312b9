using System.Buffers;
using System.Globalization;

namespace ArxivRank.Parsing;

/// <summary>
/// Finds the candidate objects in a model's answer, chunk by chunk, without regular expressions or a DOM: a small state
/// machine tracks strings, escapes, comments and nesting, skips prose, fences and bullets between objects, opens
/// <c>{"scores": […]}</c> wrappers so their elements stream out one by one, and resynchronizes when an object is broken
/// (a raw line break inside a string, a fence or a new object at the start of a line before it is closed), so one damaged
/// record never swallows the ones after it. Each complete object goes to <see cref="ScoreRecordReader"/>.
/// </summary>
/// <remarks>The result does not depend on how the text is cut into chunks: all state lives in fields, and an object or line
/// that spans chunks is carried in a pooled buffer.</remarks>
internal sealed class ScoreAnswerScanner : IDisposable
{
    private const int MaxCarriedLineLength = 4096;
    private const int MaxWrapperHeadLength = 200;

    private static readonly SearchValues<char> TopStops = SearchValues.Create("{\n");
    private static readonly SearchValues<char> StructureStops = SearchValues.Create("\"{}[]:,\n/`");
    private static readonly SearchValues<char> StringStops = SearchValues.Create("\"\\\n");
    private static readonly SearchValues<char> FlatRecordStops = SearchValues.Create("{}[]\\/`\n");

    private readonly ScoreRecordReader _reader;
    private readonly PooledChars _lineCarry = new();
    private readonly PooledChars _recordCarry = new();
    private Mode _mode;
    private int _line = 1;

    private bool _lineHasObject;
    private bool _lineTooLong;
    private int _lineStart;

    private long _chunkBase;
    private long _lineStartAt;

    private Skim _record;
    private int _recordStart;
    private int _recordLine;
    private int _recordColumn;

    private bool _inWrapper;
    private Skim _wrapper;
    private int _wrapperLine;
    private string _wrapperHead = string.Empty;

    public ScoreAnswerScanner(ScoreRecordReader reader) => _reader = reader;

    private enum Mode
    {
        Top,
        Record,
        Wrapper,
    }

    private enum Lex : byte
    {
        Normal,
        String,
        Escape,
        Slash,
        LineComment,
        BlockComment,
        BlockCommentStar,
    }

    /// <summary>Scans the next piece of the answer.</summary>
    public void Feed(ReadOnlySpan<char> chunk)
    {
        _lineStart = 0;
        _recordStart = 0;
        int i = 0;
        while (i < chunk.Length)
        {
            i = _mode switch
            {
                Mode.Top => ScanTop(chunk, i),
                Mode.Record => ScanStructure(chunk, i, isRecord: true),
                _ => ScanStructure(chunk, i, isRecord: false),
            };
        }

        if (_mode == Mode.Record)
        {
            _recordCarry.Append(chunk[_recordStart..]);
        }
        else if (_mode == Mode.Top && !_lineHasObject)
        {
            CarryLine(chunk[_lineStart..]);
        }

        _chunkBase += chunk.Length;
    }

    /// <summary>Ends the answer: reports a cut-off object or wrapper, and checks the last line.</summary>
    public void Complete()
    {
        switch (_mode)
        {
            case Mode.Top:
                if (!_lineHasObject && !_lineTooLong)
                {
                    ClassifyLine(_lineCarry.Span, _line);
                }

                break;
            case Mode.Record:
                _reader.Report(_recordLine, ScoreParseDiagnosticCodes.Truncated, "The answer ends inside this object (the model was cut off).", _recordCarry.Span);
                if (_inWrapper)
                {
                    ReportWrapperTruncated();
                }

                break;
            default:
                ReportWrapperTruncated();
                break;
        }

        _mode = Mode.Top;
        _inWrapper = false;
        _lineCarry.Clear();
        _recordCarry.Clear();
        _lineHasObject = true;
    }

    public void Dispose()
    {
        _lineCarry.Dispose();
        _recordCarry.Dispose();
    }

    private void ReportWrapperTruncated()
        => _reader.Report(_wrapperLine, ScoreParseDiagnosticCodes.Truncated, $"The answer ends inside the wrapper object opened on line {_wrapperLine} (the model was cut off); the complete records in it were read.", _wrapperHead);

    private int ScanTop(ReadOnlySpan<char> chunk, int i)
    {
        int j = chunk[i..].IndexOfAny(TopStops);
        if (j < 0)
        {
            return chunk.Length;
        }

        j += i;
        if (chunk[j] == '{')
        {
            StartRecord(j);
            return TryCompleteFlatRecord(chunk, j);
        }

        if (!_lineHasObject)
        {
            var text = chunk[_lineStart..j];
            if (_lineCarry.Length > 0)
            {
                CarryLine(text);
                text = _lineCarry.Span;
            }

            // Lines longer than the carry limit are prose whether or not they span streaming chunks.
            if (!_lineTooLong && text.Length <= MaxCarriedLineLength)
            {
                ClassifyLine(text, _line);
            }
        }

        _line++;
        _lineStart = j + 1;
        _lineStartAt = _chunkBase + j + 1;
        _lineHasObject = false;
        _lineTooLong = false;
        _lineCarry.Clear();
        return j + 1;
    }

    private int ScanStructure(ReadOnlySpan<char> chunk, int i, bool isRecord)
    {
        ref Skim s = ref isRecord ? ref _record : ref _wrapper;
        while (i < chunk.Length)
        {
            char c;
            int j;
            switch (s.Lex)
            {
                case Lex.String:
                    j = chunk[i..].IndexOfAny(StringStops);
                    if (j < 0)
                    {
                        return chunk.Length;
                    }

                    i += j;
                    c = chunk[i];
                    if (c == '"')
                    {
                        s.Lex = Lex.Normal;
                        s.Prev = '"';
                        i++;
                    }
                    else if (c == '\\')
                    {
                        s.Lex = Lex.Escape;
                        i++;
                    }
                    else
                    {
                        Abandon(chunk, i, isRecord, $"the end of line {_line}: a string has no closing quote");
                        return i;
                    }

                    break;
                case Lex.Escape:
                    if (chunk[i] == '\n')
                    {
                        Abandon(chunk, i, isRecord, $"the end of line {_line}: a string has no closing quote");
                        return i;
                    }

                    s.Lex = Lex.String;
                    i++;
                    break;
                case Lex.Slash:
                    c = chunk[i];
                    if (c == '/')
                    {
                        s.Lex = Lex.LineComment;
                        i++;
                    }
                    else if (c == '*')
                    {
                        s.Lex = Lex.BlockComment;
                        i++;
                    }
                    else
                    {
                        s.Lex = Lex.Normal;
                        s.Prev = '/';
                    }

                    break;
                case Lex.LineComment:
                    j = chunk[i..].IndexOf('\n');
                    if (j < 0)
                    {
                        return chunk.Length;
                    }

                    i += j;
                    s.Lex = Lex.Normal;
                    break;
                case Lex.BlockComment:
                    j = chunk[i..].IndexOfAny('*', '\n');
                    if (j < 0)
                    {
                        return chunk.Length;
                    }

                    i += j;
                    if (chunk[i] == '\n')
                    {
                        // Models never spread a comment over lines; a stray "/*" must not swallow the records after it.
                        Abandon(chunk, i, isRecord, $"the end of line {_line}: a /* comment is not closed on its line");
                        return i;
                    }

                    s.Lex = Lex.BlockCommentStar;
                    i++;
                    break;
                case Lex.BlockCommentStar:
                    c = chunk[i];
                    if (c == '/')
                    {
                        s.Lex = Lex.Normal;
                    }
                    else if (c == '\n')
                    {
                        Abandon(chunk, i, isRecord, $"the end of line {_line}: a /* comment is not closed on its line");
                        return i;
                    }
                    else if (c != '*')
                    {
                        s.Lex = Lex.BlockComment;
                    }

                    i++;
                    break;
                default:
                    j = chunk[i..].IndexOfAny(StructureStops);
                    int end = j < 0 ? chunk.Length : i + j;
                    if (end > i)
                    {
                        var segment = chunk[i..end].TrimEnd();
                        if (!segment.IsEmpty)
                        {
                            s.Prev = segment[^1];
                            s.AtLineStart = false;
                        }
                    }

                    if (j < 0)
                    {
                        return chunk.Length;
                    }

                    i = end;
                    c = chunk[i];
                    switch (c)
                    {
                        case '\n':
                            NewLineInside(i);
                            s.AtLineStart = true;
                            i++;
                            break;
                        case '"':
                            s.Lex = Lex.String;
                            s.AtLineStart = false;
                            i++;
                            break;
                        case ':' or ',':
                            if (c == ',' && s.Depth == 1)
                            {
                                s.SawTopComma = true;
                            }

                            s.Prev = c;
                            s.AtLineStart = false;
                            i++;
                            break;
                        case '/':
                            s.Lex = Lex.Slash;
                            s.AtLineStart = false;
                            i++;
                            break;
                        case '[':
                            s.Push(array: true);
                            s.Prev = c;
                            s.AtLineStart = false;
                            i++;
                            break;
                        case ']' or '}':
                            s.Depth--;
                            s.Prev = c;
                            s.AtLineStart = false;
                            i++;
                            if (s.Depth == 0)
                            {
                                if (isRecord)
                                {
                                    CompleteRecord(chunk, i);
                                }
                                else
                                {
                                    _inWrapper = false;
                                    _mode = Mode.Top;
                                }

                                return i;
                            }

                            break;
                        case '`':
                            if (s.AtLineStart)
                            {
                                Abandon(chunk, i, isRecord, $"the Markdown fence on line {_line}");
                                return i;
                            }

                            s.Prev = c;
                            i++;
                            break;
                        default:
                            int next = OpenBrace(chunk, i, ref s, isRecord);
                            if (next >= 0)
                            {
                                return next;
                            }

                            i++;
                            break;
                    }

                    break;
            }
        }

        return i;
    }

    /// <summary>Handles a <c>{</c> inside a record or wrapper: returns -1 when it opens a nested object, else where the (new) mode goes on.</summary>
    private int OpenBrace(ReadOnlySpan<char> chunk, int i, ref Skim s, bool isRecord)
    {
        bool inArray = s.TopIsArray;
        bool elementPosition = inArray && s.Prev is '[' or ',';
        bool valuePosition = s.Prev == ':';
        if (isRecord)
        {
            if (elementPosition && s.OnlyArraysBelowTop && (!s.SawTopComma || s.AtLineStart))
            {
                // {"scores": [{…  — the object is a wrapper: the objects in its arrays are the records. A wrapper found
                // inside a wrapper replaces it (the outer one's closing brackets are then skipped as text between objects).
                ConvertToWrapper(chunk, i);
                return i;
            }

            if (s.AtLineStart || !(valuePosition || elementPosition))
            {
                Abandon(chunk, i, isRecord: true, $"the next object starts on line {_line}");
                return i;
            }
        }
        else if (s.OnlyArraysBelowTop || s.AtLineStart || !(valuePosition || elementPosition))
        {
            StartRecord(i);
            return TryCompleteFlatRecord(chunk, i);
        }

        s.Push(array: false);
        s.Prev = '{';
        s.AtLineStart = false;
        return -1;
    }

    /// <summary>
    /// The fast path for the common record: when the first character after the <c>{</c> that could change the scanner's
    /// course is a <c>}</c> (no nesting, escape, comment, fence or line break on the way) and the quotes before it are
    /// balanced, that <c>}</c> ends the record: exactly what the character-by-character scan would find, in two
    /// vectorized searches. Returns where scanning goes on.
    /// </summary>
    private int TryCompleteFlatRecord(ReadOnlySpan<char> chunk, int start)
    {
        var rest = chunk[(start + 1)..];
        int j = rest.IndexOfAny(FlatRecordStops);
        if (j < 0 || rest[j] != '}' || (rest[..j].Count('"') & 1) != 0)
        {
            return start + 1;
        }

        int end = start + j + 2;
        CompleteRecord(chunk, end);
        return end;
    }

    private void StartRecord(int index)
    {
        _mode = Mode.Record;
        _recordStart = index;
        _recordLine = _line;
        _recordColumn = (int)(_chunkBase + index - _lineStartAt) + 1;
        _recordCarry.Clear();
        _record = new Skim { Depth = 1, Prev = '{' };
        _lineHasObject = true;
    }

    private ReadOnlySpan<char> RecordText(ReadOnlySpan<char> chunk, int end)
    {
        if (_recordCarry.Length == 0)
        {
            return chunk[_recordStart..end];
        }

        _recordCarry.Append(chunk[_recordStart..end]);
        return _recordCarry.Span;
    }

    private void CompleteRecord(ReadOnlySpan<char> chunk, int end)
    {
        var text = RecordText(chunk, end);
        ReturnFromRecord(atLineStart: false);
        _reader.ReadObject(text, _recordLine, _recordColumn);
        _recordCarry.Clear();
    }

    private void ReturnFromRecord(bool atLineStart)
    {
        if (_inWrapper)
        {
            _mode = Mode.Wrapper;
            _wrapper.Prev = '}';
            _wrapper.AtLineStart = atLineStart;
        }
        else
        {
            _mode = Mode.Top;
        }
    }

    private void ConvertToWrapper(ReadOnlySpan<char> chunk, int i)
    {
        var head = RecordText(chunk, i).Trim();
        _wrapperHead = head.Length <= MaxWrapperHeadLength ? head.ToString() : string.Concat(head[..MaxWrapperHeadLength], "…");
        _recordCarry.Clear();
        _wrapper = _record;
        _wrapperLine = _recordLine;
        _inWrapper = true;
        _mode = Mode.Wrapper;
    }

    /// <summary>Gives up on the open record (or wrapper) at <paramref name="i"/>, which the enclosing mode then scans again.</summary>
    private void Abandon(ReadOnlySpan<char> chunk, int i, bool isRecord, string before)
    {
        if (isRecord)
        {
            var text = RecordText(chunk, i);
            _reader.Report(_recordLine, ScoreParseDiagnosticCodes.UnclosedObject, $"The object is not closed before {before}.", text);
            _recordCarry.Clear();
            ReturnFromRecord(_record.AtLineStart);
        }
        else
        {
            _reader.Report(_wrapperLine, ScoreParseDiagnosticCodes.UnclosedObject, $"The wrapper object opened on line {_wrapperLine} is not closed before {before}; the complete records in it were read.", _wrapperHead);
            _inWrapper = false;
            _mode = Mode.Top;
        }
    }

    private void NewLineInside(int index)
    {
        _line++;
        _lineStartAt = _chunkBase + index + 1;
        _lineHasObject = true;
    }

    private void CarryLine(ReadOnlySpan<char> text)
    {
        if (_lineTooLong)
        {
            return;
        }

        if (_lineCarry.Length + text.Length > MaxCarriedLineLength)
        {
            _lineTooLong = true;
            _lineCarry.Clear();
            return;
        }

        _lineCarry.Append(text);
    }

    /// <summary>Reports a line outside any object that is a bare JSON value (<c>2</c>, <c>null</c>, <c>"text"</c>); prose, fences and blank lines pass silently.</summary>
    private void ClassifyLine(ReadOnlySpan<char> line, int lineNumber)
    {
        var text = line.Trim().Trim('\uFEFF').Trim();
        if (text.IsEmpty)
        {
            return;
        }

        text = StripBullet(text).TrimStart("[, \t").TrimEnd("], \t");
        if (text.IsEmpty)
        {
            return;
        }

        string? kind = text switch
        {
            "null" => "null",
            "true" or "false" => "boolean",
            _ when text.Length >= 2 && text[0] == '"' && text[^1] == '"' => "string",
            _ when (char.IsAsciiDigit(text[0]) || text[0] == '-') && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _) => "number",
            _ => null,
        };
        if (kind is not null)
        {
            _reader.Report(lineNumber, ScoreParseDiagnosticCodes.NotAnObject, $"The line is a JSON {kind}, not an object with a score.", line);
        }
    }

    private static ReadOnlySpan<char> StripBullet(ReadOnlySpan<char> text)
    {
        if (text.Length >= 2 && text[0] is '-' or '*' or '+' or '•' && text[1] is ' ' or '\t')
        {
            return text[2..].TrimStart();
        }

        int digits = 0;
        while (digits < text.Length && digits < 4 && char.IsAsciiDigit(text[digits]))
        {
            digits++;
        }

        if (digits > 0 && digits < text.Length && text[digits] is '.' or ')' && (digits + 1 == text.Length || text[digits + 1] is ' ' or '\t'))
        {
            return text[(digits + 1)..].TrimStart();
        }

        return text;
    }

    /// <summary>What the scanner knows of the structure it is in: depth, which levels are arrays, the last significant character.</summary>
    private struct Skim
    {
        public int Depth;
        public ulong ArrayBits;
        public char Prev;
        public bool SawTopComma;
        public bool AtLineStart;
        public Lex Lex;

        public readonly bool TopIsArray => Depth is > 0 and <= 64 && (ArrayBits & (1UL << (Depth - 1))) != 0;

        /// <summary>Gets a value indicating whether every container below the outermost object is an array (<c>{"k": [[ …</c>).</summary>
        public readonly bool OnlyArraysBelowTop
        {
            get
            {
                if (Depth is < 2 or > 64)
                {
                    return false;
                }

                ulong mask = (Depth == 64 ? ulong.MaxValue : (1UL << Depth) - 1) & ~1UL;
                return (ArrayBits & mask) == mask;
            }
        }

        public void Push(bool array)
        {
            Depth++;
            if (Depth <= 64)
            {
                ulong bit = 1UL << (Depth - 1);
                ArrayBits = array ? ArrayBits | bit : ArrayBits & ~bit;
            }
        }
    }

    /// <summary>A growable character buffer on <see cref="ArrayPool{T}"/>.</summary>
    private sealed class PooledChars : IDisposable
    {
        private char[] _buffer = [];

        public int Length { get; private set; }

        public ReadOnlySpan<char> Span => _buffer.AsSpan(0, Length);

        public void Append(ReadOnlySpan<char> text)
        {
            if (text.IsEmpty)
            {
                return;
            }

            if (Length + text.Length > _buffer.Length)
            {
                var bigger = ArrayPool<char>.Shared.Rent(Math.Max(Length + text.Length, Math.Max(256, _buffer.Length * 2)));
                _buffer.AsSpan(0, Length).CopyTo(bigger);
                Return();
                _buffer = bigger;
            }

            text.CopyTo(_buffer.AsSpan(Length));
            Length += text.Length;
        }

        public void Clear() => Length = 0;

        public void Dispose()
        {
            Return();
            _buffer = [];
            Length = 0;
        }

        private void Return()
        {
            if (_buffer.Length > 0)
            {
                ArrayPool<char>.Shared.Return(_buffer);
            }
        }
    }
}
