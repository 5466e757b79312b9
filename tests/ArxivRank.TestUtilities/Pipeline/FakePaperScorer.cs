using ArxivRank.Pipeline;
using ArxivRank.Scoring;
using Microsoft.Extensions.Time.Testing;

namespace ArxivRank.TestUtilities.Pipeline;

/// <summary>
/// A hand-written <see cref="IPaperScorer"/> that scores each paper with <see cref="ScoreCallback"/> (a <see langword="null"/>
/// score makes the paper unscored), charges <see cref="InputTokensPerPaper"/> and <see cref="OutputTokensPerPaper"/> per
/// paper sent, and records every call. Implements <see cref="IScorerFingerprint"/> so the score cache can key its scores.
/// </summary>
public sealed class FakePaperScorer : IPaperScorer, IScorerFingerprint
{
    private readonly List<IReadOnlyList<Paper>> _calls = [];
    private readonly Lock _gate = new();

    /// <summary>Gets or sets how each paper is scored; <see langword="null"/> leaves it unscored. By default relevance 5, novelty 5.</summary>
    public Func<Paper, PaperScore?> ScoreCallback { get; set; } = p => new PaperScore { PaperId = p.Id, Relevance = 5, Novelty = 5 };

    /// <summary>Gets or sets a hook run at the start of every call with the call's index (from 0); throw from it to simulate a failure or a crash.</summary>
    public Action<int, IReadOnlyList<Paper>>? BeforeCall { get; set; }

    /// <summary>Gets or sets a clock to advance by <see cref="LatencyPerCall"/> on every call (so stage timings are testable without sleeping).</summary>
    public FakeTimeProvider? Clock { get; set; }

    /// <summary>Gets or sets the simulated time each call takes.</summary>
    public TimeSpan LatencyPerCall { get; set; }

    public string ModelId { get; set; } = "fake-model";

    public string CriteriaHash { get; set; } = "fake-criteria";

    public long InputTokensPerPaper { get; set; } = 100;

    public long OutputTokensPerPaper { get; set; } = 20;

    /// <summary>Gets or sets the price per input token in US dollars; <see langword="null"/> for an unknown price.</summary>
    public decimal? InputPricePerToken { get; set; } = 0.000_002_5m;

    public decimal? OutputPricePerToken { get; set; } = 0.000_01m;

    /// <summary>Gets the papers of each call, in order.</summary>
    public IReadOnlyList<IReadOnlyList<Paper>> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>Gets the number of papers sent to this scorer over all calls (what a real model would charge for).</summary>
    public int PapersSent => Calls.Sum(c => c.Count);

    /// <summary>Scores with the labeled verdicts of a real day: the LLM's relevance and novelty for its picks, relevance 2 and novelty 2 for the rest.</summary>
    public static FakePaperScorer FromLabels(IEnumerable<LabeledPaper> labeled)
    {
        var byId = labeled.ToDictionary(l => l.Paper.Id.Id);
        return new FakePaperScorer
        {
            ScoreCallback = p => byId.TryGetValue(p.Id.Id, out var l)
                ? new PaperScore { PaperId = p.Id, Relevance = l.Relevance ?? 2, Novelty = l.Novelty ?? 2, Comment = l.Selected ? "selected by the reader's model" : "not selected", ScoredBy = "fake-model" }
                : null,
        };
    }

    public Task<ScoringResult> ScoreAsync(IReadOnlyList<Paper> papers, IProgress<ScoringProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(papers);
        cancellationToken.ThrowIfCancellationRequested();
        int index;
        lock (_gate)
        {
            index = _calls.Count;
            _calls.Add([.. papers]);
        }

        BeforeCall?.Invoke(index, papers);
        Clock?.Advance(LatencyPerCall);
        var scores = new List<PaperScore>();
        var unscored = new List<UnscoredPaper>();
        foreach (var paper in papers)
        {
            if (ScoreCallback(paper) is { } score)
            {
                scores.Add(score);
            }
            else
            {
                unscored.Add(new UnscoredPaper(paper, "the fake model did not return this id after 3 attempts"));
            }
        }

        progress?.Report(new ScoringProgress(papers.Count, papers.Count));
        long input = InputTokensPerPaper * papers.Count, output = OutputTokensPerPaper * papers.Count;
        var usage = papers.Count == 0
            ? []
            : new[]
            {
                new ModelUsage
                {
                    ModelId = ModelId,
                    Requests = 1,
                    InputTokens = input,
                    OutputTokens = output,
                    InputCost = InputPricePerToken * input,
                    OutputCost = OutputPricePerToken * output,
                },
            };
        return Task.FromResult(new ScoringResult { Scores = scores, Unscored = unscored, Usage = usage });
    }
}
