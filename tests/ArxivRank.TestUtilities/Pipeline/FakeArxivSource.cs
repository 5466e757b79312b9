using ArxivRank.Sources;

namespace ArxivRank.TestUtilities.Pipeline;

/// <summary>A hand-written <see cref="IArxivSource"/>: returns a scripted result per call and records every query.</summary>
public sealed class FakeArxivSource : IArxivSource
{
    private readonly List<ArxivQuery> _queries = [];

    /// <summary>Gets or sets what a fetch returns; by default <see cref="Result"/>.</summary>
    public Func<ArxivQuery, CancellationToken, Task<SourceResult>>? FetchAsyncCallback { get; set; }

    /// <summary>Gets or sets the result returned when no callback is set.</summary>
    public SourceResult Result { get; set; } = new();

    /// <summary>Gets the queries received, in order.</summary>
    public IReadOnlyList<ArxivQuery> Queries => _queries;

    /// <summary>Creates a source that announces <paramref name="papers"/> on <paramref name="day"/>, and says "no new announcement" when asked with that day already processed, as the RSS source does.</summary>
    public static FakeArxivSource ForDay(DateOnly day, IReadOnlyList<Paper> papers)
    {
        var source = new FakeArxivSource();
        source.FetchAsyncCallback = (query, _) => Task.FromResult(
            query.LastProcessedAnnouncement == day
                ? SourceResult.NoNewAnnouncement(day)
                : new SourceResult
                {
                    AnnouncementDate = day,
                    Papers = papers,
                    Counts = new SourceCounts { TotalItems = papers.Count, Kept = papers.Count, Unique = papers.Count },
                });
        return source;
    }

    public Task<SourceResult> FetchAsync(ArxivQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        _queries.Add(query);
        return FetchAsyncCallback?.Invoke(query, cancellationToken) ?? Task.FromResult(Result);
    }
}
