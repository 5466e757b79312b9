using ArxivRank.Scoring;

namespace ArxivRank.Ranking;

/// <summary>The reader's explicit verdict on a paper.</summary>
public enum Feedback
{
    /// <summary>The reader wants papers like this one.</summary>
    Like,

    /// <summary>The reader does not want papers like this one.</summary>
    Dislike,
}

/// <summary>A paper a scorer judged on an announcement day, kept with its text so a ranker can learn from it.</summary>
/// <param name="Paper">The paper (title and abstract are what the ranker learns from).</param>
/// <param name="Day">The announcement day it was judged on.</param>
/// <param name="Relevance">The scorer's relevance (1–10), or <see langword="null"/>.</param>
/// <param name="Novelty">The scorer's novelty (1–10), or <see langword="null"/>.</param>
/// <param name="Selected">Whether the paper made the day's digest.</param>
/// <param name="ScoredBy">Which scorer judged it (<c>learned</c> for papers the pre-screen kept from the LLM), or <see langword="null"/>.</param>
public sealed record JudgedPaper(Paper Paper, DateOnly Day, int? Relevance, int? Novelty, bool Selected, string? ScoredBy = null);

/// <summary>A recorded reader verdict.</summary>
/// <param name="PaperId">The paper (without version).</param>
/// <param name="Feedback">Like or dislike.</param>
/// <param name="RecordedAt">When it was recorded; the latest verdict on a paper wins.</param>
public sealed record FeedbackRecord(ArxivId PaperId, Feedback Feedback, DateTimeOffset RecordedAt);

/// <summary>
/// Where the learned ranker's history lives: the papers a scorer judged (with their text), the reader's likes and
/// dislikes, and the trained model. Implemented by <c>InMemoryArxivRankStore</c> and <c>SqliteArxivRankStore</c>.
/// </summary>
public interface ILabelStore
{
    /// <summary>Records judged papers; a paper judged again on the same day replaces the earlier record.</summary>
    /// <param name="papers">The judged papers.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the papers are stored.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="papers"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArxivRankException">The store cannot be written (for SQLite a <c>DigestStoreException</c>).</exception>
    ValueTask RecordJudgmentsAsync(IReadOnlyCollection<JudgedPaper> papers, CancellationToken cancellationToken = default);

    /// <summary>Gets every judged paper, ordered by day then id.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The judged papers.</returns>
    /// <exception cref="ArxivRankException">The store cannot be read.</exception>
    ValueTask<IReadOnlyList<JudgedPaper>> GetJudgmentsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Gets the papers judged on the most recent <paramref name="days"/> judged announcement days, and every judged paper
    /// the reader gave feedback on whatever its day, ordered by day then id (all of them when fewer days were judged).
    /// </summary>
    /// <param name="days">How many of the latest judged days; at least 1.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The judged papers.</returns>
    /// <remarks>
    /// What <see cref="AutoTrainer"/> learns from (<see cref="AutoTrainingOptions.MaxDays"/>). The default reads everything
    /// and filters; the SQLite and PostgreSQL stores read only those rows, so the daily retraining does not read a growing
    /// history.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="days"/> is less than 1.</exception>
    /// <exception cref="ArxivRankException">The store cannot be read.</exception>
    async ValueTask<IReadOnlyList<JudgedPaper>> GetRecentJudgmentsAsync(int days, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        var judgments = await GetJudgmentsAsync(cancellationToken).ConfigureAwait(false);
        var feedback = await GetFeedbackAsync(cancellationToken).ConfigureAwait(false);
        var recent = judgments.Select(j => j.Day).Distinct().OrderDescending().Take(days).ToList();
        if (recent.Count < days)
        {
            return judgments;
        }

        var since = recent[^1];
        var withFeedback = feedback.Select(f => f.PaperId.Id).ToHashSet(StringComparer.Ordinal);
        return [.. judgments.Where(j => j.Day >= since || withFeedback.Contains(j.Paper.Id.Id))];
    }

    /// <summary>Records the reader's verdict on a paper (the version is ignored), stamped with the store's clock.</summary>
    /// <param name="paperId">The paper.</param>
    /// <param name="feedback">Like or dislike.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the verdict is stored.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="feedback"/> is not a defined value.</exception>
    /// <exception cref="ArxivRankException">The store cannot be written.</exception>
    ValueTask RecordFeedbackAsync(ArxivId paperId, Feedback feedback, CancellationToken cancellationToken = default);

    /// <summary>Gets every recorded verdict, oldest first.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The verdicts.</returns>
    /// <exception cref="ArxivRankException">The store cannot be read.</exception>
    ValueTask<IReadOnlyList<FeedbackRecord>> GetFeedbackAsync(CancellationToken cancellationToken = default);

    /// <summary>Keeps a trained model as the store's current model (its model file, <see cref="LearnedRanker.SaveAsync"/>).</summary>
    /// <param name="ranker">The model.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the model is stored.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="ranker"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArxivRankException">The store cannot be written.</exception>
    ValueTask SaveModelAsync(LearnedRanker ranker, CancellationToken cancellationToken = default);

    /// <summary>Gets the store's current model, or <see langword="null"/> when none was saved.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The model, or <see langword="null"/>.</returns>
    /// <exception cref="LearnedRankerException">The stored model file is damaged or of an unknown format version.</exception>
    /// <exception cref="ArxivRankException">The store cannot be read.</exception>
    ValueTask<LearnedRanker?> LoadModelAsync(CancellationToken cancellationToken = default);
}

/// <summary>Helpers over <see cref="ILabelStore"/>.</summary>
public static class LabelStoreExtensions
{
    /// <summary>Records every paper a written digest run scored (selected or not) as the day's judgments.</summary>
    /// <param name="store">The label store.</param>
    /// <param name="result">The run's result (<see cref="Pipeline.DigestRunResult.Scored"/>); other outcomes record nothing.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The number of papers recorded.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArxivRankException">The store cannot be written.</exception>
    public static async ValueTask<int> RecordRunAsync(this ILabelStore store, Pipeline.DigestRunResult result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(result);
        if (result.Status != Pipeline.DigestRunStatus.Written || result.AnnouncementDate is not { } day || result.Scored.Count == 0)
        {
            return 0;
        }

        var selected = new HashSet<string>((result.Digest?.Papers ?? []).Select(e => e.Paper.Id.Id), StringComparer.Ordinal);
        var judged = result.Scored
            .Where(e => e.Score.Origin == ScoreOrigin.Scored)
            .Select(e => new JudgedPaper(e.Paper, day, e.Score.Relevance, e.Score.Novelty, selected.Contains(e.Paper.Id.Id), e.Score.ScoredBy))
            .ToList();
        await store.RecordJudgmentsAsync(judged, cancellationToken).ConfigureAwait(false);
        return judged.Count;
    }

    /// <summary>Exports the store's current model as a model file.</summary>
    /// <param name="store">The label store.</param>
    /// <param name="destination">Where the model file is written.</param>
    /// <param name="cancellationToken">Cancels the export.</param>
    /// <returns><see langword="true"/> when a model was written; <see langword="false"/> when the store has none.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArxivRankException">The store cannot be read.</exception>
    public static async ValueTask<bool> ExportModelAsync(this ILabelStore store, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(destination);
        var ranker = await store.LoadModelAsync(cancellationToken).ConfigureAwait(false);
        if (ranker is null)
        {
            return false;
        }

        await ranker.SaveAsync(destination, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Imports a model file as the store's current model.</summary>
    /// <param name="store">The label store.</param>
    /// <param name="source">The model file.</param>
    /// <param name="cancellationToken">Cancels the import.</param>
    /// <returns>The imported model.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="LearnedRankerException">The file is not a valid model file.</exception>
    /// <exception cref="ArxivRankException">The store cannot be written.</exception>
    public static async ValueTask<LearnedRanker> ImportModelAsync(this ILabelStore store, Stream source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(source);
        var ranker = await LearnedRanker.LoadAsync(source, cancellationToken).ConfigureAwait(false);
        await store.SaveModelAsync(ranker, cancellationToken).ConfigureAwait(false);
        return ranker;
    }
}
