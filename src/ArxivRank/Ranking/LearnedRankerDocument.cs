using System.Text.Json;
using System.Text.Json.Serialization;

namespace ArxivRank.Serialization;

/// <summary>The JSON shape of a learned ranker model file, format version 1 (documented in docs/learned-ranker.md).</summary>
internal sealed class LearnedRankerDocument
{
    public int FormatVersion { get; set; }

    public string? Kind { get; set; }

    public LearnedRankerFeaturesDocument? Features { get; set; }

    public LearnedRankerTrainingDocument? Training { get; set; }

    public double Intercept { get; set; }

    public string[]? Terms { get; set; }

    public float[]? Idf { get; set; }

    public float[]? Weights { get; set; }
}

/// <summary>How the model turns a paper into features; scoring must do exactly the same.</summary>
internal sealed class LearnedRankerFeaturesDocument
{
    public double TitleWeight { get; set; }

    public bool WordPairs { get; set; }

    public int MinDocumentFrequency { get; set; }

    public int MaxVocabularySize { get; set; }
}

/// <summary>What the model was trained on and with which settings.</summary>
internal sealed class LearnedRankerTrainingDocument
{
    public int Papers { get; set; }

    public int Positives { get; set; }

    public DateOnly? FirstDay { get; set; }

    public DateOnly? LastDay { get; set; }

    public double L2Regularization { get; set; }

    public bool BalanceClasses { get; set; }

    public int MaxIterations { get; set; }

    public int Iterations { get; set; }

    public bool Converged { get; set; }
}

/// <summary>One line of a labeled-day file (see docs/learned-ranker.md and the shared data README).</summary>
internal sealed class LabeledDayRecord
{
    public string? Id { get; set; }

    public string? Title { get; set; }

    public string? Abstract { get; set; }

    public List<string?>? Authors { get; set; }

    public List<string?>? Categories { get; set; }

    public bool? Selected { get; set; }

    public int? Relevance { get; set; }

    public int? Novelty { get; set; }
}

/// <summary>
/// The source-generated JSON context of the ranking area, with the same options as <see cref="ArxivRankJsonContext"/>.
/// </summary>
/// <remarks>
/// A separate context rather than a second <c>partial</c> declaration of <see cref="ArxivRankJsonContext"/>: the JSON
/// source generator fails (CS8785, duplicate hint names) when <c>[JsonSerializable]</c> attributes sit on two partial
/// declarations of one context (dotnet/runtime#99669).
/// </remarks>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = false)]
[JsonSerializable(typeof(LearnedRankerDocument))]
[JsonSerializable(typeof(LabeledDayRecord))]
internal sealed partial class RankingJsonContext : JsonSerializerContext;
