using System.Text.Json;
using System.Text.Json.Serialization;
using ArxivRank.Scoring;

namespace ArxivRank.Serialization;

/// <summary>
/// The one source-generated JSON context of the library (Web defaults: camelCase, case-insensitive reading),
/// so serialization is trimming- and AOT-friendly. Each area adds the types it serializes in its own file with a
/// <c>[JsonSerializable]</c> attribute on another <c>partial</c> declaration of this class.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = false)]
[JsonSerializable(typeof(Paper))]
[JsonSerializable(typeof(PaperScore))]
[JsonSerializable(typeof(ArxivRank.Pipeline.StoredDigest))]
internal sealed partial class ArxivRankJsonContext : JsonSerializerContext;
