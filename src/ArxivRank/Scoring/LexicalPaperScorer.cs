using System.Text;
using ArxivRank.Pipeline;

namespace ArxivRank.Scoring;

/// <summary>
/// The offline scorer: weighs the words of the reader's criteria against each paper with BM25 over the title (weighted)
/// and the abstract, the day's papers as the corpus. Deterministic, no network, no key.
/// </summary>
/// <remarks>
/// Query terms and weights: relevant keywords 1.0 (their two-word phrases 1.5), topic names 1.0, the topics'
/// "relevant" notes 0.5, the introduction and notes 0.2; irrelevant domains and application tasks −1.0 (phrases −1.5) and
/// the topics' "irrelevant" notes −0.3, all times <see cref="LexicalScorerOptions.IrrelevantWeight"/> for the negative ones.
/// A term's weights add up. <see cref="PaperScore.Score"/> keeps the BM25 sum; <see cref="PaperScore.Relevance"/> maps it
/// to 1–10 relative to the best paper of the run; novelty is not judged.
/// </remarks>
internal sealed class LexicalPaperScorer : IPaperScorer, IScorerFingerprint
{
    internal const string ScorerId = "lexical";

    private static readonly HashSet<string> GenericTerms = new(StringComparer.Ordinal)
    {
        "paper", "work", "method", "approach", "new", "novel", "propos", "research", "study", "studi", "result", "bas",
        "using", "use", "us", "task", "model", "data", "insight", "applic", "exist", "known", "standard", "general",
        "focus", "relevant", "irrelevant", "domain", "specific", "improv", "technique", "without", "purely", "merely",
        "contribut", "significant", "major", "minor", "broad", "conventional", "straightforward", "certain", "read",
        "friend", "enjoy", "criteria", "find", "match", "helpful", "assistant", "daily", "post", "carefully", "abstract", "title",
        "learn", "neural", "network", "deep", "system",
    };

    private readonly LexicalScorerOptions _options;
    private readonly ScoringCriteria _criteria;
    private readonly Dictionary<string, QueryTerm> _query;
    private readonly Dictionary<string, QueryTerm> _unigrams = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), QueryTerm> _bigrams = [];

    public LexicalPaperScorer(ScoringCriteria criteria, LexicalScorerOptions? options)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        _options = options ?? new LexicalScorerOptions();
        _options.Validate();
        _criteria = criteria;
        _query = BuildQuery(criteria, _options.IrrelevantWeight);
        foreach (var (key, term) in _query)
        {
            int space = key.IndexOf(' ', StringComparison.Ordinal);
            if (space < 0)
            {
                _unigrams[key] = term;
            }
            else
            {
                _bigrams[(key[..space], key[(space + 1)..])] = term;
            }
        }
    }

    /// <summary>Gets <c>lexical</c>, the id the digest shows for this scorer.</summary>
    public string ModelId => ScorerId;

    /// <summary>Gets an empty hash on purpose: BM25 weights and the 1–10 mapping depend on the whole run, so scores are not cached.</summary>
    public string CriteriaHash => string.Empty;

    public object? GetService(Type serviceType, object? serviceKey = null)
        => ScorerIdentity.Answer(this, serviceType, serviceKey, _criteria, () => new ScorerMetadata(ModelId, criteriaHash: null, _criteria.ToMarkdown()));

    /// <summary>Gets the query terms and weights (exposed for tests and docs).</summary>
    internal IReadOnlyDictionary<string, double> QueryWeights => _query.ToDictionary(p => p.Key, p => p.Value.Weight, StringComparer.Ordinal);

    public Task<ScoringResult> ScoreAsync(IReadOnlyList<Paper> papers, IProgress<ScoringProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(papers);
        cancellationToken.ThrowIfCancellationRequested();
        var documents = new List<Document>(papers.Count);
        foreach (var paper in papers)
        {
            ArgumentNullException.ThrowIfNull(paper, nameof(papers));
            documents.Add(new Document(paper, _options.TitleWeight, _unigrams, _bigrams));
        }

        var documentFrequency = new Dictionary<QueryTerm, int>(ReferenceEqualityComparer.Instance);
        double totalLength = 0;
        foreach (var document in documents)
        {
            totalLength += document.Length;
            foreach (var term in document.Frequencies.Keys)
            {
                documentFrequency[term] = documentFrequency.GetValueOrDefault(term) + 1;
            }
        }

        int n = documents.Count;
        double averageLength = n == 0 ? 1 : Math.Max(1, totalLength / n);
        var raw = new double[n];
        var matches = new List<(QueryTerm Term, double Contribution, bool InTitle)>[n];
        for (int i = 0; i < n; i++)
        {
            if ((i & 255) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var document = documents[i];
            var matched = new List<(QueryTerm, double, bool)>();
            double sum = 0;
            double norm = _options.K1 * (1 - _options.B + (_options.B * document.Length / averageLength));
            foreach (var (query, frequency) in document.Frequencies)
            {
                int df = documentFrequency[query];
                double idf = Math.Log(1 + ((n - df + 0.5) / (df + 0.5)));
                double contribution = query.Weight * idf * (frequency * (_options.K1 + 1) / (frequency + norm));
                sum += contribution;
                matched.Add((query, contribution, document.TitleTerms.Contains(query)));
            }

            raw[i] = sum;
            matches[i] = matched;
        }

        double best = raw.Length == 0 ? 0 : raw.Max();
        var scores = new List<PaperScore>(n);
        for (int i = 0; i < n; i++)
        {
            int relevance = raw[i] <= 0 || best <= 0 ? 1 : Math.Clamp(1 + (int)Math.Round(9 * raw[i] / best, MidpointRounding.AwayFromZero), 1, 10);
            scores.Add(new PaperScore
            {
                PaperId = documents[i].Paper.Id,
                Relevance = relevance,
                Score = Math.Round(raw[i], 6),
                Comment = Comment(matches[i]),
                ScoredBy = ScorerId,
            });
        }

        progress?.Report(new ScoringProgress(n, n));
        return Task.FromResult(new ScoringResult { Scores = scores });
    }

    private static string Comment(List<(QueryTerm Term, double Contribution, bool InTitle)> matched)
    {
        if (matched.Count == 0)
        {
            return "No term of the criteria matched.";
        }

        static string Label((QueryTerm Term, double Contribution, bool InTitle) m) => m.InTitle ? m.Term.Display + " (title)" : m.Term.Display;
        var positive = matched.Where(m => m.Contribution > 0).OrderByDescending(m => m.Contribution).ThenBy(m => m.Term.Display, StringComparer.Ordinal).Take(6).Select(Label).ToList();
        var negative = matched.Where(m => m.Contribution < 0).OrderBy(m => m.Contribution).ThenBy(m => m.Term.Display, StringComparer.Ordinal).Take(3).Select(Label).ToList();
        var sb = new StringBuilder();
        if (positive.Count > 0)
        {
            sb.Append("Matched: ").AppendJoin(", ", positive).Append('.');
        }

        if (negative.Count > 0)
        {
            sb.Append(sb.Length > 0 ? " " : string.Empty).Append("Against: ").AppendJoin(", ", negative).Append('.');
        }

        return sb.Length > 0 ? sb.ToString() : "No term of the criteria matched.";
    }

    private static Dictionary<string, QueryTerm> BuildQuery(ScoringCriteria criteria, double irrelevantWeight)
    {
        var query = new Dictionary<string, QueryTerm>(StringComparer.Ordinal);

        void Add(string? text, double unigramWeight, double bigramWeight)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return;
            }

            // Each item separately, so a phrase's words pair up only within the item ("low-rank", not "rank, foundation").
            foreach (string item in text.Split([',', ';', '/', '(', ')', '\n', '.', ':'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var words = TextAnalysis.Words(TextAnalysis.Fold(item)).Where(w => !TextAnalysis.IsStopWord(w) && (w.Length > 1 || char.IsDigit(w[0]))).ToList();
                string? previous = null;
                string? previousWord = null;
                foreach (string word in words)
                {
                    string term = TextAnalysis.Stem(word);
                    if (!GenericTerms.Contains(term) && unigramWeight != 0)
                    {
                        Put(term, word, unigramWeight);
                    }

                    if (previous is not null && bigramWeight != 0)
                    {
                        Put(previous + " " + term, previousWord + " " + word, bigramWeight);
                    }

                    previous = term;
                    previousWord = word;
                }
            }
        }

        void Put(string term, string display, double weight)
        {
            query[term] = query.TryGetValue(term, out var existing)
                ? existing with { Weight = existing.Weight + weight }
                : new QueryTerm(display, weight);
        }

        foreach (string keyword in criteria.RelevantKeywords)
        {
            Add(keyword, 1.0, 1.5);
        }

        foreach (var topic in criteria.Topics)
        {
            Add(topic.Name, 1.0, 1.5);
            Add(topic.Relevant, 0.5, 0.5);
            Add(topic.Description, 0.2, 0.2);
            Add(topic.Irrelevant, -0.3 * irrelevantWeight, -0.3 * irrelevantWeight);
        }

        Add(criteria.Introduction, 0.2, 0.2);
        foreach (var note in criteria.Notes)
        {
            Add(note.Text, 0.2, 0.2);
        }

        foreach (string keyword in criteria.IrrelevantKeywords.Concat(criteria.ApplicationTasks))
        {
            Add(keyword, -1.0 * irrelevantWeight, -1.5 * irrelevantWeight);
        }

        foreach (string key in query.Where(p => Math.Abs(p.Value.Weight) < 1e-9).Select(p => p.Key).ToList())
        {
            query.Remove(key);
        }

        foreach (var (key, value) in query.ToList())
        {
            query[key] = value with { Weight = Math.Clamp(value.Weight, -3, 3) };
        }

        return query;
    }

    private sealed record QueryTerm(string Display, double Weight);

    private sealed class Document
    {
        public Document(Paper paper, double titleWeight, Dictionary<string, QueryTerm> unigrams, Dictionary<(string, string), QueryTerm> bigrams)
        {
            Paper = paper;
            int titleLength = Count(paper.Title, titleWeight, unigrams, bigrams, TitleTerms);
            int abstractLength = Count(paper.Abstract, 1, unigrams, bigrams, null);
            Length = (titleWeight * titleLength) + abstractLength;
        }

        public Paper Paper { get; }

        /// <summary>Gets the (title-weighted) frequency of each query term in the paper; other words are only counted in <see cref="Length"/>.</summary>
        public Dictionary<QueryTerm, double> Frequencies { get; } = new(ReferenceEqualityComparer.Instance);

        public HashSet<QueryTerm> TitleTerms { get; } = new(ReferenceEqualityComparer.Instance);

        public double Length { get; }

        private int Count(string text, double weight, Dictionary<string, QueryTerm> unigrams, Dictionary<(string, string), QueryTerm> bigrams, HashSet<QueryTerm>? seen)
        {
            var terms = TextAnalysis.Terms(text);
            for (int i = 0; i < terms.Count; i++)
            {
                if (unigrams.TryGetValue(terms[i], out var unigram))
                {
                    Add(unigram);
                }

                if (i > 0 && bigrams.TryGetValue((terms[i - 1], terms[i]), out var bigram))
                {
                    Add(bigram);
                }
            }

            return terms.Count;

            void Add(QueryTerm term)
            {
                Frequencies[term] = Frequencies.GetValueOrDefault(term) + weight;
                seen?.Add(term);
            }
        }
    }
}
