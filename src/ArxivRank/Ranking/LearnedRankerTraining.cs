namespace ArxivRank.Ranking;

/// <summary>What a <see cref="LearnedRanker"/> was trained on, and how the training went.</summary>
public sealed record LearnedRankerTraining
{
    /// <summary>Gets the number of examples learned from (examples of weight 0 are not counted).</summary>
    public int Papers { get; init; }

    /// <summary>Gets how many of them were positive.</summary>
    public int Positives { get; init; }

    /// <summary>Gets the earliest announcement day among the examples, when any paper carried one.</summary>
    public DateOnly? FirstDay { get; init; }

    /// <summary>Gets the latest announcement day among the examples, when any paper carried one.</summary>
    public DateOnly? LastDay { get; init; }

    /// <summary>Gets the number of optimizer (L-BFGS) iterations run.</summary>
    public int Iterations { get; init; }

    /// <summary>Gets a value indicating whether the optimizer converged before reaching <see cref="LearnedRankerOptions.MaxIterations"/>.</summary>
    public bool Converged { get; init; }
}
