using System.Text.Json;
using System.Text.Json.Serialization;

namespace ArxivRank.PostgreSql;

/// <summary>The source-generated JSON context of the PostgreSQL store (extra score properties, author and category lists, announcements, Batch API request maps and metadata).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, string[]>))]
[JsonSerializable(typeof(ArxivRank.Sources.SourceResult))]
internal sealed partial class PostgreSqlJsonContext : JsonSerializerContext;
