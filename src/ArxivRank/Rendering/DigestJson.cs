using System.Buffers;
using System.Globalization;
using System.Text.Json;
using ArxivRank.Scoring;
using ArxivRank.Serialization;

namespace ArxivRank.Rendering;

/// <summary>
/// Reads and writes a digest as JSON in the documented schema <c>docs/schema/digest.schema.json</c>
/// (<see cref="SchemaVersion"/>): what <c>arxivrank render --format json</c> writes and <c>--input</c> reads.
/// Writing streams paper by paper; reading a written digest gives the same digest back.
/// </summary>
public static class DigestJson
{
    /// <summary>The schema version this library writes and the highest it reads.</summary>
    public const int SchemaVersion = 1;

    private const int FlushThreshold = 32 * 1024;

    /// <summary>Writes a digest as JSON.</summary>
    /// <param name="digest">The digest.</param>
    /// <param name="stream">Where to write; left open.</param>
    /// <param name="options">What to leave out and whether to indent; <see langword="null"/> for the defaults (everything, indented).</param>
    /// <param name="cancellationToken">Cancels the writing.</param>
    /// <returns>A task that completes when the digest is written and flushed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="digest"/> or <paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The digest has a null entry or a paper without id.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static async Task WriteAsync(Digest digest, Stream stream, JsonRendererOptions? options = null, CancellationToken cancellationToken = default)
    {
        DigestGuard.Check(digest);
        ArgumentNullException.ThrowIfNull(stream);
        options ??= new JsonRendererOptions();
        options.Validate();

        // The writer fills a buffer that is drained to the stream asynchronously every few papers, so the document is
        // never held whole and the stream only sees asynchronous writes.
        var buffer = new ArrayBufferWriter<byte>(FlushThreshold * 2);
        using var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = options.Indented, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        writer.WriteStartObject();
        writer.WriteNumber("schemaVersion", SchemaVersion);
        writer.WriteString("date", RenderText.Date(digest.Date));
        if (digest.ScorerName is not null)
        {
            writer.WriteString("scorer", digest.ScorerName);
        }

        writer.WriteStartArray("categories");
        foreach (string category in digest.Categories)
        {
            writer.WriteStringValue(category);
        }

        writer.WriteEndArray();
        writer.WriteStartObject("totals");
        writer.WriteNumber("totalPapers", digest.Totals.TotalPapers);
        writer.WriteNumber("scannedPapers", digest.Totals.ScannedPapers);
        writer.WriteNumber("scoredPapers", digest.Totals.ScoredPapers);
        writer.WriteNumber("relevantPapers", digest.Totals.RelevantPapers);
        writer.WriteEndObject();

        writer.WriteStartArray("usage");
        if (options.IncludeUsage)
        {
            foreach (var usage in digest.Usage)
            {
                WriteUsage(writer, usage);
            }
        }

        writer.WriteEndArray();
        writer.WriteStartObject("navigation");
        WriteDate(writer, "previous", digest.Navigation.Previous);
        WriteDate(writer, "next", digest.Navigation.Next);
        writer.WriteEndObject();

        writer.WriteStartArray("papers");
        for (int i = 0; i < digest.Papers.Count; i++)
        {
            var entry = digest.Papers[i];
            writer.WriteStartObject();
            writer.WriteNumber("rank", i + 1);
            writer.WritePropertyName("paper");
            JsonSerializer.Serialize(writer, options.IncludeAbstracts ? entry.Paper : entry.Paper with { Abstract = string.Empty }, ArxivRankJsonContext.Default.Paper);
            writer.WritePropertyName("score");
            JsonSerializer.Serialize(writer, entry.Score, ArxivRankJsonContext.Default.PaperScore);
            writer.WriteEndObject();
            if (writer.BytesPending + buffer.WrittenCount > FlushThreshold)
            {
                await DrainAsync(writer, buffer, stream, cancellationToken).ConfigureAwait(false);
            }
        }

        writer.WriteEndArray();
        writer.WriteStartArray("unscored");
        foreach (var unscored in digest.Unscored)
        {
            writer.WriteStartObject();
            writer.WritePropertyName("paper");
            JsonSerializer.Serialize(writer, options.IncludeAbstracts ? unscored.Paper : unscored.Paper with { Abstract = string.Empty }, ArxivRankJsonContext.Default.Paper);
            writer.WriteString("reason", unscored.Reason);
            writer.WriteEndObject();
            if (writer.BytesPending + buffer.WrittenCount > FlushThreshold)
            {
                await DrainAsync(writer, buffer, stream, cancellationToken).ConfigureAwait(false);
            }
        }

        writer.WriteEndArray();
        writer.WriteStartArray("stages");
        foreach (var stage in digest.Stages)
        {
            writer.WriteStartObject();
            writer.WriteString("stage", stage.Stage);
            writer.WriteNumber("input", stage.Input);
            writer.WriteNumber("output", stage.Output);
            writer.WriteNumber("durationMs", Math.Round(stage.Duration.TotalMilliseconds, 3));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (options.IncludeCriteria && digest.CriteriaText is not null)
        {
            writer.WriteString("criteria", digest.CriteriaText);
        }

        writer.WriteEndObject();
        await DrainAsync(writer, buffer, stream, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask DrainAsync(Utf8JsonWriter writer, ArrayBufferWriter<byte> buffer, Stream stream, CancellationToken cancellationToken)
    {
        writer.Flush();
        await stream.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        buffer.ResetWrittenCount();
    }

    private static void WriteUsage(Utf8JsonWriter writer, ModelUsage usage)
    {
        writer.WriteStartObject();
        writer.WriteString("modelId", usage.ModelId);
        writer.WriteNumber("requests", usage.Requests);
        writer.WriteNumber("inputTokens", usage.InputTokens);
        writer.WriteNumber("cachedInputTokens", usage.CachedInputTokens);
        writer.WriteNumber("outputTokens", usage.OutputTokens);
        writer.WriteNumber("totalTokens", usage.TotalTokens);
        WriteCost(writer, "inputCost", usage.InputCost);
        WriteCost(writer, "outputCost", usage.OutputCost);
        WriteCost(writer, "totalCost", usage.TotalCost);
        writer.WriteEndObject();
    }

    private static void WriteCost(Utf8JsonWriter writer, string name, decimal? cost)
    {
        // Unknown costs are written as null, never as 0.
        if (cost is { } value)
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteDate(Utf8JsonWriter writer, string name, DateOnly? date)
    {
        if (date is { } value)
        {
            writer.WriteString(name, RenderText.Date(value));
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>Reads a digest written by <see cref="WriteAsync"/> (any schema version up to <see cref="SchemaVersion"/>).</summary>
    /// <param name="stream">The JSON.</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    /// <returns>The digest.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="DigestFormatException">The stream is not JSON, not a digest, or from a newer schema version; the message names the member.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static async Task<Digest> ReadAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(stream, default, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw new DigestFormatException($"The digest is not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            return Read(document.RootElement);
        }
    }

    /// <summary>Determines whether a JSON document looks like a digest of ours (an object with <c>schemaVersion</c>).</summary>
    /// <param name="root">The document's root.</param>
    /// <returns><see langword="true"/> when it carries a <c>schemaVersion</c>.</returns>
    public static bool IsDigest(JsonElement root) => root.ValueKind == JsonValueKind.Object && root.TryGetProperty("schemaVersion", out _);

    /// <summary>Reads a digest from a parsed JSON document.</summary>
    /// <param name="root">The document's root.</param>
    /// <returns>The digest.</returns>
    /// <exception cref="DigestFormatException">The element is not a digest, or from a newer schema version; the message names the member.</exception>
    public static Digest Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new DigestFormatException($"A digest must be a JSON object, not {root.ValueKind}.");
        }

        int version = root.TryGetProperty("schemaVersion", out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int n)
            ? n
            : throw new DigestFormatException("The digest has no integer 'schemaVersion'; is it a digest written by ArxivRank?");
        if (version < 1 || version > SchemaVersion)
        {
            throw new DigestFormatException($"The digest has schemaVersion {version}; this version of ArxivRank reads 1 to {SchemaVersion}. Update ArxivRank to read it.");
        }

        var date = ParseDate(Required(root, "date", JsonValueKind.String), "$.date")
            ?? throw new DigestFormatException("The digest's 'date' is null.");
        var totals = root.TryGetProperty("totals", out var t) && t.ValueKind == JsonValueKind.Object
            ? new DigestTotals
            {
                TotalPapers = Int(t, "totalPapers", "$.totals"),
                ScannedPapers = Int(t, "scannedPapers", "$.totals"),
                ScoredPapers = Int(t, "scoredPapers", "$.totals"),
                RelevantPapers = Int(t, "relevantPapers", "$.totals"),
            }
            : new DigestTotals();

        var papers = new List<DigestEntry>();
        foreach (var (item, path) in Items(root, "papers"))
        {
            var paper = Deserialize(Required(item, "paper", JsonValueKind.Object, path), path + ".paper", ArxivRankJsonContext.Default.Paper);
            var score = Deserialize(Required(item, "score", JsonValueKind.Object, path), path + ".score", ArxivRankJsonContext.Default.PaperScore);
            papers.Add(new DigestEntry(paper, score));
        }

        var unscored = new List<UnscoredPaper>();
        foreach (var (item, path) in Items(root, "unscored"))
        {
            var paper = Deserialize(Required(item, "paper", JsonValueKind.Object, path), path + ".paper", ArxivRankJsonContext.Default.Paper);
            unscored.Add(new UnscoredPaper(paper, Required(item, "reason", JsonValueKind.String, path).GetString()!));
        }

        var usage = new List<ModelUsage>();
        foreach (var (item, path) in Items(root, "usage"))
        {
            usage.Add(new ModelUsage
            {
                ModelId = Required(item, "modelId", JsonValueKind.String, path).GetString()!,
                Requests = Int(item, "requests", path),
                InputTokens = Long(item, "inputTokens", path),
                CachedInputTokens = Long(item, "cachedInputTokens", path),
                OutputTokens = Long(item, "outputTokens", path),
                InputCost = Cost(item, "inputCost", path),
                OutputCost = Cost(item, "outputCost", path),
            });
        }

        var stages = new List<StageStatistics>();
        foreach (var (item, path) in Items(root, "stages"))
        {
            double ms = item.TryGetProperty("durationMs", out var d) && d.ValueKind == JsonValueKind.Number ? d.GetDouble() : 0;
            stages.Add(new StageStatistics(Required(item, "stage", JsonValueKind.String, path).GetString()!, Int(item, "input", path), Int(item, "output", path), TimeSpan.FromMilliseconds(ms)));
        }

        var navigation = new DigestNavigation();
        if (root.TryGetProperty("navigation", out var nav) && nav.ValueKind == JsonValueKind.Object)
        {
            navigation = new DigestNavigation
            {
                Previous = nav.TryGetProperty("previous", out var p) ? ParseDate(p, "$.navigation.previous") : null,
                Next = nav.TryGetProperty("next", out var x) ? ParseDate(x, "$.navigation.next") : null,
            };
        }

        return new Digest
        {
            Date = date,
            ScorerName = OptionalString(root, "scorer"),
            Categories = root.TryGetProperty("categories", out var c) && c.ValueKind == JsonValueKind.Array
                ? [.. c.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)]
                : [],
            Totals = totals,
            Usage = usage,
            Navigation = navigation,
            Papers = papers,
            Unscored = unscored,
            Stages = stages,
            CriteriaText = OptionalString(root, "criteria"),
        };
    }

    private static IEnumerable<(JsonElement Item, string Path)> Items(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var array) || array.ValueKind == JsonValueKind.Null)
        {
            yield break;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new DigestFormatException($"The digest's '{name}' must be an array, not {array.ValueKind}.");
        }

        int i = 0;
        foreach (var item in array.EnumerateArray())
        {
            string path = string.Create(CultureInfo.InvariantCulture, $"$.{name}[{i}]");
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new DigestFormatException($"{path} must be an object, not {item.ValueKind}.");
            }

            yield return (item, path);
            i++;
        }
    }

    private static JsonElement Required(JsonElement parent, string name, JsonValueKind kind, string path = "$")
        => parent.TryGetProperty(name, out var value) && value.ValueKind == kind
            ? value
            : throw new DigestFormatException($"{path}.{name} is missing or not a JSON {kind.ToString().ToLowerInvariant()}.");

    private static T Deserialize<T>(JsonElement element, string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
    {
        try
        {
            return element.Deserialize(typeInfo) ?? throw new DigestFormatException($"{path} is null.");
        }
        catch (JsonException ex)
        {
            throw new DigestFormatException($"{path} is not valid: {ex.Message}", ex);
        }
    }

    private static int Int(JsonElement parent, string name, string path)
        => !parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? 0
            : value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int n) ? n
            : throw new DigestFormatException($"{path}.{name} must be an integer.");

    private static long Long(JsonElement parent, string name, string path)
        => !parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? 0
            : value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long n) ? n
            : throw new DigestFormatException($"{path}.{name} must be an integer.");

    private static decimal? Cost(JsonElement parent, string name, string path)
        => !parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
            : value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out decimal d) ? d
            : throw new DigestFormatException($"{path}.{name} must be a number or null.");

    private static string? OptionalString(JsonElement parent, string name)
        => parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateOnly? ParseDate(JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            && DateOnly.TryParseExact(value.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new DigestFormatException($"{path} must be a date written yyyy-MM-dd.");
    }
}
