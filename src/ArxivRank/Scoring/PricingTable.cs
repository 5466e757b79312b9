using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ArxivRank.Scoring;

/// <summary>The price of one model in US dollars per million tokens.</summary>
/// <param name="InputPerMillion">Input (prompt) tokens not served from the provider's cache.</param>
/// <param name="OutputPerMillion">Output (completion) tokens, reasoning tokens included.</param>
public sealed record ModelPrice(decimal InputPerMillion, decimal OutputPerMillion)
{
    /// <summary>Gets the price of cached input tokens per million; <see langword="null"/> when the provider does not discount them (the input price applies).</summary>
    public decimal? CachedInputPerMillion { get; init; }

    /// <summary>Gets the price of input tokens sent through the provider's Batch API per million; <see langword="null"/> for half of <see cref="InputPerMillion"/> (OpenAI's batch discount).</summary>
    public decimal? BatchInputPerMillion { get; init; }

    /// <summary>Gets the price of output tokens answered through the Batch API per million; <see langword="null"/> for half of <see cref="OutputPerMillion"/>.</summary>
    public decimal? BatchOutputPerMillion { get; init; }
}

/// <summary>
/// Prices of models, to turn token counts into dollars. <see cref="Default"/> knows common OpenAI, Anthropic, Google and
/// DeepSeek models at the date in <see cref="PricesAsOf"/>; override or extend it in code (<see cref="With(string, ModelPrice)"/>)
/// or from a JSON file (<see cref="ParseJson(string)"/>, format in docs/scoring.md). A model the table does not know is
/// priced as unknown (<see langword="null"/>), never as $0.
/// </summary>
public sealed partial class PricingTable
{
    private const decimal Million = 1_000_000m;

    private static readonly Lazy<PricingTable> DefaultTable = new(CreateDefault);

    private readonly FrozenDictionary<string, ModelPrice> _prices;

    /// <summary>Initializes a new instance of the <see cref="PricingTable"/> class.</summary>
    /// <param name="prices">The prices by model id (matched case-insensitively).</param>
    /// <param name="pricesAsOf">When the prices were taken, when known.</param>
    /// <exception cref="ArgumentNullException"><paramref name="prices"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A price is negative or a model id is blank.</exception>
    public PricingTable(IReadOnlyDictionary<string, ModelPrice> prices, DateOnly? pricesAsOf = null)
    {
        ArgumentNullException.ThrowIfNull(prices);
        foreach (var (model, price) in prices)
        {
            if (string.IsNullOrWhiteSpace(model))
            {
                throw new ArgumentException("A model id in the pricing table is blank.", nameof(prices));
            }

            ArgumentNullException.ThrowIfNull(price, nameof(prices));
            if (price.InputPerMillion < 0 || price.OutputPerMillion < 0 || price.CachedInputPerMillion < 0 || price.BatchInputPerMillion < 0 || price.BatchOutputPerMillion < 0)
            {
                throw new ArgumentException($"The price of '{model}' is negative.", nameof(prices));
            }
        }

        _prices = prices.ToFrozenDictionary(p => p.Key.Trim(), p => p.Value, StringComparer.OrdinalIgnoreCase);
        PricesAsOf = pricesAsOf;
    }

    /// <summary>Gets prices of common OpenAI, Anthropic, Google and DeepSeek models, as published on <see cref="PricesAsOf"/> (listed in docs/scoring.md).</summary>
    /// <remarks>Prices change: check them against the provider before relying on a cost, and override what differs.</remarks>
    public static PricingTable Default => DefaultTable.Value;

    /// <summary>Gets the day the prices were taken, when known.</summary>
    public DateOnly? PricesAsOf { get; }

    /// <summary>Gets the prices by model id.</summary>
    public IReadOnlyDictionary<string, ModelPrice> Prices => _prices;

    /// <summary>Returns a table with one model's price added or replaced.</summary>
    /// <param name="modelId">The model id (<c>gpt-4o</c>).</param>
    /// <param name="price">Its price.</param>
    /// <returns>A new table; this one is unchanged.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="modelId"/> or <paramref name="price"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The price is negative or the model id is blank.</exception>
    public PricingTable With(string modelId, ModelPrice price)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        ArgumentNullException.ThrowIfNull(price);
        var prices = new Dictionary<string, ModelPrice>(_prices, StringComparer.OrdinalIgnoreCase) { [modelId] = price };
        return new PricingTable(prices, PricesAsOf);
    }

    /// <summary>Returns a table with every price of <paramref name="overrides"/> added or replaced (its date wins when it has one).</summary>
    /// <param name="overrides">The prices to lay over this table.</param>
    /// <returns>A new table; this one is unchanged.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="overrides"/> is <see langword="null"/>.</exception>
    public PricingTable With(PricingTable overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var prices = new Dictionary<string, ModelPrice>(_prices, StringComparer.OrdinalIgnoreCase);
        foreach (var (model, price) in overrides._prices)
        {
            prices[model] = price;
        }

        return new PricingTable(prices, overrides.PricesAsOf ?? PricesAsOf);
    }

    /// <summary>
    /// Finds a model's price: the exact id first, then without a provider prefix (<c>openai/gpt-4o</c>), a date or
    /// <c>-latest</c> suffix (<c>gpt-4o-2024-08-06</c>, <c>claude-sonnet-4-20250514</c>). Nothing else is guessed.
    /// </summary>
    /// <param name="modelId">The model id as the provider reported it.</param>
    /// <param name="price">The price, when known.</param>
    /// <returns><see langword="true"/> when the table knows the model.</returns>
    public bool TryGetPrice([NotNullWhen(true)] string? modelId, [NotNullWhen(true)] out ModelPrice? price)
    {
        price = null;
        if (string.IsNullOrWhiteSpace(modelId))
        {
            return false;
        }

        string id = modelId.Trim();
        if (_prices.TryGetValue(id, out price))
        {
            return true;
        }

        int slash = id.LastIndexOf('/');
        if (slash >= 0 && slash < id.Length - 1)
        {
            id = id[(slash + 1)..];
            if (_prices.TryGetValue(id, out price))
            {
                return true;
            }
        }

        string undated = DateSuffixRegex().Replace(id, string.Empty);
        return undated.Length > 0 && !undated.Equals(id, StringComparison.Ordinal) && _prices.TryGetValue(undated, out price);
    }

    /// <summary>Prices token counts: uncached input, cached input and output at their own rates.</summary>
    /// <param name="usage">The usage to price (its cost fields are ignored).</param>
    /// <returns>The usage with <see cref="ModelUsage.InputCost"/> and <see cref="ModelUsage.OutputCost"/> set, or <see langword="null"/> when the model is unknown.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="usage"/> is <see langword="null"/>.</exception>
    public ModelUsage Price(ModelUsage usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        if (!TryGetPrice(usage.ModelId, out var price))
        {
            return usage with { InputCost = null, OutputCost = null };
        }

        long cached = Math.Clamp(usage.CachedInputTokens, 0, Math.Max(0, usage.InputTokens));
        long uncached = Math.Max(0, usage.InputTokens - cached);
        decimal input = (uncached * price.InputPerMillion / Million) + (cached * (price.CachedInputPerMillion ?? price.InputPerMillion) / Million);
        decimal output = Math.Max(0, usage.OutputTokens) * price.OutputPerMillion / Million;
        return usage with { InputCost = input, OutputCost = output };
    }

    /// <summary>
    /// Prices token counts of requests sent through a provider's Batch API: every input token (cached or not) at the
    /// batch input rate and output at the batch output rate — half the standard rates unless the price says otherwise.
    /// Prompt-caching discounts are not documented for batches, so none is applied.
    /// </summary>
    /// <param name="usage">The usage to price (its cost fields are ignored).</param>
    /// <returns>The usage with its costs set, or <see langword="null"/> costs when the model is unknown.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="usage"/> is <see langword="null"/>.</exception>
    public ModelUsage PriceBatch(ModelUsage usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        if (!TryGetPrice(usage.ModelId, out var price))
        {
            return usage with { InputCost = null, OutputCost = null };
        }

        decimal input = Math.Max(0, usage.InputTokens) * (price.BatchInputPerMillion ?? (price.InputPerMillion / 2)) / Million;
        decimal output = Math.Max(0, usage.OutputTokens) * (price.BatchOutputPerMillion ?? (price.OutputPerMillion / 2)) / Million;
        return usage with { InputCost = input, OutputCost = output };
    }

    /// <summary>
    /// Reads a pricing table from JSON:
    /// <c>{ "pricesAsOf": "2025-10-01", "models": { "my-model": { "input": 0.5, "cachedInput": 0.05, "output": 1.5 } } }</c>
    /// (US dollars per million tokens; <c>cachedInput</c>, <c>batchInput</c> and <c>batchOutput</c> optional).
    /// </summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The table (combine it with <see cref="Default"/> through <see cref="With(PricingTable)"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="PricingException">The JSON is malformed or a price is missing or negative; the message says where.</exception>
    public static PricingTable ParseJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !TryGetProperty(root, "models", out var models) || models.ValueKind != JsonValueKind.Object)
            {
                throw new PricingException("The pricing JSON must be an object with a \"models\" object: { \"models\": { \"gpt-4o\": { \"input\": 2.5, \"output\": 10 } } }.");
            }

            DateOnly? asOf = null;
            if (TryGetProperty(root, "pricesAsOf", out var asOfElement) && asOfElement.ValueKind == JsonValueKind.String)
            {
                asOf = DateOnly.TryParseExact(asOfElement.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                    ? d
                    : throw new PricingException($"\"pricesAsOf\" must be a date like 2025-10-01, not '{asOfElement.GetString()}'.");
            }

            var prices = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);
            foreach (var model in models.EnumerateObject())
            {
                if (string.IsNullOrWhiteSpace(model.Name))
                {
                    throw new PricingException("A model id in the pricing JSON is blank.");
                }

                if (model.Value.ValueKind != JsonValueKind.Object)
                {
                    throw new PricingException($"The price of '{model.Name}' must be an object with \"input\" and \"output\".");
                }

                decimal input = RequiredPrice(model.Name, model.Value, "input");
                decimal output = RequiredPrice(model.Name, model.Value, "output");
                decimal? cached = OptionalPrice(model.Name, model.Value, "cachedInput");
                prices[model.Name] = new ModelPrice(input, output)
                {
                    CachedInputPerMillion = cached,
                    BatchInputPerMillion = OptionalPrice(model.Name, model.Value, "batchInput"),
                    BatchOutputPerMillion = OptionalPrice(model.Name, model.Value, "batchOutput"),
                };
            }

            return new PricingTable(prices, asOf);
        }
        catch (JsonException ex)
        {
            throw new PricingException($"The pricing JSON is malformed: {ex.Message}", ex);
        }
    }

    /// <summary>Reads a pricing table from a JSON file (format in <see cref="ParseJson(string)"/>).</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The table.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="PricingException">The file cannot be read or is not a pricing table; the message names the file.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static async Task<PricingTable> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        string json;
        try
        {
            json = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new PricingException($"The pricing file '{path}' cannot be read: {ex.Message}", ex);
        }

        try
        {
            return ParseJson(json);
        }
        catch (PricingException ex)
        {
            throw new PricingException($"The pricing file '{path}': {ex.Message}", ex);
        }
    }

    private static decimal RequiredPrice(string model, JsonElement element, string name)
        => TryGetProperty(element, name, out var value)
            ? PriceOf(model, name, value)
            : throw new PricingException($"The price of '{model}' has no \"{name}\" (US dollars per million tokens).");

    private static decimal? OptionalPrice(string model, JsonElement element, string name)
        => TryGetProperty(element, name, out var value) && value.ValueKind != JsonValueKind.Null ? PriceOf(model, name, value) : null;

    private static decimal PriceOf(string model, string name, JsonElement value)
        => value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out decimal d) && d >= 0
            ? d
            : throw new PricingException($"\"{name}\" of '{model}' must be a number of US dollars per million tokens, 0 or more; it is {value.GetRawText()}.");

    private static bool TryGetProperty(JsonElement element, string name, out JsonElement value)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    private static PricingTable CreateDefault()
    {
        // US dollars per million tokens: input, cached input, output. Standard (not batch, not priority) rates for
        // prompts under any long-context threshold, as the providers published them on the date below.
        static ModelPrice P(decimal input, decimal cached, decimal output) => new(input, output) { CachedInputPerMillion = cached };
        var prices = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase)
        {
            // OpenAI
            ["gpt-4o"] = P(2.50m, 1.25m, 10.00m),
            ["gpt-4o-2024-05-13"] = new(5.00m, 15.00m),
            ["gpt-4o-mini"] = P(0.15m, 0.075m, 0.60m),
            ["gpt-4.1"] = P(2.00m, 0.50m, 8.00m),
            ["gpt-4.1-mini"] = P(0.40m, 0.10m, 1.60m),
            ["gpt-4.1-nano"] = P(0.10m, 0.025m, 0.40m),
            ["gpt-5"] = P(1.25m, 0.125m, 10.00m),
            ["gpt-5-mini"] = P(0.25m, 0.025m, 2.00m),
            ["gpt-5-nano"] = P(0.05m, 0.005m, 0.40m),
            ["o3"] = P(2.00m, 0.50m, 8.00m),
            ["o3-mini"] = P(1.10m, 0.55m, 4.40m),
            ["o4-mini"] = P(1.10m, 0.275m, 4.40m),
            ["text-embedding-3-small"] = P(0.02m, 0.02m, 0m),
            ["text-embedding-3-large"] = P(0.13m, 0.13m, 0m),

            // Anthropic (cache reads; cache writes are billed above the input rate and not reported apart by IChatClient)
            ["claude-opus-4-1"] = P(15.00m, 1.50m, 75.00m),
            ["claude-opus-4"] = P(15.00m, 1.50m, 75.00m),
            ["claude-sonnet-4-5"] = P(3.00m, 0.30m, 15.00m),
            ["claude-sonnet-4"] = P(3.00m, 0.30m, 15.00m),
            ["claude-3-7-sonnet"] = P(3.00m, 0.30m, 15.00m),
            ["claude-3-5-haiku"] = P(0.80m, 0.08m, 4.00m),

            // Google (prompts up to 200k tokens)
            ["gemini-2.5-pro"] = P(1.25m, 0.31m, 10.00m),
            ["gemini-2.5-flash"] = P(0.30m, 0.075m, 2.50m),
            ["gemini-2.5-flash-lite"] = P(0.10m, 0.025m, 0.40m),
            ["gemini-2.0-flash"] = P(0.10m, 0.025m, 0.40m),

            // DeepSeek (V3.2-Exp prices; cached = cache hit)
            ["deepseek-chat"] = P(0.28m, 0.028m, 0.42m),
            ["deepseek-reasoner"] = P(0.28m, 0.028m, 0.42m),
        };
        return new PricingTable(prices, new DateOnly(2025, 10, 1));
    }

    [GeneratedRegex(@"(?:-\d{4}-\d{2}-\d{2}|-\d{8}|-latest|@\d{8}|@latest)$", RegexOptions.IgnoreCase)]
    private static partial Regex DateSuffixRegex();
}

/// <summary>A pricing table could not be read.</summary>
public class PricingException : ArxivRankException
{
    /// <summary>Initializes a new instance of the <see cref="PricingException"/> class.</summary>
    public PricingException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PricingException"/> class.</summary>
    /// <param name="message">What is wrong and where.</param>
    public PricingException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PricingException"/> class.</summary>
    /// <param name="message">What is wrong and where.</param>
    /// <param name="innerException">The cause.</param>
    public PricingException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
