using System.Text;
using Microsoft.Extensions.AI;

namespace ArxivRank.TestUtilities.Chat;

/// <summary>
/// A hand-written embedding generator. By default it returns <see cref="HashingEmbedding"/>: deterministic bag-of-words
/// vectors, so similar wording gives similar vectors. That makes tests meaningful, but numbers measured with it say
/// nothing about the quality of a real embedding model.
/// </summary>
public sealed class TestEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private int _calls;

    /// <summary>Gets or sets what <see cref="GenerateAsync"/> does; the default embeds with <see cref="HashingEmbedding"/>.</summary>
    public Func<IEnumerable<string>, EmbeddingGenerationOptions?, CancellationToken, Task<GeneratedEmbeddings<Embedding<float>>>> GenerateAsyncCallback { get; set; }

    /// <summary>Gets or sets the metadata returned by <see cref="GetService"/>.</summary>
    public EmbeddingGeneratorMetadata? Metadata { get; set; } = new("test", defaultModelId: "test-embedding");

    /// <summary>Gets the number of calls received.</summary>
    public int CallCount => Volatile.Read(ref _calls);

    /// <summary>Initializes a new instance of the <see cref="TestEmbeddingGenerator"/> class that embeds with <see cref="HashingEmbedding"/>.</summary>
    public TestEmbeddingGenerator()
    {
        GenerateAsyncCallback = (values, _, _) =>
        {
            var list = values.ToList();
            var result = new GeneratedEmbeddings<Embedding<float>>(list.Select(v => new Embedding<float>(HashingEmbedding(v)) { ModelId = "test-embedding" }))
            {
                Usage = new UsageDetails { InputTokenCount = list.Sum(v => (v.Length + 3) / 4), TotalTokenCount = list.Sum(v => (v.Length + 3) / 4) },
            };
            return Task.FromResult(result);
        };
    }

    /// <inheritdoc/>
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        return GenerateAsyncCallback(values, options, cancellationToken);
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null)
        => serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? Metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    /// <summary>
    /// A deterministic unit vector for a text: each lower-cased word (and its 5-letter prefix, a crude stem) is hashed into
    /// one of <paramref name="dimensions"/> buckets with a sign. Only for tests.
    /// </summary>
    public static float[] HashingEmbedding(string text, int dimensions = 256)
    {
        var vector = new float[dimensions];
        var word = new StringBuilder();
        foreach (char c in (text ?? string.Empty) + " ")
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToLowerInvariant(c));
                continue;
            }

            if (word.Length > 2)
            {
                string w = word.ToString();
                Add(vector, w, 1f);
                if (w.Length > 5)
                {
                    Add(vector, w[..5], 0.5f);
                }
            }

            word.Clear();
        }

        double norm = Math.Sqrt(vector.Sum(v => (double)v * v));
        if (norm > 0)
        {
            for (int i = 0; i < vector.Length; i++)
            {
                vector[i] = (float)(vector[i] / norm);
            }
        }

        return vector;
    }

    private static void Add(float[] vector, string token, float weight)
    {
        uint hash = 2166136261;
        foreach (char c in token)
        {
            hash = (hash ^ c) * 16777619;
        }

        vector[hash % (uint)vector.Length] += (hash & 0x80000000) != 0 ? -weight : weight;
    }
}
