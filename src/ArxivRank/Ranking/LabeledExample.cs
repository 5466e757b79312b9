namespace ArxivRank.Ranking;

/// <summary>One paper with the reader's verdict on it: the unit a <see cref="LearnedRanker"/> learns from.</summary>
/// <param name="Paper">The paper (its title and abstract are what the model reads).</param>
/// <param name="Positive"><see langword="true"/> when the paper was wanted (the LLM selected it, or the reader liked it).</param>
/// <param name="Weight">
/// How much the example counts, 1 by default; 0 ignores it. An LLM verdict counts 1; explicit feedback from the reader
/// is meant to count more (for example 5), so it outweighs the model judgments it contradicts. Must be finite and not negative.
/// </param>
/// <remarks>
/// The trainer does not merge examples of the same paper: a paper given twice counts twice, each with its own label and
/// weight. A caller that holds both an LLM verdict and the reader's feedback for a paper may pass both (the heavier one
/// wins) or only the feedback.
/// </remarks>
public sealed record LabeledExample(Paper Paper, bool Positive, double Weight = 1);
