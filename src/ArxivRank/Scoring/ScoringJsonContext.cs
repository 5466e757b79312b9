using System.Text.Json;
using System.Text.Json.Serialization;

namespace ArxivRank.Scoring;

/// <summary>
/// The scoring area's source-generated JSON context (the structured-output schemas). It is separate from
/// <c>ArxivRankJsonContext</c> because System.Text.Json's generator cannot take <c>[JsonSerializable]</c> attributes on
/// two partial declarations of one context (it emits every generated file twice and fails with CS8785).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(StructuredScoresAnswer))]
[JsonSerializable(typeof(StructuredScreenAnswer))]
internal sealed partial class ScoringJsonContext : JsonSerializerContext;
