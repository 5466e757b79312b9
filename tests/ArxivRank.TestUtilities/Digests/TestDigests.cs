using System.Globalization;
using System.Text;
using ArxivRank.Rendering;
using ArxivRank.Scoring;

namespace ArxivRank.TestUtilities.Digests;

/// <summary>Digests for tests and benchmarks: the real reference digests as <see cref="Digest"/>s, a hostile one, and large synthetic ones.</summary>
public static class TestDigests
{
    /// <summary>
    /// Builds the <see cref="Digest"/> that reference digest 000, 001 or 002 shows: its date, the usage table from its header
    /// numbers (one gpt-4o row), its totals, its papers in order with their scores (author matches without scores, comment
    /// <c>Author match</c>) and its selection prompt.
    /// </summary>
    public static Digest FromReference(int index) => FromReference(ReferenceDigest.Load(index));

    /// <summary>Builds the <see cref="Digest"/> a parsed reference digest shows.</summary>
    public static Digest FromReference(ReferenceDigest reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var entries = reference.Entries.Select(e => new DigestEntry(
            e.Paper,
            new PaperScore
            {
                PaperId = e.Paper.Id,
                Relevance = e.IsAuthorMatch ? null : e.Relevance,
                Novelty = e.IsAuthorMatch ? null : e.Novelty,
                Comment = e.Comment,
                Origin = e.IsAuthorMatch ? ScoreOrigin.AuthorMatch : ScoreOrigin.Scored,
                ScoredBy = e.IsAuthorMatch ? null : reference.Model,
            })).ToList();

        return new Digest
        {
            Date = reference.Date,
            Papers = entries,
            Totals = new DigestTotals
            {
                TotalPapers = reference.TotalPapers,
                ScannedPapers = reference.ScannedPapers,
                ScoredPapers = reference.ScannedPapers,
                RelevantPapers = reference.RelevantPapers,
            },
            Usage =
            [
                new ModelUsage
                {
                    ModelId = reference.Model,
                    InputTokens = reference.PromptTokens,
                    OutputTokens = reference.CompletionTokens,
                    InputCost = reference.PromptCost,
                    OutputCost = reference.CompletionCost,
                },
            ],
            CriteriaText = reference.Prompt,
            Categories = ["cs.LG"],
            ScorerName = reference.Model,
        };
    }

    /// <summary>The title of the paper in <see cref="Hostile"/> that tries to inject a script.</summary>
    public const string ScriptTitle = "Attention <script>window.__pwned = 'title';</script> Is All You Need";

    /// <summary>The abstract of the paper in <see cref="Hostile"/> that tries to break out of an attribute.</summary>
    public const string BreakoutAbstract = "We \"><img src=x onerror=\"window.__pwned='abstract'\"> study <b>bold</b> claims & <!channel> pings.";

    /// <summary>
    /// A small digest whose feed and model texts try every trick: a script in a title, an attribute break-out in an abstract,
    /// Markdown links to <c>javascript:</c>, Slack mentions, stray <c>*</c> and <c>_</c>, TeX names and math, a hostile DOI.
    /// </summary>
    public static Digest Hostile(DateOnly? date = null)
    {
        var day = date ?? new DateOnly(2025, 2, 26);
        Paper P(string id, string title, string @abstract, string[] authors, string? doi = null) => new()
        {
            Id = ArxivId.Parse(id),
            Title = title,
            Abstract = @abstract,
            Authors = authors,
            Categories = ["cs.LG"],
            PrimaryCategory = "cs.LG",
            AnnouncedOn = day,
            Doi = doi,
        };

        return new Digest
        {
            Date = day,
            Papers =
            [
                new(P("2502.00001v1", ScriptTitle, BreakoutAbstract, ["Mallory <img src=x onerror=alert(1)>", "Christopher R\\'e"], doi: "10.1000/x\"><script>alert(1)</script>"),
                    new PaperScore { PaperId = ArxivId.Parse("2502.00001"), Relevance = 9, Novelty = 8, Comment = "Matches [criterion 1](javascript:alert(1)) <!channel>" }),
                new(P("2502.00002", "Click [here](javascript:alert(document.cookie)) for *free* _tokens_", "Stray * and _ and ~~strike~~ and `code` and | pipes and # hash; math $\\|x\\|_2 < \\epsilon$ and $[a](b)$ kept.", ["{\\L}ukasz Ku\\'smierz", "David P\\\"oppel", "Jo\\~ao Gon\\c{c}alves"]),
                    new PaperScore { PaperId = ArxivId.Parse("2502.00002"), Relevance = 7, Novelty = 6, Comment = "<@U123> and <https://evil.example|click> and &amp;" }),
                new(P("2502.00003", "A Followed Author's Paper", "An ordinary abstract.", ["Yoshua Bengio"]),
                    new PaperScore { PaperId = ArxivId.Parse("2502.00003"), Comment = "Author match", Origin = ScoreOrigin.AuthorMatch }),
            ],
            Totals = new DigestTotals { TotalPapers = 600, ScannedPapers = 400, ScoredPapers = 400, RelevantPapers = 3 },
            Usage = [new ModelUsage { ModelId = "gpt-4o", InputTokens = 1000, OutputTokens = 100, InputCost = null, OutputCost = null }],
            CriteriaText = "Papers about <script>alert('criteria')</script> sparse models.",
            Categories = ["cs.LG"],
            Navigation = new DigestNavigation { Previous = day.AddDays(-1), Next = day.AddDays(1) },
        };
    }

    /// <summary>
    /// A large synthetic digest for benchmarks and streaming tests: <paramref name="papers"/> entries whose titles, authors
    /// and abstracts are drawn (seeded) from the reference digests, with TeX names, math, every score origin, two models'
    /// usage (one price unknown), stages and unscored papers.
    /// </summary>
    public static Digest Synthetic(int papers, int seed = 42)
    {
        var pool = ReferenceDigest.AllEntries();
        var random = new Random(seed);
        var entries = new List<DigestEntry>(papers);
        for (int i = 0; i < papers; i++)
        {
            var source = pool[random.Next(pool.Count)].Paper;
            var id = ArxivId.Parse(string.Create(CultureInfo.InvariantCulture, $"25{1 + (i / 90000) % 12:00}.{10000 + (i % 90000):00000}v{1 + random.Next(3)}"));
            var paper = source with
            {
                Id = id,
                Title = i % 7 == 0 ? source.Title + " with $\\mathcal{O}(n \\log n)$ Cost" : source.Title,
                Authors = i % 5 == 0 ? [.. source.Authors, "Christopher R\\'e", "{\\L}ukasz Ku\\'smierz"] : source.Authors,
            };
            var origin = i % 23 == 0 ? ScoreOrigin.AuthorMatch : i % 31 == 0 ? ScoreOrigin.KeywordRule : ScoreOrigin.Scored;
            var score = new PaperScore
            {
                PaperId = id,
                Relevance = origin == ScoreOrigin.AuthorMatch ? null : 5 + random.Next(6),
                Novelty = origin == ScoreOrigin.AuthorMatch ? null : 4 + random.Next(7),
                Score = origin == ScoreOrigin.AuthorMatch ? null : Math.Round(random.NextDouble() * 20, 3),
                Comment = origin == ScoreOrigin.AuthorMatch ? "Author match" : "Matches criterion " + (1 + random.Next(6)).ToString(CultureInfo.InvariantCulture) + ": a foundational contribution to representation learning.",
                Origin = origin,
                ScoredBy = origin == ScoreOrigin.Scored ? "gpt-4o" : null,
            };
            entries.Add(new DigestEntry(paper, score));
        }

        var date = new DateOnly(2025, 2, 26);
        return new Digest
        {
            Date = date,
            Papers = entries,
            Totals = new DigestTotals { TotalPapers = papers * 3, ScannedPapers = papers * 2, ScoredPapers = papers * 2, RelevantPapers = papers },
            Usage =
            [
                new ModelUsage { ModelId = "gpt-4o-mini", Requests = 20, InputTokens = 400_000, CachedInputTokens = 100_000, OutputTokens = 20_000, InputCost = 0.06m, OutputCost = 0.012m },
                new ModelUsage { ModelId = "local-llama", Requests = 10, InputTokens = 100_000, OutputTokens = 9_000 },
            ],
            CriteriaText = ReferenceDigest.Load(1).Prompt,
            Categories = ["cs.LG", "cs.AI"],
            Unscored = [new UnscoredPaper(pool[0].Paper, "the model did not return this id after 3 attempts")],
            Stages = [new StageStatistics("fetch", 0, papers * 3, TimeSpan.FromSeconds(2.5)), new StageStatistics("score", papers * 2, papers * 2, TimeSpan.FromMinutes(1.25))],
            Navigation = new DigestNavigation { Previous = date.AddDays(-1), Next = date.AddDays(1) },
            ScorerName = "gpt-4o-mini",
        };
    }

    /// <summary>
    /// Writes a digest as a day file of the Python tool (<c>{arxivId: {SCORE, ARXIVID, COMMENT, RELEVANCE, NOVELTY, authors, title, abstract, arxiv_id}}</c>),
    /// the shape its <c>out/json/YYYY-MM/YYYY-MM-DD-output.json</c> files have; author matches carry only COMMENT and SCORE.
    /// </summary>
    public static string ToPythonDayFile(Digest digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        var options = new System.Text.Json.JsonWriterOptions { Indented = true };
        using var buffer = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer, options))
        {
            writer.WriteStartObject();
            int n = digest.Papers.Count;
            foreach (var (entry, i) in digest.Papers.Select((e, i) => (e, i)))
            {
                string id = entry.Paper.Id.Id;
                writer.WriteStartObject(id);
                if (entry.Score.Origin == ScoreOrigin.AuthorMatch)
                {
                    writer.WriteString("COMMENT", "Author match");
                    writer.WriteNumber("SCORE", 20.0);
                }
                else
                {
                    writer.WriteNumber("SCORE", (entry.Score.Relevance ?? 0) + (entry.Score.Novelty ?? 0));
                    writer.WriteString("ARXIVID", id);
                    writer.WriteString("COMMENT", entry.Score.Comment);
                    writer.WriteNumber("RELEVANCE", entry.Score.Relevance ?? 0);
                    writer.WriteNumber("NOVELTY", entry.Score.Novelty ?? 0);
                }

                writer.WriteStartArray("authors");
                foreach (string author in entry.Paper.Authors)
                {
                    writer.WriteStringValue(author);
                }

                writer.WriteEndArray();
                writer.WriteString("title", entry.Paper.Title);
                writer.WriteString("abstract", entry.Paper.Abstract);
                writer.WriteString("arxiv_id", id);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
