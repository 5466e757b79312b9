using ArxivRank.Ranking;

namespace ArxivRank.Pipeline;

/// <summary>The learned ranker's history: judged papers, reader feedback and the current model.</summary>
public sealed partial class InMemoryArxivRankStore : ILabelStore
{
    private readonly Dictionary<(string Id, DateOnly Day), JudgedPaper> _judgments = [];
    private readonly List<FeedbackRecord> _feedback = [];
    private TimeProvider _time = TimeProvider.System;
    private byte[]? _model;

    /// <summary>Gets or sets the clock that stamps recorded feedback.</summary>
    /// <value>Default <see cref="TimeProvider.System"/>.</value>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    public TimeProvider TimeProvider
    {
        get => _time;
        set => _time = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <inheritdoc/>
    public ValueTask RecordJudgmentsAsync(IReadOnlyCollection<JudgedPaper> papers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(papers);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            foreach (var judged in papers)
            {
                ArgumentNullException.ThrowIfNull(judged, nameof(papers));
                _judgments[(judged.Paper.Id.Id, judged.Day)] = judged;
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<JudgedPaper>> GetJudgmentsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<JudgedPaper>>(
                [.. _judgments.OrderBy(j => j.Key.Day).ThenBy(j => j.Key.Id, StringComparer.Ordinal).Select(j => j.Value)]);
        }
    }

    /// <inheritdoc/>
    public ValueTask RecordFeedbackAsync(ArxivId paperId, Feedback feedback, CancellationToken cancellationToken = default)
    {
        if (!Enum.IsDefined(feedback))
        {
            throw new ArgumentOutOfRangeException(nameof(feedback), feedback, "Feedback must be Like or Dislike.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _feedback.Add(new FeedbackRecord(paperId.WithoutVersion(), feedback, _time.GetUtcNow()));
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<FeedbackRecord>> GetFeedbackAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<FeedbackRecord>>([.. _feedback]);
        }
    }

    /// <inheritdoc/>
    public ValueTask SaveModelAsync(LearnedRanker ranker, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ranker);
        cancellationToken.ThrowIfCancellationRequested();
        using var buffer = new MemoryStream();
        ranker.Save(buffer);
        lock (_gate)
        {
            _model = buffer.ToArray();
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<LearnedRanker?> LoadModelAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        byte[]? model;
        lock (_gate)
        {
            model = _model;
        }

        if (model is null)
        {
            return ValueTask.FromResult<LearnedRanker?>(null);
        }

        using var stream = new MemoryStream(model, writable: false);
        return ValueTask.FromResult<LearnedRanker?>(LearnedRanker.Load(stream));
    }
}
