using System.Globalization;

namespace ArxivRank.Sources;

/// <summary>
/// How the arXiv sources reach arXiv: where, how politely and how resiliently. One options object serves the RSS,
/// export-API and OAI-PMH sources alike. Defaults follow arXiv's terms of use (one request every 3 seconds, one
/// connection, a descriptive User-Agent); see docs/sources.md.
/// </summary>
public sealed class ArxivSourceOptions
{
    /// <summary>The default address of the daily RSS feeds.</summary>
    public static readonly Uri DefaultRssBaseUrl = new("https://rss.arxiv.org/");

    /// <summary>The default address of the export API.</summary>
    public static readonly Uri DefaultApiBaseUrl = new("https://export.arxiv.org/");

    /// <summary>The default address of the OAI-PMH endpoint (arXiv's base URL since February 2025).</summary>
    public static readonly Uri DefaultOaiBaseUrl = new("https://arxiv.org/");

    /// <summary>Gets or sets one host that replaces all three arXiv hosts, keeping arXiv's paths (a mirror, a proxy, a test double).</summary>
    /// <value>
    /// <see langword="null"/> by default (arXiv's own hosts). With <c>http://127.0.0.1:8080</c>, RSS goes to
    /// <c>http://127.0.0.1:8080/rss/cs.LG</c>, the API to <c>/api/query</c> and OAI-PMH to <c>/oai</c>. A path prefix is kept.
    /// </value>
    public Uri? BaseUrl { get; set; }

    /// <summary>Gets or sets the host of the daily RSS feeds, used when <see cref="BaseUrl"/> is not set.</summary>
    /// <value><c>https://rss.arxiv.org/</c>.</value>
    public Uri RssBaseUrl { get; set; } = DefaultRssBaseUrl;

    /// <summary>Gets or sets the host of the export API, used when <see cref="BaseUrl"/> is not set.</summary>
    /// <value><c>https://export.arxiv.org/</c>.</value>
    public Uri ApiBaseUrl { get; set; } = DefaultApiBaseUrl;

    /// <summary>Gets or sets the host of the OAI-PMH endpoint, used when <see cref="BaseUrl"/> is not set.</summary>
    /// <value><c>https://arxiv.org/</c>.</value>
    public Uri OaiBaseUrl { get; set; } = DefaultOaiBaseUrl;

    /// <summary>Gets or sets how someone at arXiv can reach whoever runs this client: an e-mail address or a URL, sent in the User-Agent.</summary>
    /// <value>The project's address by default; set your own e-mail address when you run ArxivRank regularly.</value>
    public string Contact { get; set; } = "https://github.com/arxivrank/arxivrank";

    /// <summary>Gets or sets the complete User-Agent header, replacing the default one.</summary>
    /// <value><see langword="null"/> by default, meaning <c>ArxivRank/{version} (+{Contact})</c>.</value>
    public string? UserAgent { get; set; }

    /// <summary>
    /// Gets or sets the least time between the starts of two requests to arXiv, for all sources and clients of the
    /// process together (retries included).
    /// </summary>
    /// <value>3 seconds, arXiv's rule. A mirror or a test host may allow less; <see cref="TimeSpan.Zero"/> disables pacing.</value>
    public TimeSpan MinRequestInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Gets or sets a value indicating whether <see cref="MinRequestInterval"/> is kept across processes too: every process
    /// of this user on this machine (cron runs, the Host, <c>arxivrank fetch</c>) shares one gate per host through a lock
    /// file in <see cref="PacingLockDirectory"/>.
    /// </summary>
    /// <value><see langword="true"/> by default. Applies only with the system clock (a test's fake clock paces its own process).</value>
    public bool SharePacingAcrossProcesses { get; set; } = true;

    /// <summary>Gets or sets the folder of the shared pacing lock files (one per host and port).</summary>
    /// <value><see langword="null"/> by default: <c>arxivrank/pacing</c> in the user's local application data folder.</value>
    public string? PacingLockDirectory { get; set; }

    /// <summary>Gets or sets a value indicating whether the RSS source fetches one feed per category (paced) rather than one combined feed.</summary>
    /// <value>
    /// <see langword="true"/> by default: only separate feeds carry each category's announcement date, which is how a
    /// stale category feed is detected. A combined feed (<c>cs.LG+cs.AI</c>) costs one request but cannot be checked.
    /// </value>
    public bool RssFeedPerCategory { get; set; } = true;

    /// <summary>Gets or sets the number of results the export API is asked for per page.</summary>
    /// <value>1,000 by default; arXiv allows at most 2,000.</value>
    public int ApiPageSize { get; set; } = 1000;

    /// <summary>Gets or sets the most results the export API source reads for one query; the rest is reported in a diagnostic.</summary>
    /// <value>30,000 by default, arXiv's own limit (more gives HTTP 400).</value>
    public int ApiMaxResults { get; set; } = 30_000;

    /// <summary>Gets or sets the most OAI-PMH pages (resumption tokens) followed for one set.</summary>
    /// <value>10,000 by default: a guard against a server that never ends the list.</value>
    public int OaiMaxPages { get; set; } = 10_000;

    /// <summary>Gets or sets how many times a failed request (HTTP 429, 5xx, 408, a network error, an attempt time-out) is retried.</summary>
    /// <value>4 by default; 0 disables retries.</value>
    public int MaxRetryAttempts { get; set; } = 4;

    /// <summary>Gets or sets the first retry delay; later ones grow exponentially, with jitter. A <c>Retry-After</c> header wins.</summary>
    /// <value>5 seconds by default.</value>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets the longest delay before a retry, including one asked for by <c>Retry-After</c>.</summary>
    /// <value>2 minutes by default.</value>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets or sets how long one attempt may wait for the response headers.</summary>
    /// <value>60 seconds by default.</value>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets how long one request may take with all its retries, delays and pacing.</summary>
    /// <value>10 minutes by default.</value>
    public TimeSpan TotalRequestTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets or sets how long a response body may take to arrive and be parsed once its headers arrived.</summary>
    /// <value>5 minutes by default (an OAI-PMH page can be tens of megabytes).</value>
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets the share of failed requests, within <see cref="CircuitBreakerSamplingDuration"/>, that opens the circuit.</summary>
    /// <value>0.5 by default.</value>
    public double CircuitBreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Gets or sets the least number of requests within the sampling duration before the circuit may open.</summary>
    /// <value>6 by default (arXiv's pacing allows about 20 requests a minute, so the usual 100 would never trip).</value>
    public int CircuitBreakerMinimumThroughput { get; set; } = 6;

    /// <summary>Gets or sets the window over which failures are counted for the circuit breaker.</summary>
    /// <value>5 minutes by default.</value>
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets how long the circuit stays open (requests fail at once) before one trial request.</summary>
    /// <value>1 minute by default.</value>
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromMinutes(1);

    internal Uri EffectiveRssBaseUrl => EnsureTrailingSlash(BaseUrl ?? RssBaseUrl);

    internal Uri EffectiveApiBaseUrl => EnsureTrailingSlash(BaseUrl ?? ApiBaseUrl);

    internal Uri EffectiveOaiBaseUrl => EnsureTrailingSlash(BaseUrl ?? OaiBaseUrl);

    internal string EffectiveUserAgent
        => string.IsNullOrWhiteSpace(UserAgent)
            ? string.Create(CultureInfo.InvariantCulture, $"ArxivRank/{typeof(ArxivSourceOptions).Assembly.GetName().Version?.ToString(3) ?? "0"} (+{Contact.Trim()})")
            : UserAgent.Trim();

    /// <summary>Returns a copy, so later changes to this instance do not reach sources already built.</summary>
    internal ArxivSourceOptions Clone() => (ArxivSourceOptions)MemberwiseClone();

    /// <summary>Checks every option and names the first wrong one.</summary>
    /// <returns>The problems found, empty when the options are valid.</returns>
    internal IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        CheckUrl(errors, nameof(BaseUrl), BaseUrl, optional: true);
        CheckUrl(errors, nameof(RssBaseUrl), RssBaseUrl, optional: false);
        CheckUrl(errors, nameof(ApiBaseUrl), ApiBaseUrl, optional: false);
        CheckUrl(errors, nameof(OaiBaseUrl), OaiBaseUrl, optional: false);
        if (string.IsNullOrWhiteSpace(Contact) && string.IsNullOrWhiteSpace(UserAgent))
        {
            errors.Add($"{nameof(ArxivSourceOptions)}.{nameof(Contact)} must name a way to reach you (e-mail or URL): arXiv asks for a descriptive User-Agent.");
        }

        if (ContainsLineBreak(Contact) || ContainsLineBreak(UserAgent))
        {
            errors.Add($"{nameof(ArxivSourceOptions)}.{nameof(Contact)} and {nameof(UserAgent)} must not contain line breaks.");
        }

        CheckRange(errors, nameof(MinRequestInterval), MinRequestInterval, TimeSpan.Zero, TimeSpan.FromHours(1));
        CheckRange(errors, nameof(ApiPageSize), ApiPageSize, 1, 2000, "arXiv serves at most 2,000 results per page");
        CheckRange(errors, nameof(ApiMaxResults), ApiMaxResults, 1, 30_000, "arXiv serves at most 30,000 results per query");
        CheckRange(errors, nameof(OaiMaxPages), OaiMaxPages, 1, 1_000_000, null);
        CheckRange(errors, nameof(MaxRetryAttempts), MaxRetryAttempts, 0, 100, null);
        CheckRange(errors, nameof(RetryBaseDelay), RetryBaseDelay, TimeSpan.Zero, TimeSpan.FromHours(1));
        CheckRange(errors, nameof(MaxRetryDelay), MaxRetryDelay, TimeSpan.Zero, TimeSpan.FromHours(24));
        CheckRange(errors, nameof(AttemptTimeout), AttemptTimeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(24));
        CheckRange(errors, nameof(TotalRequestTimeout), TotalRequestTimeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(24));
        CheckRange(errors, nameof(ReadTimeout), ReadTimeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(24));
        if (TotalRequestTimeout < AttemptTimeout)
        {
            errors.Add($"{nameof(ArxivSourceOptions)}.{nameof(TotalRequestTimeout)} ({TotalRequestTimeout}) must be at least {nameof(AttemptTimeout)} ({AttemptTimeout}).");
        }

        if (double.IsNaN(CircuitBreakerFailureRatio) || CircuitBreakerFailureRatio is <= 0 or > 1)
        {
            errors.Add($"{nameof(ArxivSourceOptions)}.{nameof(CircuitBreakerFailureRatio)} must be greater than 0 and at most 1, not {CircuitBreakerFailureRatio.ToString(CultureInfo.InvariantCulture)}.");
        }

        CheckRange(errors, nameof(CircuitBreakerMinimumThroughput), CircuitBreakerMinimumThroughput, 2, 100_000, null);
        CheckRange(errors, nameof(CircuitBreakerSamplingDuration), CircuitBreakerSamplingDuration, TimeSpan.FromMilliseconds(500), TimeSpan.FromDays(1));
        CheckRange(errors, nameof(CircuitBreakerBreakDuration), CircuitBreakerBreakDuration, TimeSpan.FromMilliseconds(500), TimeSpan.FromDays(1));
        return errors;
    }

    /// <summary>Throws when an option is wrong.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    internal void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), "options");
        }
    }

    private static bool ContainsLineBreak(string? s) => s is not null && s.AsSpan().IndexOfAny('\r', '\n') >= 0;

    private static Uri EnsureTrailingSlash(Uri uri)
        => uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri.GetLeftPart(UriPartial.Path) + "/", UriKind.Absolute);

    private static void CheckUrl(List<string> errors, string name, Uri? url, bool optional)
    {
        if (url is null)
        {
            if (!optional)
            {
                errors.Add($"{nameof(ArxivSourceOptions)}.{name} is required.");
            }

            return;
        }

        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps) || !string.IsNullOrEmpty(url.Query))
        {
            errors.Add($"{nameof(ArxivSourceOptions)}.{name} must be an absolute http or https URL without a query, not '{url}'.");
        }
    }

    private static void CheckRange(List<string> errors, string name, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{nameof(ArxivSourceOptions)}.{name} must be between {min} and {max}, not {value}.");
        }
    }

    private static void CheckRange(List<string> errors, string name, int value, int min, int max, string? why)
    {
        if (value < min || value > max)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{nameof(ArxivSourceOptions)}.{name} must be between {min} and {max}, not {value}{(why is null ? "" : " (" + why + ")")}."));
        }
    }
}
