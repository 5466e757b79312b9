using System.Globalization;
using ArxivRank.Sources.Http;
using Microsoft.Extensions.Logging;

namespace ArxivRank.Sources;

/// <summary>What the three arXiv sources share: the HTTP client, options, clock, logging, category rules and merging.</summary>
internal abstract class ArxivSourceBase : IArxivSource
{
    protected ArxivSourceBase(HttpClient httpClient, ArxivSourceOptions options, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.ThrowIfInvalid();
        HttpClient = httpClient;
        Options = options.Clone();
        TimeProvider = timeProvider;
        Logger = logger;
    }

    protected HttpClient HttpClient { get; }

    protected ArxivSourceOptions Options { get; }

    protected TimeProvider TimeProvider { get; }

    protected ILogger Logger { get; }

    /// <summary>Gets the short name of the source for messages (<c>RSS</c>, <c>export API</c>, <c>OAI-PMH</c>).</summary>
    protected abstract string SourceName { get; }

    public abstract Task<SourceResult> FetchAsync(ArxivQuery query, CancellationToken cancellationToken = default);

    protected Task<T> GetXmlAsync<T>(Uri url, string what, Func<System.Xml.XmlReader, CancellationToken, Task<T>> parse, Func<string, string?>? errorDetail, CancellationToken cancellationToken)
        => ArxivHttp.GetXmlAsync(HttpClient, url, what, Options.ReadTimeout, TimeProvider, Logger, parse, errorDetail, cancellationToken);

    /// <summary>Trims, checks and de-duplicates the asked categories.</summary>
    /// <exception cref="ArgumentException">A category is empty or has characters arXiv never uses.</exception>
    protected static List<string> NormalizeCategories(IReadOnlyList<string> categories, bool required, string sourceName)
    {
        var result = new List<string>(categories.Count);
        foreach (var raw in categories)
        {
            string category = raw?.Trim() ?? string.Empty;
            if (category.Length == 0 || !IsCategoryName(category))
            {
                throw new ArgumentException($"'{raw}' is not an arXiv category or archive (expected names such as cs.LG, stat.ML, math-ph or cs).", "query");
            }

            if (!result.Contains(category, StringComparer.OrdinalIgnoreCase))
            {
                result.Add(category);
            }
        }

        if (required && result.Count == 0)
        {
            throw new ArgumentException($"The {sourceName} source needs at least one category in ArxivQuery.Categories (e.g. cs.LG).", "query");
        }

        return result;
    }

    private static bool IsCategoryName(string s)
    {
        foreach (char c in s)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '.' && c != '-')
            {
                return false;
            }
        }

        return char.IsAsciiLetter(s[0]);
    }

    /// <summary>Whether a paper's category falls under an asked category or archive (<c>cs</c> covers <c>cs.LG</c>).</summary>
    protected static bool Covers(string asked, string category)
        => category.Equals(asked, StringComparison.OrdinalIgnoreCase)
            || (category.Length > asked.Length && category[asked.Length] == '.' && category.StartsWith(asked, StringComparison.OrdinalIgnoreCase));

    protected static bool MatchesAny(IReadOnlyList<string> asked, string? category)
    {
        if (category is null)
        {
            return false;
        }

        foreach (var a in asked)
        {
            if (Covers(a, category))
            {
                return true;
            }
        }

        return false;
    }

    protected void LogDiagnostics(IEnumerable<SourceDiagnostic> diagnostics)
    {
        foreach (var d in diagnostics)
        {
            var level = d.Severity switch
            {
                DiagnosticSeverity.Error => LogLevel.Error,
                DiagnosticSeverity.Warning => LogLevel.Warning,
                _ => LogLevel.Information,
            };
            Log.Diagnostic(Logger, level, SourceName, d.Code, d.Message);
        }
    }

    protected void LogFetched(SourceResult result)
        => Log.Fetched(Logger, SourceName, result.Status, result.AnnouncementDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "-", result.Counts.TotalItems, result.Counts.Kept, result.Counts.Unique, result.Counts.Skipped);

    /// <summary>Collects papers, each once: a paper met again has its categories merged and keeps the stronger announce type.</summary>
    protected sealed class PaperMerger
    {
        private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
        private readonly List<Paper> _papers = [];

        public int Added { get; private set; }

        public List<Paper> Papers => _papers;

        public void Add(Paper paper)
        {
            Added++;
            if (!_index.TryGetValue(paper.Id.Id, out int at))
            {
                _index.Add(paper.Id.Id, _papers.Count);
                _papers.Add(paper);
                return;
            }

            var existing = _papers[at];
            var categories = existing.Categories.ToList();
            foreach (var c in paper.Categories)
            {
                if (!categories.Contains(c, StringComparer.Ordinal))
                {
                    categories.Add(c);
                }
            }

            var id = (paper.Id.Version ?? 0) > (existing.Id.Version ?? 0) ? paper.Id : existing.Id;
            var type = Rank(paper.AnnounceType) < Rank(existing.AnnounceType) ? paper.AnnounceType : existing.AnnounceType;
            _papers[at] = existing with { Id = id, Categories = categories, AnnounceType = type };
        }

        // new before cross before replace before replace-cross: a paper new in one asked category is new.
        private static int Rank(AnnounceType type) => type switch
        {
            AnnounceType.New => 0,
            AnnounceType.Cross => 1,
            AnnounceType.Replace => 2,
            AnnounceType.ReplaceCross => 3,
            _ => 4,
        };
    }
}
