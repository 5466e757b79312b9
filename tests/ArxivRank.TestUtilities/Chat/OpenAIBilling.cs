using System.Collections.Concurrent;
using Microsoft.ML.Tokenizers;

namespace ArxivRank.TestUtilities.Chat;

/// <summary>
/// Bills chat requests the way OpenAI does for gpt-4o, so cost levers can be measured against a loopback server:
/// tokens counted with gpt-4o's tokenizer (o200k_base, plus the chat format's few tokens per message); automatic prompt
/// caching of a prompt prefix of 1,024 tokens or more, the cached part growing in 128-token steps, matched against the
/// prompts of earlier requests that had finished (requests in flight at once do not share a cache entry), cached input
/// at half price; and the Batch API at half the input and output prices, without caching discounts.
/// </summary>
public sealed class OpenAIBilling
{
    /// <summary>The shortest prompt prefix OpenAI caches, in tokens.</summary>
    public const int MinCachedPrefix = 1024;

    /// <summary>The step in which the cached part grows, in tokens.</summary>
    public const int CacheIncrement = 128;

    private static readonly Lazy<Tokenizer> Tokenizer = new(() => TiktokenTokenizer.CreateForModel("gpt-4o"));

    private readonly ConcurrentDictionary<ulong, byte> _prefixes = new();
    private readonly Lock _lock = new();
    private long _input;
    private long _cached;
    private long _output;
    private long _batchInput;
    private long _batchOutput;
    private int _requests;
    private int _batchRequests;

    /// <summary>Gets or sets the input price in US dollars per million tokens (gpt-4o: 2.50).</summary>
    public decimal InputPerMillion { get; init; } = 2.50m;

    /// <summary>Gets or sets the cached input price (gpt-4o: 1.25).</summary>
    public decimal CachedInputPerMillion { get; init; } = 1.25m;

    /// <summary>Gets or sets the output price (gpt-4o: 10.00).</summary>
    public decimal OutputPerMillion { get; init; } = 10.00m;

    /// <summary>Gets or sets the share of the standard prices the Batch API charges (OpenAI: 0.5).</summary>
    public decimal BatchFactor { get; init; } = 0.5m;

    /// <summary>Gets the dollars billed so far.</summary>
    public decimal Dollars
    {
        get
        {
            lock (_lock)
            {
                decimal uncached = (_input - _cached) * InputPerMillion;
                decimal cached = _cached * CachedInputPerMillion;
                decimal output = _output * OutputPerMillion;
                decimal batch = ((_batchInput * InputPerMillion) + (_batchOutput * OutputPerMillion)) * BatchFactor;
                return (uncached + cached + output + batch) / 1_000_000m;
            }
        }
    }

    /// <summary>Gets the totals billed so far: synchronous input, cached input, output; batch input, batch output; requests.</summary>
    public (long Input, long Cached, long Output, long BatchInput, long BatchOutput, int Requests, int BatchRequests) Totals
    {
        get
        {
            lock (_lock)
            {
                return (_input, _cached, _output, _batchInput, _batchOutput, _requests, _batchRequests);
            }
        }
    }

    /// <summary>Counts the tokens of a text with gpt-4o's tokenizer.</summary>
    public static int CountTokens(string text) => Tokenizer.Value.CountTokens(text);

    /// <summary>The token ids of a chat prompt as OpenAI's chat format lays it out (a few tokens around each message).</summary>
    public static IReadOnlyList<int> PromptTokens(IReadOnlyList<ChatCompletionsMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var ids = new List<int>();
        foreach (var message in messages)
        {
            // <|im_start|>role\n … <|im_end|>\n: three framing tokens and the role, as tiktoken's chat accounting counts them.
            ids.Add(200264);
            ids.AddRange(Tokenizer.Value.EncodeToIds(message.Role));
            ids.Add(198);
            ids.AddRange(Tokenizer.Value.EncodeToIds(message.Content));
            ids.Add(200265);
        }

        ids.Add(200264);
        ids.AddRange(Tokenizer.Value.EncodeToIds("assistant"));
        ids.Add(198);
        return ids;
    }

    /// <summary>Looks up the cached prefix of a synchronous request (without recording it).</summary>
    /// <returns>The prompt tokens and the cached ones.</returns>
    public (int Prompt, int Cached) LookUp(IReadOnlyList<ChatCompletionsMessage> messages)
    {
        var ids = PromptTokens(messages);
        int cached = 0;
        for (int length = MinCachedPrefix; length <= ids.Count; length += CacheIncrement)
        {
            if (!_prefixes.ContainsKey(Hash(ids, length)))
            {
                break;
            }

            cached = length;
        }

        return (ids.Count, cached);
    }

    /// <summary>Records a finished synchronous request: its prefixes become cacheable for later requests, and its tokens are billed.</summary>
    public void Bill(IReadOnlyList<ChatCompletionsMessage> messages, int prompt, int cached, int completion)
    {
        var ids = PromptTokens(messages);
        for (int length = MinCachedPrefix; length <= ids.Count; length += CacheIncrement)
        {
            _prefixes.TryAdd(Hash(ids, length), 0);
        }

        lock (_lock)
        {
            _input += prompt;
            _cached += cached;
            _output += completion;
            _requests++;
        }
    }

    /// <summary>Bills one request run through the Batch API.</summary>
    public void BillBatch(int prompt, int completion)
    {
        lock (_lock)
        {
            _batchInput += prompt;
            _batchOutput += completion;
            _batchRequests++;
        }
    }

    private static ulong Hash(IReadOnlyList<int> ids, int length)
    {
        ulong hash = 14695981039346656037UL;
        for (int i = 0; i < length; i++)
        {
            hash = (hash ^ (uint)ids[i]) * 1099511628211UL;
        }

        return hash ^ (ulong)length;
    }
}
