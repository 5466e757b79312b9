using System.Text.Json;
using System.Text.Json.Serialization;

namespace ArxivRank.Service;

/// <summary>
/// A reader's profile as the service takes it (PUT /readers/{id}) and the node's defaults (the configuration section
/// <c>ArxivRank</c>). A minimal adapter until the library's <c>ReaderProfile</c> lands: the same camelCase keys.
/// </summary>
public sealed class ServiceProfile
{
    /// <summary>Keys that name files on the server: a reader never names a file, so a PUT with one is refused.</summary>
    public static readonly IReadOnlySet<string> FileKeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "criteria", "store", "out" };

    /// <summary>Gets or sets the criteria, as text.</summary>
    public string? CriteriaText { get; set; }

    /// <summary>Gets or sets the arXiv categories.</summary>
    public List<string>? Categories { get; set; }

    /// <summary>Gets or sets the scorer: <c>llm</c> or <c>lexical</c>.</summary>
    public string? Scorer { get; set; }

    /// <summary>Gets or sets the model (LLM scorer).</summary>
    public string? Model { get; set; }

    /// <summary>Gets or sets the OpenAI-compatible endpoint (LLM scorer).</summary>
    public Uri? LlmBaseUrl { get; set; }

    /// <summary>Gets or sets the name of the environment variable that holds the API key (never the key itself).</summary>
    public string? ApiKeyEnv { get; set; }

    /// <summary>Gets or sets the arXiv mirror (a node setting: the cluster fetches once for everyone).</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>Gets or sets arXiv pacing (a node setting).</summary>
    public ArxivSettings? Arxiv { get; set; }

    /// <summary>Gets or sets how many papers a digest keeps.</summary>
    public int? TopK { get; set; }

    /// <summary>Gets or sets the daily time of the reader's digest, <c>HH:mm</c> in <see cref="TimeZone"/>.</summary>
    public string? Schedule { get; set; }

    /// <summary>Gets or sets the IANA time zone of <see cref="Schedule"/>.</summary>
    public string? TimeZone { get; set; }

    /// <summary>Reads a profile from a PUT body.</summary>
    /// <param name="json">The body.</param>
    /// <returns>The profile, or why it was refused.</returns>
    public static (ServiceProfile? Profile, string? Error) Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, "The profile must be a JSON object.");
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (FileKeys.Contains(property.Name))
                {
                    return (null, $"'{property.Name}' names a file on the server, which a reader may not do; give the criteria as 'criteriaText'.");
                }
            }

            var profile = document.RootElement.Deserialize(ServiceJsonContext.Default.ServiceProfile)!;
            return (profile, null);
        }
        catch (JsonException ex)
        {
            return (null, $"The profile is not valid JSON for a reader profile: {ex.Message}");
        }
    }

    /// <summary>Returns this profile over the node's defaults: each key this profile sets wins.</summary>
    /// <param name="defaults">The node's defaults.</param>
    /// <returns>The merged profile.</returns>
    public ServiceProfile Over(ServiceProfile defaults) => new()
    {
        CriteriaText = CriteriaText ?? defaults.CriteriaText,
        Categories = Categories is { Count: > 0 } ? Categories : defaults.Categories,
        Scorer = Scorer ?? defaults.Scorer,
        Model = Model ?? defaults.Model,
        LlmBaseUrl = LlmBaseUrl ?? defaults.LlmBaseUrl,
        ApiKeyEnv = ApiKeyEnv ?? defaults.ApiKeyEnv,
        BaseUrl = defaults.BaseUrl ?? BaseUrl,
        Arxiv = defaults.Arxiv ?? Arxiv,
        TopK = TopK ?? defaults.TopK,
        Schedule = Schedule ?? defaults.Schedule,
        TimeZone = TimeZone ?? defaults.TimeZone,
    };

    /// <summary>Finds what makes a merged profile unusable.</summary>
    /// <returns>The problems, each naming its key.</returns>
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(CriteriaText))
        {
            yield return "'criteriaText' is required.";
        }

        if (Categories is not { Count: > 0 } || Categories.Any(string.IsNullOrWhiteSpace))
        {
            yield return "'categories' must list at least one arXiv category, e.g. [\"cs.LG\"].";
        }

        if (Scorer is not ("llm" or "lexical"))
        {
            yield return $"'scorer' must be 'llm' or 'lexical' (was '{Scorer}').";
        }

        if (TopK is < 1 or > 1000)
        {
            yield return $"'topK' must be between 1 and 1000 (was {TopK}).";
        }

        if (Schedule is not null && !TimeOnly.TryParseExact(Schedule, "HH:mm", out _))
        {
            yield return $"'schedule' must be a time of day as HH:mm (was '{Schedule}').";
        }

        if (TimeZone is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
        {
            yield return $"'timeZone' must be an IANA time zone such as 'Europe/Berlin' (was '{TimeZone}').";
        }
    }

    /// <summary>Gets the category set as a canonical key: sorted, distinct, joined with <c>+</c>.</summary>
    /// <returns>The key, e.g. <c>cs.CL+cs.LG</c>.</returns>
    public string CategoriesKey() => string.Join('+', (Categories ?? []).Select(c => c.Trim()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));

    /// <summary>Gets when the reader's next daily run is due after <paramref name="now"/> (schedule in its time zone).</summary>
    /// <param name="now">The current instant.</param>
    /// <returns>The next run, or <see langword="null"/> when the profile has no schedule.</returns>
    public DateTimeOffset? NextRun(DateTimeOffset now)
    {
        if (Schedule is null || !TimeOnly.TryParseExact(Schedule, "HH:mm", out var at))
        {
            return null;
        }

        var zone = TimeZone is not null && TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out var found) ? found : TimeZoneInfo.Utc;
        var local = TimeZoneInfo.ConvertTime(now, zone);
        for (int days = 0; days <= 2; days++)
        {
            var wall = local.Date.AddDays(days) + at.ToTimeSpan();
            if (zone.IsInvalidTime(wall))
            {
                wall = wall.AddHours(1); // A time skipped by a daylight-saving change runs an hour later.
            }

            var candidate = new DateTimeOffset(wall, zone.GetUtcOffset(wall));
            if (candidate > now)
            {
                return candidate;
            }
        }

        return null;
    }
}

/// <summary>arXiv settings of a node.</summary>
public sealed class ArxivSettings
{
    /// <summary>Gets or sets the pause between two requests to arXiv, in milliseconds (arXiv asks for 3 s).</summary>
    public int? RequestIntervalMs { get; set; }
}

/// <summary>The service's source-generated JSON context.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ServiceProfile))]
[JsonSerializable(typeof(RunStarted))]
[JsonSerializable(typeof(RunProgress))]
[JsonSerializable(typeof(ProblemBody))]
internal sealed partial class ServiceJsonContext : JsonSerializerContext;

/// <summary>The answer to POST /runs.</summary>
/// <param name="Date">The announcement day, or <see langword="null"/>.</param>
/// <param name="Status"><c>started</c>, <c>running</c> or <c>no-announcement</c>.</param>
[GenerateSerializer]
[Orleans.ImmutableAttribute]
public sealed record RunStarted([property: Id(0)] string? Date, [property: Id(1)] string Status);

/// <summary>The answer to GET /runs/{date}.</summary>
/// <param name="Readers">Readers in the run.</param>
/// <param name="Done">Digests written.</param>
/// <param name="Failed">Runs failed.</param>
[GenerateSerializer]
[Orleans.ImmutableAttribute]
public sealed record RunProgress([property: Id(0)] int Readers, [property: Id(1)] int Done, [property: Id(2)] int Failed);

/// <summary>An error answer.</summary>
/// <param name="Error">What went wrong and what to do.</param>
public sealed record ProblemBody(string Error);
