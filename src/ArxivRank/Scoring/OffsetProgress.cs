namespace ArxivRank.Scoring;

/// <summary>Reports an inner scorer's progress as part of a larger call: <c>offset</c> papers already done out of <c>total</c>.</summary>
internal sealed class OffsetProgress(IProgress<ScoringProgress> inner, int offset, int total) : IProgress<ScoringProgress>
{
    public static IProgress<ScoringProgress>? Create(IProgress<ScoringProgress>? inner, int offset, int total)
        => inner is null ? null : new OffsetProgress(inner, offset, total);

    public void Report(ScoringProgress value) => inner.Report(new ScoringProgress(offset + value.Completed, total));
}
