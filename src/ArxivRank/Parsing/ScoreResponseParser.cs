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
        var scanner = new ScoreAnswerScanner(reader);
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

    private async IAsyncEnumerable<ScoreParseEvent> ParseStreamingCoreAsync(IAsyncEnumerable<string> chunks, IReadOnlyCollection<ArxivId>? batchIds, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var sink = new QueueSink();
        using var reader = new ScoreRecordReader(_options, batchIds, sink);
        var scanner = new ScoreAnswerScanner(reader);
        await foreach (string chunk in chunks.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (string.IsNullOrEmpty(chunk))
            {
                continue;
            }

            scanner.Feed(chunk.AsSpan());
            while (sink.Events.TryDequeue(out var item))
            {
                yield return item;
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        scanner.Complete();
        while (sink.Events.TryDequeue(out var item))
        {
            yield return item;
        }

        yield return ScoreParseEvent.Completed(reader.GetMissingIds());
    }

    private sealed class ListSink : IScoreSink
    {
        public List<PaperScore> Scores { get; } = [];

        public List<ScoreParseDiagnostic> Diagnostics { get; } = [];

        public void OnScore(PaperScore score) => Scores.Add(score);

        public void OnDiagnostic(ScoreParseDiagnostic diagnostic) => Diagnostics.Add(diagnostic);
    }

    private sealed class QueueSink : IScoreSink
    {
        public Queue<ScoreParseEvent> Events { get; } = new();

        public void OnScore(PaperScore score) => Events.Enqueue(ScoreParseEvent.ForScore(score));

        public void OnDiagnostic(ScoreParseDiagnostic diagnostic) => Events.Enqueue(ScoreParseEvent.ForDiagnostic(diagnostic));
    }
}

/// <summary>First version: finds top-level objects by depth and string tracking. Replaced by the resynchronizing scanner.</summary>
internal sealed class ScoreAnswerScanner
{
    private readonly ScoreRecordReader _reader;
    private readonly StringBuilder _object = new();
    private int _line = 1;
    private int _objectLine;
    private int _depth;
    private bool _inString;
    private bool _escape;

    public ScoreAnswerScanner(ScoreRecordReader reader) => _reader = reader;

    public void Feed(ReadOnlySpan<char> chunk)
    {
        foreach (char c in chunk)
        {
            if (c == '\n')
            {
                _line++;
            }

            if (_depth == 0)
            {
                if (c == '{')
                {
                    _depth = 1;
                    _objectLine = _line;
                    _object.Clear().Append(c);
                }

                continue;
            }

            _object.Append(c);
            if (_inString)
            {
                if (_escape)
                {
                    _escape = false;
                }
                else if (c == '\\')
                {
                    _escape = true;
                }
                else if (c == '"')
                {
                    _inString = false;
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    _inString = true;
                    break;
                case '{' or '[':
                    _depth++;
                    break;
                case '}' or ']':
                    if (--_depth == 0)
                    {
                        _reader.ReadObject(_object.ToString().AsSpan(), _objectLine);
                    }

                    break;
            }
        }
    }

    public void Complete()
    {
        if (_depth > 0)
        {
            _reader.Report(_objectLine, ScoreParseDiagnosticCodes.Truncated, "The answer ends inside this object (the model was cut off).", _object.ToString().AsSpan());
        }
    }
}
