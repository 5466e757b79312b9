using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace ArxivRank.TestUtilities.Arxiv;

/// <summary>
/// A loopback arXiv: a real Kestrel server on 127.0.0.1 (a free port) that answers <c>/rss/{q}</c>, <c>/atom/{q}</c>,
/// <c>/api/query</c> and <c>/oai</c> like arXiv does, injects scripted faults, and records every request with its time.
/// Point a source at <see cref="BaseUrl"/> (<c>ArxivSourceOptions.BaseUrl</c>, <c>arxivrank fetch --base-url</c>).
/// </summary>
/// <remarks>
/// <para>Answers, unless a test sets its own: the daily feed of any known category is generated from <see cref="Catalog"/>
/// (papers whose categories include it) dated <see cref="AnnouncementDate"/>; an unknown category gets arXiv's HTTP 400
/// "Feed error for query". The export API pages through <see cref="Catalog"/> (id_list, cat: terms, start, max_results);
/// OAI-PMH pages through it <see cref="OaiPageSize"/> records at a time with resumption tokens, listing
/// <see cref="DeletedRecords"/> on the first page, and answers <c>noRecordsMatch</c> when nothing matches.</para>
/// <para>With a <see cref="FakeTimeProvider"/>, send through <see cref="CreateClientHandler"/> and run the code under test
/// with <see cref="RunAsync{T}"/>, which advances the fake clock only while no real I/O is pending, so nothing sleeps.</para>
/// </remarks>
public sealed partial class ArxivDouble : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, (int Status, string Body)> _rss = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (int Status, string Body)> _atom = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ArxivEndpoint, ConcurrentQueue<ArxivFault>> _faults = new();
    private readonly List<ArxivRequest> _requests = [];
    private readonly Lock _lock = new();
    private int _hanging;
    private int _clientInFlight;

    private ArxivDouble(WebApplication app, TimeProvider timeProvider)
    {
        _app = app;
        TimeProvider = timeProvider;
    }

    /// <summary>Gets the address to use as base URL: <c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Gets the clock requests are timed with.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Gets or sets the papers the generated answers are made of (the reference digests' papers by default).</summary>
    public IList<Paper> Catalog { get; set; } = [.. ReferenceDigest.AllEntries().Select(e => e.Paper)];

    /// <summary>Gets or sets the announcement day of generated daily feeds.</summary>
    public DateOnly AnnouncementDate { get; set; } = new(2025, 2, 26);

    /// <summary>Gets the categories whose daily feed exists; the catalog's categories count too.</summary>
    public ISet<string> KnownCategories { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "cs", "cs.AI", "cs.CL", "cs.CV", "cs.LG", "cs.NE", "cs.RO", "math", "math.PR", "math.OC", "stat", "stat.ML", "q-bio.NC", "physics", "hep-th",
    };

    /// <summary>Gets or sets the records per generated OAI-PMH page.</summary>
    public int OaiPageSize { get; set; } = 1000;

    /// <summary>Gets the identifiers listed as deleted records on the first OAI-PMH page.</summary>
    public IList<ArxivId> DeletedRecords { get; } = [];

    /// <summary>Gets or sets a custom export-API answer; return <see langword="null"/> to fall back to the generated one.</summary>
    public Func<ArxivRequest, (int Status, string Body)?>? ApiResponder { get; set; }

    /// <summary>Gets or sets a custom OAI-PMH answer; return <see langword="null"/> to fall back to the generated one.</summary>
    public Func<ArxivRequest, (int Status, string Body)?>? OaiResponder { get; set; }

    /// <summary>Gets every request received so far, in order.</summary>
    public IReadOnlyList<ArxivRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Gets the number of requests currently held by a <see cref="ArxivFault.Hang"/> or <see cref="ArxivFault.StalledBody"/> fault.</summary>
    public int HangingRequests => Volatile.Read(ref _hanging);

    /// <summary>Starts a double on 127.0.0.1 and a free port.</summary>
    /// <param name="timeProvider">The clock requests are timed with (a test's fake clock); the system clock by default.</param>
    public static async Task<ArxivDouble> StartAsync(TimeProvider? timeProvider = null)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        var arxiv = new ArxivDouble(app, timeProvider ?? TimeProvider.System);
        app.Run(arxiv.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        arxiv.BaseUrl = new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
        return arxiv;
    }

    /// <summary>Serves this document at <c>/rss/{query}</c> (a fixture file's text), with the given status.</summary>
    public ArxivDouble SetRss(string query, string xml, int statusCode = 200)
    {
        _rss[query] = (statusCode, xml);
        return this;
    }

    /// <summary>Serves this document at <c>/atom/{query}</c>.</summary>
    public ArxivDouble SetAtom(string query, string xml, int statusCode = 200)
    {
        _atom[query] = (statusCode, xml);
        return this;
    }

    /// <summary>Answers the next requests to <paramref name="endpoint"/> with these faults, one each, then normally again.</summary>
    public ArxivDouble Enqueue(ArxivEndpoint endpoint, params ArxivFault[] faults)
    {
        var queue = _faults.GetOrAdd(endpoint, _ => new ConcurrentQueue<ArxivFault>());
        foreach (var fault in faults)
        {
            queue.Enqueue(fault);
        }

        return this;
    }

    /// <summary>Forgets the recorded requests.</summary>
    public void ClearRequests()
    {
        lock (_lock)
        {
            _requests.Clear();
        }
    }

    /// <summary>
    /// Creates the transport for a source under test (one connection, like production) that tells the double when a
    /// request is in flight, so <see cref="RunAsync{T}"/> never advances a fake clock under real I/O.
    /// </summary>
    public HttpMessageHandler CreateClientHandler()
        => new TrackingHandler(this) { InnerHandler = new SocketsHttpHandler { MaxConnectionsPerServer = 1, AutomaticDecompression = DecompressionMethods.All } };

    /// <summary>
    /// Runs <paramref name="action"/> while advancing <paramref name="clock"/> by <paramref name="step"/> whenever no real
    /// request is in flight (a request held by <see cref="ArxivFault.Hang"/> does not count), so pacing, retry delays and
    /// time-outs elapse on the fake clock without sleeping.
    /// </summary>
    /// <exception cref="TimeoutException">The fake clock passed <paramref name="limit"/> (one hour by default) first.</exception>
    public async Task<T> RunAsync<T>(FakeTimeProvider clock, Func<Task<T>> action, TimeSpan? step = null, TimeSpan? limit = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(action);
        var task = Task.Run(action);
        var advance = step ?? TimeSpan.FromMilliseconds(500);
        var end = clock.GetUtcNow() + (limit ?? TimeSpan.FromHours(1));
        int idle = 0;
        while (!task.IsCompleted)
        {
            await Task.WhenAny(task, Task.Delay(2));
            if (task.IsCompleted)
            {
                break;
            }

            if (Volatile.Read(ref _clientInFlight) > Volatile.Read(ref _hanging))
            {
                idle = 0;
                continue;
            }

            if (++idle < 2)
            {
                continue;
            }

            if (clock.GetUtcNow() >= end)
            {
                throw new TimeoutException($"The fake clock passed {limit ?? TimeSpan.FromHours(1)} before the action completed.");
            }

            clock.Advance(advance);
        }

        return await task;
    }

    /// <summary>Runs an action that returns nothing; see <see cref="RunAsync{T}"/>.</summary>
    public Task RunAsync(FakeTimeProvider clock, Func<Task> action, TimeSpan? step = null, TimeSpan? limit = null)
        => RunAsync(clock, async () =>
        {
            await action();
            return true;
        }, step, limit);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        string path = context.Request.Path.Value ?? "/";
        ArxivEndpoint? endpoint = path.StartsWith("/rss/", StringComparison.Ordinal) ? ArxivEndpoint.Rss
            : path.StartsWith("/atom/", StringComparison.Ordinal) ? ArxivEndpoint.Atom
            : path == "/api/query" ? ArxivEndpoint.Api
            : path == "/oai" ? ArxivEndpoint.Oai
            : null;
        if (endpoint is not { } ep)
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsync("Not Found");
            return;
        }

        ArxivFault? fault = _faults.TryGetValue(ep, out var queue) && queue.TryDequeue(out var f) ? f : null;
        ArxivRequest request;
        lock (_lock)
        {
            request = new ArxivRequest(_requests.Count + 1, ep, path, context.Request.QueryString.Value ?? string.Empty, TimeProvider.GetUtcNow(), context.Request.Headers.UserAgent.ToString(), fault?.Name);
            _requests.Add(request);
        }

        switch (fault)
        {
            case ArxivFault.StatusFault status:
                context.Response.StatusCode = status.StatusCode;
                if (status.RetryAfter is { } retryAfter)
                {
                    context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                context.Response.ContentType = status.ContentType;
                await context.Response.WriteAsync(status.Body);
                return;
            case ArxivFault.HangFault:
                await HangAsync(context);
                return;
        }

        var (statusCode, body, contentType) = Answer(ep, path, request);
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = contentType;
        byte[] bytes = Encoding.UTF8.GetBytes(body);
        if (fault is ArxivFault.TruncatedFault truncated)
        {
            int keep = (int)(bytes.Length * truncated.KeepFraction);
            if (truncated.AbortConnection)
            {
                context.Response.ContentLength = bytes.Length;
                await context.Response.Body.WriteAsync(bytes.AsMemory(0, keep));
                await context.Response.Body.FlushAsync();
                context.Abort();
            }
            else
            {
                await context.Response.Body.WriteAsync(bytes.AsMemory(0, keep));
            }

            return;
        }

        if (fault is ArxivFault.StalledFault stalled)
        {
            context.Response.ContentLength = bytes.Length;
            await context.Response.Body.WriteAsync(bytes.AsMemory(0, (int)(bytes.Length * stalled.KeepFraction)));
            await context.Response.Body.FlushAsync();
            await HangAsync(context);
            context.Abort();
            return;
        }

        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes);
    }

    private async Task HangAsync(HttpContext context)
    {
        Interlocked.Increment(ref _hanging);
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
            await Task.Delay(Timeout.Infinite, linked.Token);
        }
        catch (OperationCanceledException)
        {
            // The client gave up, or the double stops.
        }
        finally
        {
            Interlocked.Decrement(ref _hanging);
        }
    }

    private (int Status, string Body, string ContentType) Answer(ArxivEndpoint endpoint, string path, ArxivRequest request)
    {
        switch (endpoint)
        {
            case ArxivEndpoint.Rss:
            case ArxivEndpoint.Atom:
                string query = Uri.UnescapeDataString(path[(path.IndexOf('/', 1) + 1)..]);
                var documents = endpoint == ArxivEndpoint.Rss ? _rss : _atom;
                if (documents.TryGetValue(query, out var doc))
                {
                    return (doc.Status, doc.Body, endpoint == ArxivEndpoint.Rss ? "application/rss+xml; charset=utf-8" : "application/atom+xml; charset=utf-8");
                }

                var categories = query.Split('+', StringSplitOptions.RemoveEmptyEntries);
                var known = new HashSet<string>(KnownCategories, StringComparer.Ordinal);
                known.UnionWith(Catalog.SelectMany(p => p.Categories));
                if (categories.Length == 0 || categories.Any(c => !known.Contains(c)))
                {
                    return (400, ArxivFeedWriter.RssFeedError(query), "application/rss+xml; charset=utf-8");
                }

                var papers = Catalog.Where(p => p.Categories.Any(c => categories.Any(q => c == q || c.StartsWith(q + ".", StringComparison.Ordinal))));
                return (200, ArxivFeedWriter.Rss(query, AnnouncementDate, papers), "application/rss+xml; charset=utf-8");

            case ArxivEndpoint.Api:
                if (ApiResponder?.Invoke(request) is { } api)
                {
                    return (api.Status, api.Body, "application/atom+xml; charset=utf-8");
                }

                return ApiAnswer(request);

            default:
                if (OaiResponder?.Invoke(request) is { } oai)
                {
                    return (oai.Status, oai.Body, "text/xml; charset=utf-8");
                }

                return OaiAnswer(request);
        }
    }

    private (int, string, string) ApiAnswer(ArxivRequest request)
    {
        const string contentType = "application/atom+xml; charset=utf-8";
        int start = int.TryParse(request.QueryValue("start"), CultureInfo.InvariantCulture, out int s) ? s : 0;
        int max = int.TryParse(request.QueryValue("max_results"), CultureInfo.InvariantCulture, out int m) ? m : 10;
        if (max > 2000 || start + max > 30000)
        {
            return (400, ArxivFeedWriter.ApiError("max_results must be at most 2000 and start + max_results at most 30000"), contentType);
        }

        IEnumerable<Paper> matches = Catalog;
        if (request.QueryValue("id_list") is { Length: > 0 } idList)
        {
            var ids = new List<ArxivId>();
            foreach (var text in idList.Split(','))
            {
                if (!ArxivId.TryParse(text, out var id))
                {
                    return (400, ArxivFeedWriter.ApiError("incorrect id format for " + text), contentType);
                }

                ids.Add(id);
            }

            matches = Catalog.Where(p => ids.Any(i => i.SamePaperAs(p.Id)));
        }
        else if (request.QueryValue("search_query") is { Length: > 0 } search)
        {
            var cats = CatRegex().Matches(search).Select(x => x.Groups[1].Value.TrimEnd('*').TrimEnd('.')).ToList();
            matches = Catalog.Where(p => cats.Count == 0 || p.Categories.Any(c => cats.Any(q => c == q || c.StartsWith(q + ".", StringComparison.Ordinal))));
        }

        var all = matches.ToList();
        return (200, ArxivFeedWriter.Api(all.Skip(start).Take(max), all.Count, start, max), contentType);
    }

    private (int, string, string) OaiAnswer(ArxivRequest request)
    {
        const string contentType = "text/xml; charset=utf-8";
        int page = 0;
        if (request.QueryValue("resumptionToken") is { } token)
        {
            if (!token.StartsWith("double|", StringComparison.Ordinal) || !int.TryParse(token.AsSpan(7), CultureInfo.InvariantCulture, out page))
            {
                return (200, ArxivFeedWriter.OaiError("badResumptionToken", "Invalid or expired resumptionToken"), contentType);
            }
        }
        else if (request.QueryValue("verb") != "ListRecords" || request.QueryValue("metadataPrefix") is null)
        {
            return (200, ArxivFeedWriter.OaiError("badArgument", "Illegal arguments"), contentType);
        }

        string? set = request.QueryValue("set");
        var records = Catalog.Where(p => set is null || p.Categories.Any(c => c.StartsWith(set.Replace("physics:", "", StringComparison.Ordinal), StringComparison.Ordinal))).ToList();
        if (records.Count == 0 && DeletedRecords.Count == 0)
        {
            return (200, ArxivFeedWriter.OaiError("noRecordsMatch", "No records match the criteria"), contentType);
        }

        int from = page * OaiPageSize;
        var slice = records.Skip(from).Take(OaiPageSize);
        bool last = from + OaiPageSize >= records.Count;
        string? next = last ? null : "double|" + (page + 1).ToString(CultureInfo.InvariantCulture);
        return (200, ArxivFeedWriter.Oai(slice, page == 0 ? DeletedRecords : [], next, from, records.Count + DeletedRecords.Count), contentType);
    }

    [GeneratedRegex(@"cat:([\w.\-*]+)")]
    private static partial Regex CatRegex();

    private sealed class TrackingHandler(ArxivDouble owner) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref owner._clientInFlight);
            try
            {
                return await base.SendAsync(request, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref owner._clientInFlight);
            }
        }
    }
}
