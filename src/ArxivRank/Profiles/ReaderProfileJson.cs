using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace ArxivRank.Profiles;

/// <summary>
/// Reads and writes a <see cref="ReaderProfile"/> as JSON: camelCase keys (matched case-insensitively), comments and
/// trailing commas allowed, an unknown key an error that names the key and its line. The same shape as the
/// configuration section <see cref="ReaderProfile.SectionName"/> and the CLI's <c>--config</c> file.
/// </summary>
public static partial class ReaderProfileJson
{
    /// <summary>Reads a profile file; the relative paths in it (<c>criteria</c>, <c>ranker</c>, <c>out</c>, <c>store</c>) are made absolute against its folder.</summary>
    /// <param name="path">The profile file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The profile (not yet validated: see <see cref="ReaderProfileValidator"/>).</returns>
    /// <exception cref="ReaderProfileException">The file cannot be read or is not a valid profile.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static async Task<ReaderProfile> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ReaderProfileException($"cannot read the profile '{path}': {ex.Message}", ex);
        }

        return Parse(text, Path.GetDirectoryName(Path.GetFullPath(path)), path);
    }

    /// <summary>Parses profile JSON.</summary>
    /// <param name="json">The JSON text; empty or <c>null</c> is an empty profile.</param>
    /// <param name="baseDirectory">The folder relative paths are resolved against; <see langword="null"/> keeps them as written.</param>
    /// <param name="sourceName">How errors name the input (a file name); default "the profile".</param>
    /// <returns>The profile (not yet validated).</returns>
    /// <exception cref="ReaderProfileException">The JSON is malformed, has an unknown key or a value of the wrong type.</exception>
    public static ReaderProfile Parse(string json, string? baseDirectory = null, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        string name = sourceName is null ? "the profile" : $"the profile '{sourceName}'";
        ReaderProfile? profile;
        try
        {
            profile = string.IsNullOrWhiteSpace(json) ? null : JsonSerializer.Deserialize(json, ReaderProfileJsonContext.Default.ReaderProfile);
        }
        catch (JsonException ex)
        {
            string line = ex.LineNumber is { } l ? $" (line {l + 1})" : string.Empty;
            string reason = UnknownMember().Match(ex.Message) is { Success: true } m
                ? $"unknown key '{KeyPath(ex.Path, m.Groups[1].Value)}'"
                : ex.Message.Split(" Path:")[0];
            throw new ReaderProfileException($"{name} is not valid{line}: {reason}. The keys are listed in docs/configuration.md.", ex);
        }

        profile ??= new ReaderProfile();
        if (baseDirectory is not null)
        {
            profile.Criteria = Resolve(baseDirectory, profile.Criteria);
            profile.Ranker = Resolve(baseDirectory, profile.Ranker);
            profile.Out = Resolve(baseDirectory, profile.Out);
            profile.Store = Resolve(baseDirectory, profile.Store);
        }

        return profile;
    }

    /// <summary>Writes a profile as indented JSON, leaving out unset keys; <see cref="Parse"/> reads it back.</summary>
    /// <param name="profile">The profile.</param>
    /// <returns>The JSON text.</returns>
    public static string Serialize(ReaderProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return JsonSerializer.Serialize(profile, ReaderProfileJsonContext.Default.ReaderProfile);
    }

    internal static ReaderProfile Merge(ReaderProfile lower, ReaderProfile higher)
    {
        var merged = (JsonObject)JsonSerializer.SerializeToNode(lower, ReaderProfileJsonContext.Default.ReaderProfile)!;
        MergeInto(merged, (JsonObject)JsonSerializer.SerializeToNode(higher, ReaderProfileJsonContext.Default.ReaderProfile)!);
        return merged.Deserialize(ReaderProfileJsonContext.Default.ReaderProfile)!;
    }

    private static void MergeInto(JsonObject target, JsonObject source)
    {
        foreach (var (key, value) in source.ToList())
        {
            if (value is JsonObject section && target[key] is JsonObject existing)
            {
                MergeInto(existing, section);
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
    }

    private static string KeyPath(string? path, string member)
    {
        string parent = path is null ? string.Empty : path.TrimStart('$').TrimStart('.');
        int last = parent.LastIndexOf('.');
        parent = last < 0 ? string.Empty : parent[..last];
        return parent.Length == 0 ? member : parent + "." + member;
    }

    private static string? Resolve(string folder, string? path)
        => string.IsNullOrWhiteSpace(path) ? null : Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(folder, path));

    [GeneratedRegex("The JSON property '([^']*)' could not be mapped")]
    private static partial Regex UnknownMember();
}

/// <summary>A profile cannot be read, is invalid, or cannot be turned into a pipeline (a file it names is missing or unusable).</summary>
public class ReaderProfileException : ArxivRankException
{
    /// <summary>Initializes a new instance of the <see cref="ReaderProfileException"/> class.</summary>
    public ReaderProfileException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ReaderProfileException"/> class.</summary>
    /// <param name="message">What is wrong and what to do.</param>
    public ReaderProfileException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ReaderProfileException"/> class.</summary>
    /// <param name="message">What is wrong and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public ReaderProfileException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets or sets a value indicating whether the profile itself is wrong (a usage error), rather than a file or service it names.</summary>
    public bool IsInvalidProfile { get; init; } = true;
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(ReaderProfile))]
internal sealed partial class ReaderProfileJsonContext : JsonSerializerContext;
