namespace ArxivRank.Ranking;

/// <summary>When and how the learned ranker is retrained automatically after a digest.</summary>
public sealed class AutoTrainingOptions
{
    /// <summary>Gets or sets the number of judged announcement days needed before the first training.</summary>
    /// <value>Default 5.</value>
    public int MinDays { get; set; } = 5;

    /// <summary>Gets or sets the number of positive judgments needed before the first training.</summary>
    /// <value>Default 100.</value>
    public int MinPositives { get; set; } = 100;

    /// <summary>
    /// Gets or sets how many of the most recent judged announcement days the ranker learns from (papers with the reader's
    /// feedback are kept whatever their day), or <see langword="null"/> for the whole history. Bounds the daily retraining:
    /// a year of history is ~220,000 papers, ~35 s of training after every LLM digest, where 60 days is ~40,000.
    /// </summary>
    /// <value>Default 60.</value>
    public int? MaxDays { get; set; } = 60;

    /// <summary>Gets or sets how judgments and feedback become labels.</summary>
    /// <value>Defaults: selection cut-offs 7 / 6, feedback weight 5.</value>
    public TrainingLabelOptions Labels { get; set; } = new();

    /// <summary>Gets or sets the ranker's training options, or <see langword="null"/> for its defaults.</summary>
    /// <value>Default <see langword="null"/>.</value>
    public LearnedRankerOptions? Ranker { get; set; }

    internal void Validate()
    {
        if (MinDays < 1)
        {
            throw new ArgumentException($"AutoTrainingOptions.MinDays must be at least 1 (was {MinDays}).");
        }

        if (MinPositives < 1)
        {
            throw new ArgumentException($"AutoTrainingOptions.MinPositives must be at least 1 (was {MinPositives}).");
        }

        if (MaxDays < MinDays)
        {
            throw new ArgumentException($"AutoTrainingOptions.MaxDays must be at least MinDays ({MinDays}), or null for the whole history (was {MaxDays}).");
        }

        ArgumentNullException.ThrowIfNull(Labels, "AutoTrainingOptions.Labels");
    }
}

/// <summary>What an automatic training attempt did.</summary>
/// <param name="Trained">Whether a new model was trained and saved in the store.</param>
/// <param name="Message">Why not, or what was trained — one line for the user.</param>
/// <param name="Ranker">The new model, when trained.</param>
/// <param name="Labels">The labels the attempt looked at.</param>
public sealed record AutoTrainingResult(bool Trained, string Message, LearnedRanker? Ranker, TrainingLabelSet Labels);

/// <summary>Retrains the learned ranker from the store once there is enough history (call it after each digest).</summary>
public static class AutoTrainer
{
    /// <summary>
    /// Trains a new model from the store's judgments and feedback and saves it in the store when there are at least
    /// <see cref="AutoTrainingOptions.MinDays"/> judged days and <see cref="AutoTrainingOptions.MinPositives"/> positives;
    /// otherwise does nothing and says why. Retrains from all history each time (seconds for 10,000 papers).
    /// </summary>
    /// <param name="store">The label store.</param>
    /// <param name="options">The thresholds; defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    /// <returns>What happened.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    /// <exception cref="ArxivRankException">The store cannot be read or written.</exception>
    public static async Task<AutoTrainingResult> TryTrainAsync(ILabelStore store, AutoTrainingOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        options ??= new AutoTrainingOptions();
        options.Validate();
        var judgments = options.MaxDays is { } days
            ? await store.GetRecentJudgmentsAsync(days, cancellationToken).ConfigureAwait(false)
            : await store.GetJudgmentsAsync(cancellationToken).ConfigureAwait(false);
        var feedback = await store.GetFeedbackAsync(cancellationToken).ConfigureAwait(false);
        var labels = TrainingLabels.Build(judgments, feedback, options.Labels);
        if (labels.Days < options.MinDays || labels.Positives < options.MinPositives)
        {
            return new AutoTrainingResult(
                false,
                FormattableString.Invariant($"not enough history to train the learned ranker yet: {labels.Days} of {options.MinDays} days, {labels.Positives} of {options.MinPositives} positives"),
                null,
                labels);
        }

        LearnedRanker ranker;
        try
        {
            ranker = LearnedRanker.Train(labels.Examples, options.Ranker, cancellationToken);
        }
        catch (LearnedRankerException ex)
        {
            return new AutoTrainingResult(false, $"the learned ranker could not be trained: {ex.Message}", null, labels);
        }

        await store.SaveModelAsync(ranker, cancellationToken).ConfigureAwait(false);
        return new AutoTrainingResult(
            true,
            FormattableString.Invariant($"trained the learned ranker on {labels.Examples.Count} examples from {labels.Days} days ({labels.Positives} positives, {labels.FeedbackUsed} with feedback)"),
            ranker,
            labels);
    }
}
