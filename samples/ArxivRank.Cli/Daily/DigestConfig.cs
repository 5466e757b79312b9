using System.Text.Json;
using System.Text.Json.Serialization;

namespace ArxivRank.Cli.Daily;

/// <summary>
/// The <c>--config FILE</c> of <c>arxivrank digest</c>: every setting a cron job would otherwise repeat on the command line.
/// Relative paths are resolved against the config file's folder. Command-line flags win. Documented in docs/cli.md.
/// </summary>
internal sealed class DigestConfig
{
    public List<string>? Categories { get; set; }

    public string? Criteria { get; set; }

    public List<string>? FollowedAuthors { get; set; }

    public string? Scorer { get; set; }

    public string? Ranker { get; set; }

    public string? Model { get; set; }

    public string? LlmBaseUrl { get; set; }

    public string? ApiKeyEnv { get; set; }

    public string? Source { get; set; }

    public string? BaseUrl { get; set; }

    public string? Out { get; set; }

    public string? Store { get; set; }

    public List<string>? Formats { get; set; }

    public int? TopK { get; set; }

    public int? MinRelevance { get; set; }

    public int? MinNovelty { get; set; }

    public int? BatchSize { get; set; }

    public int? Concurrency { get; set; }

    public decimal? MaxCost { get; set; }

    /// <summary>llm: send only this share of the day (0–1) to the model, ranked by the learned model in the store (docs/learned-ranker.md).</summary>
    public double? Prescreen { get; set; }

    /// <summary>Train the learned ranker automatically after an LLM digest once the store has enough history (default true).</summary>
    public bool? AutoTrain { get; set; }

    public int? NoNewExitCode { get; set; }

    /// <summary>Seconds to wait for another run that holds the store before exiting with code 6 (default 0).</summary>
    public int? Wait { get; set; }

    public bool? TitleScreen { get; set; }

    public ArxivTuning? Arxiv { get; set; }

    public LlmTuning? Llm { get; set; }

    /// <summary>Reads a config file; relative paths inside it are made absolute against its folder.</summary>
    /// <exception cref="DigestConfigException">The file cannot be read or is not valid config JSON.</exception>
    public static DigestConfig Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new DigestConfigException($"cannot read the config file '{path}': {ex.Message}");
        }

        DigestConfig? config;
        try
        {
            config = JsonSerializer.Deserialize(text, DigestConfigJsonContext.Default.DigestConfig);
        }
        catch (JsonException ex)
        {
            string where = ex.LineNumber is { } line ? $" (line {line + 1})" : string.Empty;
            throw new DigestConfigException($"the config file '{path}' is not valid{where}: {ex.Message.Split(" Path:")[0]} See docs/cli.md for the format.");
        }

        config ??= new DigestConfig();
        string folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        config.Criteria = Resolve(folder, config.Criteria);
        config.Ranker = Resolve(folder, config.Ranker);
        config.Out = Resolve(folder, config.Out);
        config.Store = Resolve(folder, config.Store);
        return config;
    }

    private static string? Resolve(string folder, string? path)
        => string.IsNullOrWhiteSpace(path) ? null : Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(folder, path));
}

/// <summary>arXiv transport tuning (mirrors, local servers and tests); arXiv's own defaults otherwise.</summary>
internal sealed class ArxivTuning
{
    public int? RequestIntervalMs { get; set; }

    public int? Retries { get; set; }

    public int? RetryDelayMs { get; set; }

    public int? TimeoutMs { get; set; }
}

/// <summary>Chat-model transport tuning.</summary>
internal sealed class LlmTuning
{
    public int? Retries { get; set; }

    public int? RetryDelayMs { get; set; }

    public int? TimeoutMs { get; set; }
}

/// <summary>The config file is unreadable or invalid.</summary>
internal sealed class DigestConfigException(string message) : Exception(message);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(DigestConfig))]
internal sealed partial class DigestConfigJsonContext : JsonSerializerContext;
