using System.Globalization;
using System.Text.Json;
using ArxivRank.Scoring;
using ArxivRank.Serialization;

namespace ArxivRank.Ranking;

/// <summary>
/// A small linear model of what this reader wants, learned from papers already judged (by the LLM or by the reader):
/// tf-idf over the words and word pairs of title and abstract, and an L2-regularized logistic regression.
/// Scores a thousand papers in milliseconds, without a model call.
/// </summary>
/// <remarks>
/// <para>Train with <see cref="Train"/>, rank with <see cref="AsScorer"/> (or <see cref="Score(Paper)"/> one paper), keep or move
/// with <see cref="Save"/> / <see cref="Load"/>: the model is a JSON file with a <c>formatVersion</c>, its vocabulary,
/// each term's idf and weight (docs/learned-ranker.md).</para>
/// <para>A trained instance is immutable and safe to use from several threads.</para>
/// </remarks>
public sealed class LearnedRanker
{
    /// <summary>The model file format this library writes and reads.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>The <see cref="PaperScore.ScoredBy"/> of every score this model gives.</summary>
    public const string ScorerName = "learned";

    internal const string Kind = "arxivrank.learned-ranker";

    private const int CommentTermCount = 3;

    private readonly string[] _terms;
    private readonly float[] _idf;
    private readonly float[] _weights;
    private readonly double _intercept;
    private readonly float _titleWeight;
    private readonly bool _wordPairs;
    private readonly LearnedRankerOptions _options;
    private readonly Dictionary<string, int> _index;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    private LearnedRanker(string[] terms, float[] idf, float[] weights, double intercept, LearnedRankerOptions options, LearnedRankerTraining training)
    {
        _terms = terms;
        _idf = idf;
        _weights = weights;
        _intercept = intercept;
        _options = options;
        _titleWeight = (float)options.TitleWeight;
        _wordPairs = options.UseWordPairs;
        Training = training;
        _index = new Dictionary<string, int>(terms.Length, StringComparer.Ordinal);
        for (int i = 0; i < terms.Length; i++)
        {
            _index.Add(terms[i], i);
        }

        _lookup = _index.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Gets the number of terms (words and word pairs) the model knows.</summary>
    public int VocabularySize => _terms.Length;

    /// <summary>Gets what the model was trained on and how the training went.</summary>
    public LearnedRankerTraining Training { get; }

    /// <summary>Gets a copy of the options the model was trained with.</summary>
    public LearnedRankerOptions Options => new()
    {
        TitleWeight = _options.TitleWeight,
        UseWordPairs = _options.UseWordPairs,
        MinDocumentFrequency = _options.MinDocumentFrequency,
        MaxVocabularySize = _options.MaxVocabularySize,
        L2Regularization = _options.L2Regularization,
        BalanceClasses = _options.BalanceClasses,
        MaxIterations = _options.MaxIterations,
    };

    /// <summary>
    /// Trains a model from judged papers. Deterministic: the same examples in the same order and the same options give
    /// the same model, byte for byte once saved (the optimizer, full-batch L-BFGS, uses no randomness).
    /// </summary>
    /// <param name="examples">The judged papers; at least one positive and one negative of weight above 0.</param>
    /// <param name="options">The training options; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the training.</param>
    /// <returns>The trained model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="examples"/> or one of its items is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range, or an example's weight is negative, infinite or NaN.</exception>
    /// <exception cref="LearnedRankerException">There is no positive or no negative example to learn from.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static LearnedRanker Train(IEnumerable<LabeledExample> examples, LearnedRankerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(examples);
        options ??= new LearnedRankerOptions();
        options.Validate();
        var settings = new LearnedRankerOptions
        {
            TitleWeight = options.TitleWeight,
            UseWordPairs = options.UseWordPairs,
            MinDocumentFrequency = options.MinDocumentFrequency,
            MaxVocabularySize = options.MaxVocabularySize,
            L2Regularization = options.L2Regularization,
            BalanceClasses = options.BalanceClasses,
            MaxIterations = options.MaxIterations,
        };

        // 1. Count every term of every paper once; remember each paper's term counts by term id.
        var allTerms = new Dictionary<string, int>(StringComparer.Ordinal);
        var counter = new CountingSink(allTerms);
        var documentFrequency = new List<int>();
        var documents = new List<(int[] Ids, float[] Counts)>();
        var labels = new List<bool>();
        var weights = new List<double>();
        DateOnly? firstDay = null, lastDay = null;
        int index = 0;
        foreach (var example in examples)
        {
            if (example is null)
            {
                throw new ArgumentNullException(nameof(examples), $"The example at index {index} is null.");
            }

            if (example.Paper is null)
            {
                throw new ArgumentNullException(nameof(examples), $"The example at index {index} has no paper.");
            }

            if (!double.IsFinite(example.Weight) || example.Weight < 0)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(examples),
                    example.Weight,
                    string.Create(CultureInfo.InvariantCulture, $"The example at index {index} ({example.Paper.Id}) has weight {example.Weight}; a weight must be finite and not negative."));
            }

            index++;
            if (example.Weight == 0)
            {
                continue;
            }

            if ((index & 255) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            counter.Counts.Clear();
            PaperTerms.Extract(example.Paper, (float)settings.TitleWeight, settings.UseWordPairs, ref counter);
            var ids = new int[counter.Counts.Count];
            var counts = new float[ids.Length];
            int k = 0;
            foreach (var (id, count) in counter.Counts)
            {
                ids[k] = id;
                counts[k++] = count;
                if (id == documentFrequency.Count)
                {
                    documentFrequency.Add(1);
                }
                else
                {
                    documentFrequency[id]++;
                }
            }

            Array.Sort(ids, counts);
            documents.Add((ids, counts));
            labels.Add(example.Positive);
            weights.Add(example.Weight);
            if (example.Paper.AnnouncedOn is { } day)
            {
                firstDay = firstDay is { } f && f <= day ? f : day;
                lastDay = lastDay is { } l && l >= day ? l : day;
            }
        }

        int positives = labels.Count(p => p);
        if (positives == 0 || positives == labels.Count)
        {
            throw new LearnedRankerException(string.Create(
                CultureInfo.InvariantCulture,
                $"A learned ranker needs both wanted and unwanted papers to learn from; got {positives} positive and {labels.Count - positives} negative example(s) of weight above 0."));
        }

        // 2. The vocabulary: terms in at least MinDocumentFrequency papers, the most frequent MaxVocabularySize of them, in ordinal order.
        string[] termById = new string[allTerms.Count];
        foreach (var (term, id) in allTerms)
        {
            termById[id] = term;
        }

        var kept = Enumerable.Range(0, termById.Length)
            .Where(id => documentFrequency[id] >= settings.MinDocumentFrequency)
            .OrderByDescending(id => documentFrequency[id])
            .ThenBy(id => termById[id], StringComparer.Ordinal)
            .Take(settings.MaxVocabularySize)
            .OrderBy(id => termById[id], StringComparer.Ordinal)
            .ToArray();
        if (kept.Length == 0)
        {
            throw new LearnedRankerException(string.Create(
                CultureInfo.InvariantCulture,
                $"No term occurs in {settings.MinDocumentFrequency} or more of the {labels.Count} training papers; give more papers or lower {nameof(LearnedRankerOptions)}.{nameof(LearnedRankerOptions.MinDocumentFrequency)}."));
        }

        var column = new int[termById.Length];
        Array.Fill(column, -1);
        string[] terms = new string[kept.Length];
        float[] idf = new float[kept.Length];
        int n = labels.Count;
        for (int c = 0; c < kept.Length; c++)
        {
            column[kept[c]] = c;
            terms[c] = termById[kept[c]];
            idf[c] = (float)(Math.Log((1.0 + n) / (1.0 + documentFrequency[kept[c]])) + 1);
        }

        // 3. tf-idf rows, sublinear tf, L2-normalized.
        var rowStarts = new int[n + 1];
        var columns = new List<int>();
        var values = new List<float>();
        var rowValues = new List<(int Column, double Value)>();
        for (int r = 0; r < n; r++)
        {
            var (ids, counts) = documents[r];
            rowValues.Clear();
            double norm = 0;
            for (int k = 0; k < ids.Length; k++)
            {
                int c = column[ids[k]];
                if (c >= 0)
                {
                    double v = TfIdf(counts[k], idf[c]);
                    rowValues.Add((c, v));
                    norm += v * v;
                }
            }

            rowValues.Sort((a, b) => a.Column.CompareTo(b.Column));
            norm = Math.Sqrt(norm);
            foreach (var (c, v) in rowValues)
            {
                columns.Add(c);
                values.Add((float)(v / norm));
            }

            rowStarts[r + 1] = columns.Count;
            documents[r] = default; // free as we go
        }

        // 4. Class weights (each class counts half in total), then the fit.
        double positiveWeight = 0, negativeWeight = 0;
        for (int r = 0; r < n; r++)
        {
            if (labels[r])
            {
                positiveWeight += weights[r];
            }
            else
            {
                negativeWeight += weights[r];
            }
        }

        double[] sampleWeights = new double[n];
        double total = positiveWeight + negativeWeight;
        for (int r = 0; r < n; r++)
        {
            double classWeight = !settings.BalanceClasses ? 1 : total / (2 * (labels[r] ? positiveWeight : negativeWeight));
            sampleWeights[r] = weights[r] * classWeight;
        }

        var rows = new SparseRows(rowStarts, columns.ToArray(), values.ToArray(), kept.Length);
        var fit = LogisticRegression.Fit(rows, labels.ToArray(), sampleWeights, settings.L2Regularization, settings.MaxIterations, cancellationToken);
        float[] termWeights = new float[kept.Length];
        for (int c = 0; c < kept.Length; c++)
        {
            termWeights[c] = (float)fit.Weights[c];
        }

        var training = new LearnedRankerTraining
        {
            Papers = n,
            Positives = positives,
            FirstDay = firstDay,
            LastDay = lastDay,
            Iterations = fit.Iterations,
            Converged = fit.Converged,
        };
        return new LearnedRanker(terms, idf, termWeights, fit.Intercept, settings, training);
    }

    /// <summary>
    /// The model's probability that the reader wants the paper, between 0 and 1. With <see cref="LearnedRankerOptions.BalanceClasses"/>
    /// (the default) it is the probability as if wanted and unwanted papers were equally common, so 0.5 is the model's
    /// point of indifference; it ranks exactly as the unbalanced probability would.
    /// </summary>
    /// <param name="paper">The paper.</param>
    /// <returns>The probability.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="paper"/> is <see langword="null"/>.</exception>
    public double PredictProbability(Paper paper)
    {
        ArgumentNullException.ThrowIfNull(paper);
        var sink = new ScoringSink(_lookup, new Dictionary<int, float>());
        return LogisticRegression.Sigmoid(Margin(paper, ref sink, null));
    }

    /// <summary>Scores one paper: relevance on the 1–10 scale, the probability as <see cref="PaperScore.Score"/>, and the strongest matching terms as the comment.</summary>
    /// <param name="paper">The paper.</param>
    /// <returns>The score; <see cref="PaperScore.Novelty"/> is <see langword="null"/> (a text model cannot judge novelty).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="paper"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// Relevance is the probability <c>p</c> in tenths: <c>min(10, 1 + ⌊10·p⌋)</c>, so <c>p</c> below 0.1 gives 1,
    /// 0.5 gives 6, 0.9 and above gives 10 (measured meaning of the scale in docs/learned-ranker.md).
    /// </remarks>
    public PaperScore Score(Paper paper)
    {
        ArgumentNullException.ThrowIfNull(paper);
        return Score(paper, new Scratch());
    }

    /// <summary>Gets a scorer that ranks papers with this model, for anything that takes an <see cref="IPaperScorer"/>.</summary>
    /// <returns>The scorer. It scores every paper (none is left unscored), spends no tokens and reports no usage.</returns>
    public IPaperScorer AsScorer() => new LearnedPaperScorer(this);

    /// <summary>Writes the model as JSON (UTF-8) to the stream.</summary>
    /// <param name="stream">Where to write; left open.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="IOException">The stream could not be written.</exception>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        JsonSerializer.Serialize(stream, ToDocument(), RankingJsonContext.Default.LearnedRankerDocument);
    }

    /// <summary>Writes the model as JSON (UTF-8) to the stream.</summary>
    /// <param name="stream">Where to write; left open.</param>
    /// <param name="cancellationToken">Cancels the writing.</param>
    /// <returns>A task that completes when the model is written.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="IOException">The stream could not be written.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public Task SaveAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return JsonSerializer.SerializeAsync(stream, ToDocument(), RankingJsonContext.Default.LearnedRankerDocument, cancellationToken);
    }

    /// <summary>Reads a model written by <see cref="Save"/> (by this or an earlier version of the library).</summary>
    /// <param name="stream">Where to read.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="LearnedRankerException">The stream is not a learned ranker model: not JSON, no or an unknown <c>formatVersion</c>, or inconsistent contents. The message says which.</exception>
    /// <exception cref="IOException">The stream could not be read.</exception>
    public static LearnedRanker Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return FromJson(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
    }

    /// <summary>Reads a model written by <see cref="Save"/> (by this or an earlier version of the library).</summary>
    /// <param name="stream">Where to read.</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="LearnedRankerException">The stream is not a learned ranker model: not JSON, no or an unknown <c>formatVersion</c>, or inconsistent contents. The message says which.</exception>
    /// <exception cref="IOException">The stream could not be read.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static async Task<LearnedRanker> LoadAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return FromJson(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
    }

    /// <summary>Gets the vocabulary, in ordinal order (for benchmarks and diagnostics).</summary>
    internal IReadOnlyList<string> Terms => _terms;

    /// <summary>Gets each term's idf.</summary>
    internal IReadOnlyList<float> Idf => _idf;

    /// <summary>Gets each term's weight.</summary>
    internal IReadOnlyList<float> Weights => _weights;

    /// <summary>Gets the intercept.</summary>
    internal double Intercept => _intercept;

    /// <summary>Maps a probability to the 1–10 relevance scale: <c>min(10, 1 + ⌊10·p⌋)</c>.</summary>
    internal static int RelevanceOf(double probability) => Math.Clamp(1 + (int)Math.Floor(probability * 10), 1, 10);

    /// <summary>Gets the terms with the largest weights for (positive) or against (negative) a paper, for docs and diagnostics.</summary>
    internal IEnumerable<(string Term, double Weight)> StrongestTerms(int count, bool positive) =>
        Enumerable.Range(0, _terms.Length)
            .OrderBy(i => positive ? -_weights[i] : _weights[i])
            .ThenBy(i => _terms[i], StringComparer.Ordinal)
            .Take(count)
            .Select(i => (_terms[i], (double)_weights[i]));

    internal PaperScore Score(Paper paper, Scratch scratch)
    {
        var sink = new ScoringSink(_lookup, scratch.Counts);
        scratch.Contributions.Clear();
        double probability = LogisticRegression.Sigmoid(Margin(paper, ref sink, scratch.Contributions));
        return new PaperScore
        {
            PaperId = paper.Id,
            Relevance = RelevanceOf(probability),
            Novelty = null,
            Score = probability,
            Comment = Comment(scratch.Contributions),
            ScoredBy = ScorerName,
        };
    }

    private static double TfIdf(float count, float idf) => (1 + Math.Log(count)) * idf;

    private string Comment(List<(double Contribution, int Column)> contributions)
    {
        contributions.Sort((a, b) => a.Contribution != b.Contribution ? b.Contribution.CompareTo(a.Contribution) : string.CompareOrdinal(_terms[a.Column], _terms[b.Column]));
        var strongest = contributions.Where(c => c.Contribution > 0).Take(CommentTermCount).Select(c => $"\"{_terms[c.Column]}\"").ToList();
        return strongest.Count == 0 ? "Learned ranker: no matching terms" : "Learned ranker; matching terms: " + string.Join(", ", strongest);
    }

    /// <summary>w·x + b for the paper's normalized tf-idf vector x; collects each term's part when asked.</summary>
    private double Margin(Paper paper, ref ScoringSink sink, List<(double Contribution, int Column)>? contributions)
    {
        sink.Counts.Clear();
        PaperTerms.Extract(paper, _titleWeight, _wordPairs, ref sink);
        double norm = 0, dot = 0;
        foreach (var (c, count) in sink.Counts)
        {
            double v = TfIdf(count, _idf[c]);
            norm += v * v;
            dot += v * _weights[c];
        }

        if (norm == 0)
        {
            return _intercept;
        }

        norm = Math.Sqrt(norm);
        if (contributions is not null)
        {
            foreach (var (c, count) in sink.Counts)
            {
                contributions.Add((TfIdf(count, _idf[c]) * _weights[c] / norm, c));
            }
        }

        return _intercept + (dot / norm);
    }

    private LearnedRankerDocument ToDocument() => new()
    {
        FormatVersion = CurrentFormatVersion,
        Kind = Kind,
        Features = new LearnedRankerFeaturesDocument
        {
            TitleWeight = _options.TitleWeight,
            WordPairs = _options.UseWordPairs,
            MinDocumentFrequency = _options.MinDocumentFrequency,
            MaxVocabularySize = _options.MaxVocabularySize,
        },
        Training = new LearnedRankerTrainingDocument
        {
            Papers = Training.Papers,
            Positives = Training.Positives,
            FirstDay = Training.FirstDay,
            LastDay = Training.LastDay,
            L2Regularization = _options.L2Regularization,
            BalanceClasses = _options.BalanceClasses,
            MaxIterations = _options.MaxIterations,
            Iterations = Training.Iterations,
            Converged = Training.Converged,
        },
        Intercept = _intercept,
        Terms = _terms,
        Idf = _idf,
        Weights = _weights,
    };

    private static LearnedRanker FromJson(ReadOnlyMemory<byte> json)
    {
        int? version;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Invalid($"the file holds a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}, not an object");
            }

            version = document.RootElement.TryGetProperty("formatVersion", out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int number) ? number : null;
            if (document.RootElement.TryGetProperty("kind", out var kind) && (kind.ValueKind != JsonValueKind.String || kind.GetString() != Kind))
            {
                throw Invalid($"its kind is {kind.GetRawText()}, not \"{Kind}\"");
            }
        }
        catch (JsonException ex)
        {
            throw new LearnedRankerException($"The learned ranker model is not valid JSON: {ex.Message}", ex);
        }

        if (version is null)
        {
            throw Invalid("it has no integer \"formatVersion\"");
        }

        if (version != CurrentFormatVersion)
        {
            throw new LearnedRankerException(string.Create(
                CultureInfo.InvariantCulture,
                $"The learned ranker model has format version {version}; this version of ArxivRank reads format version {CurrentFormatVersion} only. Train the model again with this version (arxivrank train), or use the ArxivRank version that wrote it."))
            {
                UnsupportedFormatVersion = version,
            };
        }

        LearnedRankerDocument? model;
        try
        {
            model = JsonSerializer.Deserialize(json.Span, RankingJsonContext.Default.LearnedRankerDocument);
        }
        catch (JsonException ex)
        {
            throw Invalid(ex.Message, ex);
        }

        return FromDocument(model!);
    }

    private static LearnedRanker FromDocument(LearnedRankerDocument model)
    {
        if (model.Features is not { } features)
        {
            throw Invalid("\"features\" is missing");
        }

        if (model.Terms is not { } terms || model.Idf is not { } idf || model.Weights is not { } weights)
        {
            throw Invalid("\"terms\", \"idf\" or \"weights\" is missing");
        }

        if (idf.Length != terms.Length || weights.Length != terms.Length)
        {
            throw Invalid(string.Create(CultureInfo.InvariantCulture, $"it has {terms.Length} terms but {idf.Length} idf values and {weights.Length} weights"));
        }

        if (!double.IsFinite(model.Intercept))
        {
            throw Invalid("\"intercept\" is not a finite number");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < terms.Length; i++)
        {
            if (string.IsNullOrEmpty(terms[i]) || !seen.Add(terms[i]))
            {
                throw Invalid(string.Create(CultureInfo.InvariantCulture, $"term {i} is empty or repeated"));
            }

            if (!float.IsFinite(idf[i]) || idf[i] <= 0 || !float.IsFinite(weights[i]))
            {
                throw Invalid(string.Create(CultureInfo.InvariantCulture, $"term {i} (\"{terms[i]}\") has an idf or weight that is not a finite number (idf must be above 0)"));
            }
        }

        var defaults = new LearnedRankerOptions();
        var training = model.Training ?? new LearnedRankerTrainingDocument
        {
            L2Regularization = defaults.L2Regularization,
            BalanceClasses = defaults.BalanceClasses,
            MaxIterations = defaults.MaxIterations,
        };
        var options = new LearnedRankerOptions
        {
            TitleWeight = features.TitleWeight,
            UseWordPairs = features.WordPairs,
            MinDocumentFrequency = features.MinDocumentFrequency,
            MaxVocabularySize = features.MaxVocabularySize,
            L2Regularization = training.L2Regularization,
            BalanceClasses = training.BalanceClasses,
            MaxIterations = training.MaxIterations,
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw Invalid(ex.Message, ex);
        }

        return new LearnedRanker(terms, idf, weights, model.Intercept, options, new LearnedRankerTraining
        {
            Papers = training.Papers,
            Positives = training.Positives,
            FirstDay = training.FirstDay,
            LastDay = training.LastDay,
            Iterations = training.Iterations,
            Converged = training.Converged,
        });
    }

    private static LearnedRankerException Invalid(string reason, Exception? inner = null) =>
        new($"The file is not a valid learned ranker model: {reason}.", inner);

    /// <summary>Buffers reused from paper to paper by one scoring run (not thread-safe; one per run).</summary>
    internal sealed class Scratch
    {
        public Dictionary<int, float> Counts { get; } = [];

        public List<(double Contribution, int Column)> Contributions { get; } = [];
    }

    private struct CountingSink(Dictionary<string, int> terms) : ITermSink
    {
        private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup = terms.GetAlternateLookup<ReadOnlySpan<char>>();

        public Dictionary<int, float> Counts { get; } = [];

        public readonly void Add(ReadOnlySpan<char> term, float count)
        {
            if (!_lookup.TryGetValue(term, out int id))
            {
                id = _lookup.Dictionary.Count;
                _lookup[term] = id;
            }

            Counts[id] = Counts.GetValueOrDefault(id) + count;
        }
    }

    private readonly struct ScoringSink(Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> lookup, Dictionary<int, float> counts) : ITermSink
    {
        public Dictionary<int, float> Counts { get; } = counts;

        public void Add(ReadOnlySpan<char> term, float count)
        {
            if (lookup.TryGetValue(term, out int c))
            {
                Counts[c] = Counts.GetValueOrDefault(c) + count;
            }
        }
    }
}
