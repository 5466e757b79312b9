using System.Text.Json.Serialization;
using ArxivRank.Profiles;

namespace ArxivRank.Service;

/// <summary>Reader profiles as the service takes them: the library's <see cref="ReaderProfile"/>, minus file paths.</summary>
public static class ServiceProfiles
{
    /// <summary>Reads a profile from a PUT body: <see cref="ReaderProfileJson"/>'s rules (unknown keys are errors), and no key that names a file on the server.</summary>
    /// <param name="json">The body.</param>
    /// <returns>The profile, or why it was refused.</returns>
    public static (ReaderProfile? Profile, string? Error) ParseForPut(string json)
    {
        ReaderProfile profile;
        try
        {
            profile = ReaderProfileJson.Parse(json, sourceName: "the request body");
        }
        catch (ReaderProfileException ex)
        {
            return (null, ex.Message);
        }

        string? fileKey = profile.Criteria is not null ? "criteria" : profile.Store is not null ? "store" : profile.Out is not null ? "out" : profile.Ranker is not null ? "ranker" : null;
        return fileKey is null
            ? (profile, null)
            : (null, $"'{fileKey}' names a file on the server, which a reader may not do{(fileKey == "criteria" ? "; give the criteria inline as 'criteriaText'" : string.Empty)}.");
    }

    /// <summary>Finds what makes a merged profile unusable (the library's validator).</summary>
    /// <param name="profile">The merged profile.</param>
    /// <returns>The problems, each naming its key.</returns>
    public static IReadOnlyList<string> Problems(ReaderProfile profile)
    {
        var result = new ReaderProfileValidator().Validate(null, profile);
        return result.Failed ? [.. result.Failures ?? []] : [];
    }

    /// <summary>Gets a profile's category set as a canonical key: sorted, distinct, joined with <c>+</c>.</summary>
    /// <param name="profile">The profile.</param>
    /// <returns>The key, e.g. <c>cs.CL+cs.LG</c>.</returns>
    public static string CategoriesKey(ReaderProfile profile)
        => string.Join('+', (profile.Categories is { Count: > 0 } c ? c : [ReaderProfile.DefaultCategory]).Select(x => x.Trim()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
}

/// <summary>The service's source-generated JSON context.</summary>
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
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
