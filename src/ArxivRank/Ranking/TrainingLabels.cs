namespace ArxivRank.Ranking;

/// <summary>How judged papers and reader feedback become training examples.</summary>
public sealed class TrainingLabelOptions
{
    /// <summary>Gets or sets the relevance at or above which a judged paper counts as positive (with <see cref="MinNovelty"/>).</summary>
    /// <value>Default 7, the selection cut-off.</value>
    public int MinRelevance { get; set; } = 7;

    /// <summary>Gets or sets the novelty at or above which a judged paper counts as positive; a paper without novelty passes.</summary>
    /// <value>Default 6, the selection cut-off.</value>
    public int MinNovelty { get; set; } = 6;

    /// <summary>Gets or sets the weight of a reader's like or dislike (a judgment weighs 1).</summary>
    /// <value>Default 5.</value>
    public double FeedbackWeight { get; set; } = 5;

    /// <summary>Gets or sets whether papers the learned ranker itself scored (pre-screened out) are used as labels.</summary>
    /// <value>Default <see langword="false"/>: the model does not learn from its own guesses.</value>
    public bool IncludeLearnedJudgments { get; set; }

    internal void Validate()
    {
        if (MinRelevance is < 1 or > 10)
        {
            throw new ArgumentException($"TrainingLabelOptions.MinRelevance must be between 1 and 10 (was {MinRelevance}).");
        }

        if (MinNovelty is < 1 or > 10)
        {
            throw new ArgumentException($"TrainingLabelOptions.MinNovelty must be between 1 and 10 (was {MinNovelty}).");
        }

        if (!double.IsFinite(FeedbackWeight) || FeedbackWeight <= 0)
        {
            throw new ArgumentException($"TrainingLabelOptions.FeedbackWeight must be a positive number (was {FeedbackWeight}).");
        }
    }
}

/// <summary>Training examples built from a label store, with what went into them.</summary>
/// <param name="Examples">The examples, judgments first (by day, then id), then feedback.</param>
/// <param name="Days">The number of distinct announcement days among the judgments used.</param>
/// <param name="Positives">The number of positive judgments (not counting feedback).</param>
/// <param name="FeedbackUsed">The number of papers with reader feedback that became examples.</param>
/// <param name="FeedbackWithoutPaper">The number of papers with feedback whose text the store does not have (not used).</param>
public sealed record TrainingLabelSet(IReadOnlyList<LabeledExample> Examples, int Days, int Positives, int FeedbackUsed, int FeedbackWithoutPaper);

/// <summary>Builds training examples from judged papers and reader feedback.</summary>
public static class TrainingLabels
{
    /// <summary>
    /// Builds the examples: each judged paper once (its latest judgment), positive when it was selected or meets the
    /// cut-offs, negative otherwise, weight 1; and for each paper with feedback, its latest verdict as an extra example
    /// of weight <see cref="TrainingLabelOptions.FeedbackWeight"/>, so feedback outweighs a judgment.
    /// </summary>
    /// <param name="judgments">The judged papers.</param>
    /// <param name="feedback">The reader's verdicts.</param>
    /// <param name="options">The cut-offs and the feedback weight; defaults when <see langword="null"/>.</param>
    /// <returns>The examples and counts.</returns>
    /// <exception cref="ArgumentNullException">A list is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public static TrainingLabelSet Build(IEnumerable<JudgedPaper> judgments, IEnumerable<FeedbackRecord> feedback, TrainingLabelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(judgments);
        ArgumentNullException.ThrowIfNull(feedback);
        options ??= new TrainingLabelOptions();
        options.Validate();

        var latest = new Dictionary<string, JudgedPaper>(StringComparer.Ordinal);
        foreach (var judged in judgments)
        {
            if (judged?.Paper is null || (!options.IncludeLearnedJudgments && judged.ScoredBy == LearnedRanker.ScorerName))
            {
                continue;
            }

            string id = judged.Paper.Id.Id;
            if (!latest.TryGetValue(id, out var earlier) || earlier.Day <= judged.Day)
            {
                latest[id] = judged;
            }
        }

        var ordered = latest.Values.OrderBy(j => j.Day).ThenBy(j => j.Paper.Id.Id, StringComparer.Ordinal).ToList();
        var examples = new List<LabeledExample>(ordered.Count);
        int positives = 0;
        foreach (var judged in ordered)
        {
            bool positive = judged.Selected
                || (judged.Relevance >= options.MinRelevance && (judged.Novelty is null || judged.Novelty >= options.MinNovelty));
            positives += positive ? 1 : 0;
            examples.Add(new LabeledExample(judged.Paper, positive));
        }

        var verdicts = new Dictionary<string, FeedbackRecord>(StringComparer.Ordinal);
        foreach (var record in feedback.Where(f => f is not null).OrderBy(f => f.RecordedAt))
        {
            verdicts[record.PaperId.Id] = record;
        }

        int used = 0, missing = 0;
        foreach (var (id, record) in verdicts.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            if (latest.TryGetValue(id, out var judged))
            {
                examples.Add(new LabeledExample(judged.Paper, record.Feedback == Feedback.Like, options.FeedbackWeight));
                used++;
            }
            else
            {
                missing++;
            }
        }

        return new TrainingLabelSet(examples, ordered.Select(j => j.Day).Distinct().Count(), positives, used, missing);
    }

    /// <summary>Reads the store's judgments and feedback and builds the examples (<see cref="Build"/>).</summary>
    /// <param name="store">The label store.</param>
    /// <param name="options">The cut-offs and the feedback weight; defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The examples and counts.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    /// <exception cref="ArxivRankException">The store cannot be read.</exception>
    public static async Task<TrainingLabelSet> FromStoreAsync(ILabelStore store, TrainingLabelOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var judgments = await store.GetJudgmentsAsync(cancellationToken).ConfigureAwait(false);
        var feedback = await store.GetFeedbackAsync(cancellationToken).ConfigureAwait(false);
        return Build(judgments, feedback, options);
    }
}
