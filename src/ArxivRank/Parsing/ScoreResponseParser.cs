using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using ArxivRank.Scoring;

namespace ArxivRank.Parsing;

/// <summary>
/// Recovers every usable score from the raw text a model returned for a batch: JSON lines, pretty-printed objects,
/// arrays, <c>{"scores": […]}</c> wrappers, Markdown fences, prose, bullets, trailing commas, key aliases, scores as
/// numbers, strings or fractions. Whatever cannot be used becomes a <see cref="ScoreParseDiagnostic"/>, never an exception.
/// </summary>
/// <remarks>
/// The accepted shapes, the rounding rule and the diagnostic codes are documented in docs/parser.md.
/// An instance holds only its options: it is immutable and safe to share between threads.
/// </remarks>
public sealed class ScoreResponseParser
{
    private const int StreamBufferSize = 64 * 1024;

    private readonly ScoreParserOptions _options;

    /// <summary>Initializes a new instance of the <see cref="ScoreResponseParser"/> class.</summary>
    /// <param name="options">How to read scores; <see langword="null"/> for the defaults (1–10, halves rounded away from zero).</param>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public ScoreResponseParser(ScoreParserOptions? options = null)
    {
        var copy = new ScoreParserOptions();
        if (options is not null)
        {
            copy.MinScore = options.MinScore;
            copy.MaxScore = options.MaxScore;
            copy.Rounding = options.Rounding;
            copy.RequireNovelty = options.RequireNovelty;
        }

        copy.Validate();
        _options = copy;
    }

    /// <summary>Parses a whole answer.</summary>
    /// <param name="response">The text the model returned.</param>
    /// <param name="batchIds">The ids that were in the batch, or <see langword="null"/> to accept any id. When given, a record for an id outside the batch is rejected with an <c>unknown-id</c> diagnostic, and the ids no record covered are returned in <see cref="ScoreParseResult.MissingIds"/>.</param>
    /// <returns>The scores, the diagnostics and the missing ids.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="response"/> is <see langword="null"/>.</exception>
    public ScoreParseResult Parse(string response, IReadOnlyCollection<ArxivId>? batchIds = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        var sink = new ListSink();
        using var reader = new ScoreRecordReader(_options, batchIds, sink);
        using var scanner = new ScoreAnswerScanner(reader);
        scanner.Feed(response.AsSpan());
        scanner.Complete();
        return new ScoreParseResult(sink.Scores, sink.Diagnostics, reader.GetMissingIds());
    }

    /// <summary>
    /// Parses an answer while it streams in: yields each score (or diagnostic) as soon as its object is complete, whatever
    /// the chunk boundaries, and ends with a <see cref="ScoreParseEventKind.Completed"/> item carrying the missing ids.
    /// The items are the same, in the same order, as <see cref="Parse"/> returns for the concatenated text.
    /// </summary>
    /// <param name="chunks">The text of the answer, in pieces of any size.</param>
    /// <param name="batchIds">The ids that were in the batch, or <see langword="null"/> to accept any id (see <see cref="Parse"/>).</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    /// <returns>The scores and diagnostics as they are found, then the completion.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="chunks"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public IAsyncEnumerable<ScoreParseEvent> ParseStreamingAsync(IAsyncEnumerable<string> chunks, IReadOnlyCollection<ArxivId>? batchIds = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        return ParseStreamingCoreAsync(chunks, batchIds, cancellationToken);
    }

    /// <summary>
    /// Parses an answer read from a stream of UTF-8 bytes (a file, standard input, a response body, a Batch API output
    /// file) while it streams in, without building a string per chunk: the same items, in the same order, as
    /// <see cref="Parse"/> returns for the decoded text, ending with a <see cref="ScoreParseEventKind.Completed"/> item.
    /// </summary>
    /// <param name="utf8Answer">The answer as UTF-8; a byte order mark is skipped and invalid bytes read as U+FFFD. Read to its end, not disposed.</param>
    /// <param name="batchIds">The ids that were in the batch, or <see langword="null"/> to accept any id (see <see cref="Parse"/>).</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    /// <returns>The scores and diagnostics as they are found, then the completion.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="utf8Answer"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="utf8Answer"/> cannot be read.</exception>
    /// <exception cref="IOException">Reading the stream failed (thrown while enumerating).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    /// <remarks>For a <c>System.IO.Pipelines.PipeReader</c>, pass <c>pipeReader.AsStream()</c>.</remarks>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in their first parameter's type (text chunks or a byte stream), so a call never binds ambiguously; the same shape as JsonSerializer.DeserializeAsync.")]
    public IAsyncEnumerable<ScoreParseEvent> ParseStreamingAsync(Stream utf8Answer, IReadOnlyCollection<ArxivId>? batchIds = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(utf8Answer);
        if (!utf8Answer.CanRead)
        {
            throw new ArgumentException("The answer stream cannot be read.", nameof(utf8Answer));
        }

        return ParseStreamCoreAsync(utf8Answer, batchIds, cancellationToken);
    }

    private async IAsyncEnumerable<ScoreParseEvent> ParseStreamCoreAsync(Stream stream, IReadOnlyCollection<ArxivId>? batchIds, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var session = new StreamingSession(_options, batchIds);
        var decoder = Encoding.UTF8.GetDecoder();
        byte[] bytes = ArrayPool<byte>.Shared.Rent(StreamBufferSize);
        char[] chars = ArrayPool<char>.Shared.Rent(Encoding.UTF8.GetMaxCharCount(StreamBufferSize));
        try
        {
            bool atStart = true;
            int read;
            do
            {
                read = await stream.ReadAsync(bytes.AsMemory(0, StreamBufferSize), cancellationToken).ConfigureAwait(false);
                int count = decoder.GetChars(bytes, 0, read, chars, 0, flush: read == 0);
                var text = chars.AsSpan(0, count);
                if (atStart && count > 0)
                {
                    atStart = false;
                    text = text[0] == '\uFEFF' ? text[1..] : text;
                }

                session.Scanner.Feed(text);
                while (session.Events.TryDequeue(out var item))
                {
                    yield return item;
                }
            }
            while (read > 0);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
            ArrayPool<char>.Shared.Return(chars);
        }

        cancellationToken.ThrowIfCancellationRequested();
        foreach (var item in session.Complete())
        {
            yield return item;
        }
    }

    private async IAsyncEnumerable<ScoreParseEvent> ParseStreamingCoreAsync(IAsyncEnumerable<string> chunks, IReadOnlyCollection<ArxivId>? batchIds, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var session = new StreamingSession(_options, batchIds);
        await foreach (string chunk in chunks.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (string.IsNullOrEmpty(chunk))
            {
                continue;
            }

            session.Scanner.Feed(chunk.AsSpan());
            while (session.Events.TryDequeue(out var item))
            {
                yield return item;
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        foreach (var item in session.Complete())
        {
            yield return item;
        }
    }

    private sealed class ListSink : IScoreSink
    {
        public List<PaperScore> Scores { get; } = [];

        public List<ScoreParseDiagnostic> Diagnostics { get; } = [];

        public void OnScore(PaperScore score) => Scores.Add(score);

        public void OnDiagnostic(ScoreParseDiagnostic diagnostic) => Diagnostics.Add(diagnostic);
    }

    /// <summary>One streaming parse: the scanner and record reader, and the items found but not yet yielded.</summary>
    private sealed class StreamingSession : IScoreSink, IDisposable
    {
        private readonly ScoreRecordReader _reader;

        public StreamingSession(ScoreParserOptions options, IReadOnlyCollection<ArxivId>? batchIds)
        {
            _reader = new ScoreRecordReader(options, batchIds, this);
            Scanner = new ScoreAnswerScanner(_reader);
        }

        public ScoreAnswerScanner Scanner { get; }

        public Queue<ScoreParseEvent> Events { get; } = new();

        public void OnScore(PaperScore score) => Events.Enqueue(ScoreParseEvent.ForScore(score));

        public void OnDiagnostic(ScoreParseDiagnostic diagnostic) => Events.Enqueue(ScoreParseEvent.ForDiagnostic(diagnostic));

        /// <summary>Ends the answer and returns the last items, the completion (with the missing ids) last.</summary>
        public IEnumerable<ScoreParseEvent> Complete()
        {
            Scanner.Complete();
            Events.Enqueue(ScoreParseEvent.Completed(_reader.GetMissingIds()));
            return Events;
        }

        public void Dispose()
        {
            Scanner.Dispose();
            _reader.Dispose();
        }
    }
}
