using System.Buffers;
using System.CommandLine;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ArxivRank.Parsing;
using ArxivRank.Scoring;

namespace ArxivRank.Cli.Commands;

/// <summary>
/// <c>arxivrank parse [--ids FILE] [FILE|-]</c>: a raw model answer in, one clean score per line out (stdout), one
/// diagnostic per line (stderr). Reads as a stream, so scores appear while a model's answer is still being piped in.
/// </summary>
internal static class ParseCommand
{
    private const int ChunkSize = 16 * 1024;
    private const int MaxRawExcerpt = 160;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The characters <see cref="Utf8JsonWriter"/> (relaxed escaping) copies as they are: printable ASCII except <c>"</c> and <c>\</c>.</summary>
    private static readonly SearchValues<char> PlainAscii = SearchValues.Create(" !#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    public static Command Create(CliContext context)
    {
        var input = new Argument<string>("answer")
        {
            Description = "The file holding the model's raw answer, or - (the default) to read standard input.",
            Arity = ArgumentArity.ZeroOrOne,
            DefaultValueFactory = _ => "-",
        };
        var ids = new Option<string?>("--ids")
        {
            Description = "A file listing the batch's arXiv ids, one per line (# starts a comment). Records for other ids are rejected, and ids the answer did not cover are reported as missing.",
            HelpName = "FILE",
        };
        var command = new Command("parse", "Parse a model's raw JSONL answer into one JSON score per line (stdout) and one diagnostic per line (stderr). Exit code 0 when the answer was read, even with diagnostics.");
        command.Arguments.Add(input);
        command.Options.Add(ids);
        command.SetAction((parseResult, cancellationToken) => RunAsync(context, parseResult.GetValue(input) ?? "-", parseResult.GetValue(ids), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, string input, string? idsPath, CancellationToken cancellationToken)
    {
        IReadOnlyList<ArxivId>? batch = null;
        if (idsPath is not null)
        {
            var (read, error) = await ReadIdsAsync(idsPath, cancellationToken);
            if (error is not null)
            {
                await context.Error.WriteLineAsync($"arxivrank parse: {error}");
                return ExitCodes.Failure;
            }

            batch = read;
        }

        Stream? stream = null;
        TextReader? reader = null;
        bool ownsInput = input != "-";
        try
        {
            if (ownsInput)
            {
                // Unbuffered: the parser reads 64 KB blocks itself.
                stream = new FileStream(input, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
            }
            else if (context.OpenStdinStream is { } openStdin)
            {
                stream = openStdin();
            }
            else
            {
                reader = context.OpenStdin();
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            await context.Error.WriteLineAsync($"arxivrank parse: cannot read the answer file '{input}': {ex.Message}");
            return ExitCodes.Failure;
        }

        var output = new ParseOutput(context);
        try
        {
            // The output is buffered and written in one piece before each read of the input: few writes for a file, and
            // for a pipe every score is out before the command waits for more of the answer.
            var parser = new ScoreResponseParser();
            var events = stream is not null
                ? parser.ParseStreamingAsync(new FlushBeforeReadStream(stream, output.FlushAsync), batch, cancellationToken)
                : parser.ParseStreamingAsync(ReadChunksAsync(reader!, output, cancellationToken), batch, cancellationToken);
            await foreach (var item in events)
            {
                switch (item.Kind)
                {
                    case ScoreParseEventKind.Score:
                        output.WriteScore(item.Score!);
                        break;
                    case ScoreParseEventKind.Diagnostic:
                        output.WriteError(FormatDiagnostic(item.Diagnostic!));
                        break;
                    default:
                        foreach (var missing in item.MissingIds!)
                        {
                            output.WriteError($"missing: {missing}: the answer has no usable score for this batch paper");
                        }

                        break;
                }

                if (output.IsFull)
                {
                    await output.FlushAsync(cancellationToken);
                }
            }

            await output.FlushAsync(cancellationToken);
            return ExitCodes.Success;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DecoderFallbackException)
        {
            await output.FlushAsync(CancellationToken.None);
            await context.Error.WriteLineAsync($"arxivrank parse: cannot read the answer{(ownsInput ? $" file '{input}'" : " from standard input")}: {ex.Message}");
            return ExitCodes.Failure;
        }
        finally
        {
            output.Dispose();
            if (ownsInput)
            {
                stream?.Dispose();
            }
        }
    }

    /// <summary>Writes <c>line 7: duplicate-id: reason | raw text</c> on one line (the raw text shortened, its line breaks folded).</summary>
    internal static string FormatDiagnostic(ScoreParseDiagnostic diagnostic)
    {
        var raw = new StringBuilder(Math.Min(diagnostic.RawText.Length, MaxRawExcerpt + 1));
        bool space = false;
        foreach (char c in diagnostic.RawText)
        {
            if (raw.Length >= MaxRawExcerpt)
            {
                raw.Append('…');
                break;
            }

            if (char.IsWhiteSpace(c))
            {
                space = raw.Length > 0;
                continue;
            }

            if (space)
            {
                raw.Append(' ');
                space = false;
            }

            raw.Append(c);
        }

        return raw.Length == 0
            ? $"line {diagnostic.LineNumber}: {diagnostic.Code}: {diagnostic.Reason}"
            : $"line {diagnostic.LineNumber}: {diagnostic.Code}: {diagnostic.Reason} | {raw}";
    }

    private static async Task<(IReadOnlyList<ArxivId>? Ids, string? Error)> ReadIdsAsync(string path, CancellationToken cancellationToken)
    {
        string[] lines;
        try
        {
            lines = await File.ReadAllLinesAsync(path, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return (null, $"cannot read the --ids file '{path}': {ex.Message}");
        }

        var ids = new List<ArxivId>(lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i].AsSpan().Trim();
            if (line.IsEmpty || line[0] == '#')
            {
                continue;
            }

            if (!ArxivId.TryParse(line, out var id, out string? error))
            {
                return (null, $"the --ids file '{path}' line {i + 1} is not an arXiv id: {error}");
            }

            ids.Add(id);
        }

        return (ids, null);
    }

    private static async IAsyncEnumerable<string> ReadChunksAsync(TextReader reader, ParseOutput output, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = new char[ChunkSize];
        int read;
        while (await output.FlushAsync(cancellationToken) && (read = await reader.ReadAsync(buffer.AsMemory(), cancellationToken)) > 0)
        {
            yield return new string(buffer, 0, read);
        }
    }

    /// <summary>
    /// The command's output: scores as JSON lines through one reused <see cref="Utf8JsonWriter"/> into one UTF-8 buffer,
    /// diagnostics as text; both written out in one piece by <see cref="FlushAsync"/> (to the raw standard output when
    /// there is one, else to <see cref="CliContext.Out"/>).
    /// </summary>
    private sealed class ParseOutput : IDisposable
    {
        private const int FlushThreshold = 64 * 1024;

        private readonly CliContext _context;
        private readonly Stream? _stdout;
        private readonly ArrayBufferWriter<byte> _scores = new(FlushThreshold + 4096);
        private readonly Utf8JsonWriter _json;
        private readonly StringBuilder _errors = new();

        public ParseOutput(CliContext context)
        {
            _context = context;
            _stdout = context.OpenStdoutStream?.Invoke();
            _json = new Utf8JsonWriter(_scores, WriterOptions);
        }

        public bool IsFull => _scores.WrittenCount >= FlushThreshold;

        /// <summary>Writes <c>{"arxivId":"2502.12851","version":2,"relevance":10,"novelty":9,"comment":"…"}</c>; version, novelty and comment only when known.</summary>
        public void WriteScore(PaperScore score)
        {
            if (!TryWritePlainScore(score))
            {
                WriteScoreWithJsonWriter(score);
            }

            _scores.GetSpan(1)[0] = (byte)'\n';
            _scores.Advance(1);
        }

        /// <summary>
        /// The common case without <see cref="Utf8JsonWriter"/>: when the id and comment are printable ASCII with no quote or
        /// backslash, the writer would copy them unescaped, so the line is assembled from literals and ASCII narrowing,
        /// byte for byte what <see cref="WriteScoreWithJsonWriter"/> writes (the writer's escaping check was a third of the command's CPU).
        /// </summary>
        private bool TryWritePlainScore(PaperScore score)
        {
            string id = score.PaperId.Id;
            string? comment = score.Comment;
            if (id.AsSpan().ContainsAnyExcept(PlainAscii) || (comment is not null && comment.AsSpan().ContainsAnyExcept(PlainAscii)))
            {
                return false;
            }

            var line = _scores.GetSpan(id.Length + (comment?.Length ?? 0) + 96);
            int at = Append(line, 0, "{\"arxivId\":\""u8);
            at += Ascii.FromUtf16(id, line[at..], out int written) == OperationStatus.Done ? written : throw new InvalidOperationException();
            at = Append(line, at, "\""u8);
            at = AppendNumber(line, at, ",\"version\":"u8, score.PaperId.Version);
            at = AppendNumber(line, at, ",\"relevance\":"u8, score.Relevance);
            at = AppendNumber(line, at, ",\"novelty\":"u8, score.Novelty);
            if (comment is not null)
            {
                at = Append(line, at, ",\"comment\":\""u8);
                at += Ascii.FromUtf16(comment, line[at..], out written) == OperationStatus.Done ? written : throw new InvalidOperationException();
                at = Append(line, at, "\""u8);
            }

            at = Append(line, at, "}"u8);
            _scores.Advance(at);
            return true;
        }

        private static int Append(Span<byte> line, int at, ReadOnlySpan<byte> text)
        {
            text.CopyTo(line[at..]);
            return at + text.Length;
        }

        private static int AppendNumber(Span<byte> line, int at, ReadOnlySpan<byte> name, int? value)
        {
            if (value is not { } number)
            {
                return at;
            }

            at = Append(line, at, name);
            return number.TryFormat(line[at..], out int written, provider: CultureInfo.InvariantCulture) ? at + written : throw new InvalidOperationException();
        }

        private void WriteScoreWithJsonWriter(PaperScore score)
        {
            _json.Reset();
            _json.WriteStartObject();
            _json.WriteString("arxivId", score.PaperId.Id);
            if (score.PaperId.Version is { } version)
            {
                _json.WriteNumber("version", version);
            }

            if (score.Relevance is { } relevance)
            {
                _json.WriteNumber("relevance", relevance);
            }

            if (score.Novelty is { } novelty)
            {
                _json.WriteNumber("novelty", novelty);
            }

            if (score.Comment is { } comment)
            {
                _json.WriteString("comment", comment);
            }

            _json.WriteEndObject();
            _json.Flush();
        }

        public void WriteError(string line) => _errors.Append(line).Append('\n');

        /// <summary>Writes what is buffered; returns <see langword="true"/> so a read loop can chain it.</summary>
        public async Task<bool> FlushAsync(CancellationToken cancellationToken)
        {
            if (_scores.WrittenCount > 0)
            {
                if (_stdout is not null)
                {
                    // Synchronous on purpose: the console stream has no asynchronous write, and Stream.WriteAsync would
                    // queue every buffer to the thread pool (a thread hop per 64 KB, and idle workers spinning).
                    _stdout.Write(_scores.WrittenSpan);
                }
                else
                {
                    await _context.Out.WriteAsync(Encoding.UTF8.GetString(_scores.WrittenSpan).AsMemory(), cancellationToken);
                }

                _scores.ResetWrittenCount();
            }

            if (_errors.Length > 0)
            {
                await _context.Error.WriteAsync(_errors, cancellationToken);
                _errors.Clear();
            }

            return true;
        }

        public void Dispose()
        {
            _json.Dispose();
            _stdout?.Dispose();
        }
    }

    /// <summary>
    /// Runs a callback (the output's flush) before each read of the wrapped input stream, and reads synchronously: a file
    /// or the console's standard input has no asynchronous read, and the base <see cref="Stream.ReadAsync(Memory{byte}, CancellationToken)"/>
    /// would run each 64 KB read on a thread-pool thread, so the parse would hop threads ~1,000 times per 60 MB.
    /// </summary>
    private sealed class FlushBeforeReadStream(Stream inner, Func<CancellationToken, Task<bool>> beforeRead) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await beforeRead(cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            return inner.Read(buffer.Span);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
