using System.Text.Json;
using System.Text.Json.Serialization;

namespace ArxivRank.Sqlite;

/// <summary>The source-generated JSON context of the SQLite store (the extra properties of a cached score).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, string[]>))]
internal sealed partial class SqliteJsonContext : JsonSerializerContext;
