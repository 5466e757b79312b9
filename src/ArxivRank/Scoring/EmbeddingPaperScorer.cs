using System.Globalization;
using ArxivRank.Pipeline;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArxivRank.Scoring;

/// <summary>
/// Scores papers by cosine similarity between each paper (title and abstract) and the reader's interests (each topic,
/// the relevant keywords, the introduction, liked papers), minus a share of the similarity to the irrelevant domains.
/// Works with any <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>.
/// </summary>
internal sealed class EmbeddingPaperScorer : IPaperScorer, IScorerFingerprint
{
    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;
    private readonly EmbeddingScorerOptions _options;
    private readonly ILogger _logger;
    private readonly List<(string Label, string Text)> _interests = [];
    private readonly List<(string Label, string Text)> _irrelevant = [];
    private readonly string _modelKey;
    private readonly ScoringCriteria _criteria;

    public EmbeddingPaperScorer(IEmbeddingGenerator<string, Embedding<float>> generator, ScoringCriteria criteria, EmbeddingScorerOptions? options, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(criteria);
        _options = options ?? new EmbeddingScorerOptions();
        _options.Validate();
        _generator = generator;
        _criteria = criteria;
        _logger = logger ?? NullLogger.Instance;
        _modelKey = _options.ModelId ?? generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId ?? "embedding";

        foreach (var topic in criteria.Topics)
        {
            _interests.Add(($"topic '{topic.Name}'", string.Join(". ", new[] { topic.Name, topic.Description, topic.Relevant }.Where(s => !string.IsNullOrWhiteSpace(s)))));
        }

        if (criteria.RelevantKeywords.Count > 0)
        {
            _interests.Add(("the relevant keywords", string.Join(", ", criteria.RelevantKeywords)));
        }

        if (criteria.Topics.Count == 0 && criteria.Introduction.Length > 0)
        {
            _interests.Add(("the reader's interests", criteria.Introduction));
        }

        foreach (var liked in _options.LikedPapers)
        {
            _interests.Add(($"liked paper {liked.Id.Id}", PaperText(liked)));
        }

        if (criteria.IrrelevantKeywords.Count > 0)
        {
            _irrelevant.Add(("irrelevant domains", string.Join(", ", criteria.IrrelevantKeywords)));
        }

        if (criteria.ApplicationTasks.Count > 0)
        {
            _irrelevant.Add(("application tasks", string.Join(", ", criteria.ApplicationTasks)));
        }

        if (_interests.Count == 0)
        {
            _interests.Add(("the reader's notes", criteria.ToMarkdown(includeAuthors: false)));
        }
    }

    /// <summary>Gets the embedding model, the id the digest shows for this scorer.</summary>
    public string ModelId => _modelKey;

    /// <summary>Gets an empty hash on purpose: the 1–10 relevance is relative to the run, so scores are not cached.</summary>
    public string CriteriaHash => string.Empty;

    public object? GetService(Type serviceType, object? serviceKey = null)
        => ScorerIdentity.Answer(this, serviceType, serviceKey, _criteria, () => new ScorerMetadata(_modelKey, criteriaHash: null, _criteria.ToMarkdown()));

    public async Task<ScoringResult> ScoreAsync(IReadOnlyList<Paper> papers, IProgress<ScoringProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(papers);
        foreach (var paper in papers)
        {
            ArgumentNullException.ThrowIfNull(paper, nameof(papers));
        }

        if (papers.Count == 0)
        {
            return new ScoringResult();
        }

        var usage = new UsageAccumulator();
        var generationOptions = _options.ModelId is null ? null : new EmbeddingGenerationOptions { ModelId = _options.ModelId };

        // The interests are embedded first: without them nothing can be scored, so a failure here fails the run.
        var reference = _interests.Concat(_irrelevant).Select(i => i.Text).ToList();
        IReadOnlyList<float[]> referenceVectors;
        try
        {
            referenceVectors = await EmbedAsync(reference, generationOptions, usage, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new ScoringException($"Embedding the reader's interests with {_modelKey} failed: {CriteriaParser.Collapse(ex.Message)}", ex)
            {
                PartialResult = new ScoringResult { Unscored = [.. papers.Select(p => new UnscoredPaper(p, "the reader's interests could not be embedded"))], Usage = usage.ToUsage(_options.Pricing) },
            };
        }

        var interestVectors = referenceVectors.Take(_interests.Count).ToList();
        var irrelevantVectors = referenceVectors.Skip(_interests.Count).ToList();

        var similarities = new double?[papers.Count];
        var closest = new string?[papers.Count];
        var reasons = new string?[papers.Count];
        int done = 0;
        for (int start = 0; start < papers.Count; start += _options.BatchSize)
        {
            int count = Math.Min(_options.BatchSize, papers.Count - start);
            var texts = Enumerable.Range(start, count).Select(i => PaperText(papers[i])).ToList();
            try
            {
                var vectors = await EmbedAsync(texts, generationOptions, usage, cancellationToken).ConfigureAwait(false);
                for (int k = 0; k < count; k++)
                {
                    var (best, label) = Best(vectors[k], interestVectors, _interests);
                    var (worst, _) = irrelevantVectors.Count == 0 ? (0d, string.Empty) : Best(vectors[k], irrelevantVectors, _irrelevant);
                    similarities[start + k] = best - (_options.IrrelevantWeight * Math.Max(0, worst));
                    closest[start + k] = string.Create(CultureInfo.InvariantCulture, $"Closest to {label} (cosine {best:0.00}).");
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.EmbeddingFailed(_logger, ex, count);
                for (int k = 0; k < count; k++)
                {
                    reasons[start + k] = $"the embedding request failed ({ex.GetType().Name}: {CriteriaParser.Collapse(ex.Message)})";
                }
            }

            done += count;
            progress?.Report(new ScoringProgress(done, papers.Count));
        }

        var present = similarities.Where(s => s.HasValue).Select(s => s!.Value).ToList();
        double min = present.Count > 0 ? present.Min() : 0, max = present.Count > 0 ? present.Max() : 0;
        var scores = new List<PaperScore>();
        var unscored = new List<UnscoredPaper>();
        for (int i = 0; i < papers.Count; i++)
        {
            if (similarities[i] is { } s)
            {
                int relevance = max > min ? Math.Clamp(1 + (int)Math.Round(9 * (s - min) / (max - min), MidpointRounding.AwayFromZero), 1, 10) : 5;
                scores.Add(new PaperScore { PaperId = papers[i].Id, Relevance = relevance, Score = Math.Round(s, 6), Comment = closest[i], ScoredBy = _modelKey });
            }
            else
            {
                unscored.Add(new UnscoredPaper(papers[i], reasons[i] ?? "not embedded"));
            }
        }

        var result = new ScoringResult { Scores = scores, Unscored = unscored, Usage = usage.ToUsage(_options.Pricing) };
        int allowed = (int)Math.Floor((_options.MaxFailureShare * papers.Count) + 1e-9);
        if (unscored.Count > allowed)
        {
            throw new ScoringException(string.Create(
                CultureInfo.InvariantCulture,
                $"{unscored.Count} of {papers.Count} papers could not be embedded, more than the allowed {LlmPaperScorer.Percent(_options.MaxFailureShare)} (EmbeddingScorerOptions.MaxFailureShare). First reason: {unscored[0].Reason}."))
            {
                PartialResult = result,
            };
        }

        return result;
    }

    private async Task<IReadOnlyList<float[]>> EmbedAsync(List<string> texts, EmbeddingGenerationOptions? options, UsageAccumulator usage, CancellationToken cancellationToken)
    {
        var embeddings = await _generator.GenerateAsync(texts, options, cancellationToken).ConfigureAwait(false);
        usage.Add(embeddings.FirstOrDefault()?.ModelId ?? _modelKey, embeddings.Usage);
        if (embeddings.Count != texts.Count)
        {
            throw new InvalidOperationException($"the generator returned {embeddings.Count} embeddings for {texts.Count} texts");
        }

        return [.. embeddings.Select(e => e.Vector.ToArray())];
    }

    private string PaperText(Paper paper)
        => ScoringPrompts.Clean(paper.Title) + "\n\n" + ScoringPrompts.Cut(ScoringPrompts.CleanAbstract(paper.Abstract), _options.AbstractMaxLength);

    private static (double Similarity, string Label) Best(float[] vector, List<float[]> references, List<(string Label, string Text)> labels)
    {
        double best = double.NegativeInfinity;
        string label = string.Empty;
        for (int i = 0; i < references.Count; i++)
        {
            double cosine = Cosine(vector, references[i]);
            if (cosine > best)
            {
                best = cosine;
                label = labels[i].Label;
            }
        }

        return (best, label);
    }

    internal static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            throw new InvalidOperationException($"embeddings of different lengths ({a.Length} and {b.Length})");
        }

        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += a[i] * (double)b[i];
            na += a[i] * (double)a[i];
            nb += b[i] * (double)b[i];
        }

        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }
}
