using System.Net;
using ArxivRank.Sources;

namespace ArxivRank.Cli.Daily;

/// <summary>
/// The transport under the arXiv source's resilience pipeline. A host that cannot be resolved or that refuses the
/// connection is not a transient fault worth minutes of backoff: it becomes a <see cref="HostUnreachableException"/>,
/// which the retry strategy does not handle, so <c>digest</c> on a machine without internet fails in seconds.
/// </summary>
internal sealed class FailFastHandler() : DelegatingHandler(new SocketsHttpHandler
{
    MaxConnectionsPerServer = 1,
    AutomaticDecompression = DecompressionMethods.All,
    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    ConnectTimeout = TimeSpan.FromSeconds(20),
})
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError)
        {
            throw new HostUnreachableException(request.RequestUri, ex);
        }
    }
}

/// <summary>The arXiv host could not be resolved or refused the connection.</summary>
internal sealed class HostUnreachableException(Uri? uri, HttpRequestException inner)
    : ArxivSourceException($"{uri?.Host ?? "the host"}: {Describe(inner)}", uri, null, null, inner)
{
    private static string Describe(HttpRequestException ex) => ex.HttpRequestError == HttpRequestError.NameResolutionError
        ? "the name could not be resolved"
        : ex.InnerException?.Message ?? ex.Message;
}
