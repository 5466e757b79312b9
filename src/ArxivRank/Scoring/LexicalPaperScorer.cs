using System.Globalization;
using System.Text;

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
internal sealed class LexicalPaperScorer : IPaperScorer
{
    internal const string ScorerId = "lexical";

    private static readonly HashSet<string> GenericTerms = new(StringComparer.Ordinal)
    {
        "paper", "work", "method", "approach", "new", "novel", "propos", "research", "study", "studi", "result", "bas",
        "using", "use", "us", "task", "model", "data", "insight", "applic", "exist", "known", "standard", "general",
        "focus", "relevant", "irrelevant", "domain", "specific", "improv", "technique", "without", "purely", "merely",
        "contribut", "significant", "major", "minor", "broad", "conventional", "straightforward", "certain", "read",
        "friend", "enjoy", "criteria", "find", "match", "helpful", "assistant", "daily", "post", "carefully", "abstract", "title",
    };

    private readonly LexicalScorerOptions _options;
    private readonly Dictionary<string, QueryTerm> _query;

    public LexicalPaperScorer(ScoringCriteria criteria, LexicalScorerOptions? options)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        _options = options ?? new LexicalScorerOptions();
        _options.Validate();
        _query = BuildQuery(criteria, _options.IrrelevantWeight);
    }

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
            documents.Add(new Document(paper, _options.TitleWeight));
        }

        var documentFrequency = new Dictionary<string, int>(StringComparer.Ordinal);
        double totalLength = 0;
        foreach (var document in documents)
        {
            totalLength += document.Length;
            foreach (string term in document.Frequencies.Keys)
            {
                if (_query.ContainsKey(term))
                {
                    documentFrequency[term] = documentFrequency.GetValueOrDefault(term) + 1;
                }
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
            foreach (var (term, frequency) in document.Frequencies)
            {
                if (!_query.TryGetValue(term, out var query))
                {
                    continue;
                }

                int df = documentFrequency[term];
                double idf = Math.Log(1 + ((n - df + 0.5) / (df + 0.5)));
                double contribution = query.Weight * idf * (frequency * (_options.K1 + 1) / (frequency + norm));
                sum += contribution;
                matched.Add((query, contribution, document.TitleTerms.Contains(term)));
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
        public Document(Paper paper, double titleWeight)
        {
            Paper = paper;
            var titleBigrams = new List<string>();
            var titleTerms = TextAnalysis.Terms(paper.Title, titleBigrams);
            var abstractBigrams = new List<string>();
            var abstractTerms = TextAnalysis.Terms(paper.Abstract, abstractBigrams);
            TitleTerms = new HashSet<string>(titleTerms.Concat(titleBigrams), StringComparer.Ordinal);
            foreach (string term in titleTerms.Concat(titleBigrams))
            {
                Frequencies[term] = Frequencies.GetValueOrDefault(term) + titleWeight;
            }

            foreach (string term in abstractTerms.Concat(abstractBigrams))
            {
                Frequencies[term] = Frequencies.GetValueOrDefault(term) + 1;
            }

            Length = (titleWeight * titleTerms.Count) + abstractTerms.Count;
        }

        public Paper Paper { get; }

        public Dictionary<string, double> Frequencies { get; } = new(StringComparer.Ordinal);

        public HashSet<string> TitleTerms { get; }

        public double Length { get; }
    }
}
