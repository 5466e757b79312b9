using System.Threading.Channels;
using ArxivRank.Scoring;

namespace ArxivRank.Pipeline;

/// <summary>
/// Where a scorer hands each model answer's scores the moment it is parsed, so they are committed one request at a time
/// and a crash re-asks at most the requests in flight. The score cache opens one around its inner scorer; the scorers
/// of this library (and the wrappers around them) find it as an ambient value, so it flows through rules and pre-screens.
/// </summary>
internal sealed class ScoreSink : IAsyncDisposable
{
    private static readonly AsyncLocal<ScoreSink?> Ambient = new();

    private readonly Channel<IReadOnlyList<PaperScore>> _queue = Channel.CreateUnbounded<IReadOnlyList<PaperScore>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<IReadOnlyList<PaperScore>, Task> _write;
    private readonly ScoreSink? _outer;
    private readonly Task _writer;

    private ScoreSink(Func<IReadOnlyList<PaperScore>, Task> write, IScoreCache cache)
    {
        _write = write;
        Cache = cache;
        _outer = Ambient.Value;
        Ambient.Value = this;
        _writer = Task.Run(DrainAsync);
    }

    /// <summary>Gets the sink of the current scoring call, if any.</summary>
    public static ScoreSink? Current => Ambient.Value;

    /// <summary>Gets the cache behind the sink, where a scorer may also keep its own intermediate verdicts (the title screen's) under its own keys.</summary>
    public IScoreCache Cache { get; }

    /// <summary>Opens a sink for the current async flow; scores offered to it are written in order by <paramref name="write"/>.</summary>
    public static ScoreSink Open(Func<IReadOnlyList<PaperScore>, Task> write, IScoreCache cache) => new(write, cache);

    /// <summary>Hands over scores just received; never blocks and never throws.</summary>
    public void Offer(IReadOnlyList<PaperScore> scores)
    {
        if (scores.Count > 0)
        {
            _queue.Writer.TryWrite([.. scores]);
        }
    }

    /// <summary>Detaches the sink and waits until every offered score is written (a write failure surfaces here).</summary>
    /// <remarks>Not <see langword="async"/> on purpose: the ambient value must be restored in the caller's flow.</remarks>
    public ValueTask DisposeAsync()
    {
        Ambient.Value = _outer;
        _queue.Writer.TryComplete();
        return new ValueTask(_writer);
    }

    private async Task DrainAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var scores))
            {
                await _write(scores).ConfigureAwait(false);
            }
        }
    }
}
