namespace ArxivRank.Sources;

/// <summary>
/// Where papers come from: arXiv's daily RSS feed, the export API, OAI-PMH, a snapshot, or anything else.
/// </summary>
/// <remarks>
/// A source that cannot serve part of a query (an RSS feed cannot go back in time) throws
/// <see cref="NotSupportedException"/> naming the source that can. A response that is unusable as a whole throws
/// <see cref="ArxivSourceException"/>; a single unusable item is skipped and reported in <see cref="SourceResult.Diagnostics"/>.
/// </remarks>
public interface IArxivSource
{
    /// <summary>Fetches the papers the query asks for.</summary>
    /// <param name="query">What to fetch.</param>
    /// <param name="cancellationToken">Cancels the fetch.</param>
    /// <returns>The papers, the announcement they belong to, the day's counts and a diagnostic per skipped item.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is <see langword="null"/>.</exception>
    /// <exception cref="NotSupportedException">This source cannot answer this kind of query.</exception>
    /// <exception cref="ArxivSourceException">A response was unusable as a whole, or arXiv reported an error.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    Task<SourceResult> FetchAsync(ArxivQuery query, CancellationToken cancellationToken = default);
}
