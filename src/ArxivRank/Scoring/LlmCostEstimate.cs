namespace ArxivRank.Scoring;

/// <summary>
/// An upper-bound estimate of what the LLM scorer will spend on the papers it still has to score (cache misses), made
/// before any model call. Tokens are estimated at 4 characters per token: the title screen sends every title once (in
/// batches of <see cref="LlmScorerOptions.TitleScreenBatchSize"/>, each with the criteria as system prompt), and the
/// abstract pass is counted as if every paper passed the screen (title, authors and the abstract cut to
/// <see cref="LlmScorerOptions.AbstractMaxLength"/>, in batches of <see cref="LlmScorerOptions.BatchSize"/>, each with the
/// criteria); answers are counted at 60 tokens per paper (15 on the title screen). Retries are not included. The price
/// comes from <see cref="PricingTable.Default"/>. Used before a run whose profile sets <c>maxCost</c> (docs/cli.md).
/// </summary>
/// <param name="Papers">The papers still to score.</param>
/// <param name="Requests">The model requests at most.</param>
/// <param name="InputTokens">The input tokens (estimated).</param>
/// <param name="OutputTokens">The output tokens (estimated).</param>
/// <param name="Cost">The cost in USD, or <see langword="null"/> when the model is not in the pricing table.</param>
public sealed record LlmCostEstimate(int Papers, int Requests, long InputTokens, long OutputTokens, decimal? Cost)
{
    private const int CharsPerToken = 4;
    private const int InstructionChars = 2_400;
    private const int AnswerTokensPerPaper = 60;
    private const int ScreenAnswerTokensPerPaper = 15;

    /// <summary>Estimates the cost of scoring <paramref name="papers"/>.</summary>
    /// <param name="papers">The papers still to score (cache misses).</param>
    /// <param name="criteria">The reader's criteria (sent with every request).</param>
    /// <param name="options">The scorer's batch sizes and passes.</param>
    /// <param name="model">The model, for its price.</param>
    /// <returns>The upper-bound estimate.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static LlmCostEstimate For(IReadOnlyList<Paper> papers, ScoringCriteria criteria, LlmScorerOptions options, string model)
    {
        ArgumentNullException.ThrowIfNull(papers);
        ArgumentNullException.ThrowIfNull(criteria);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(model);
        if (papers.Count == 0)
        {
            return new LlmCostEstimate(0, 0, 0, 0, 0m);
        }

        long systemChars = criteria.ToMarkdown().Length + InstructionChars;
        long requests = 0;
        long inputChars = 0;
        long outputTokens = 0;
        if (options.TitleScreen)
        {
            int screenBatches = (papers.Count + options.TitleScreenBatchSize - 1) / options.TitleScreenBatchSize;
            requests += screenBatches;
            inputChars += (screenBatches * systemChars) + papers.Sum(p => (long)p.Title.Length + 20);
            outputTokens += (long)papers.Count * ScreenAnswerTokensPerPaper;
        }

        if (options.AbstractScoring)
        {
            int batches = (papers.Count + options.BatchSize - 1) / options.BatchSize;
            requests += batches;
            inputChars += (batches * systemChars) + papers.Sum(p => (long)p.Title.Length + Math.Min(p.Abstract.Length, options.AbstractMaxLength) + string.Join(", ", p.Authors).Length + 40);
            outputTokens += (long)papers.Count * AnswerTokensPerPaper;
        }

        long inputTokens = (inputChars + CharsPerToken - 1) / CharsPerToken;
        decimal? cost = PricingTable.Default.TryGetPrice(model, out var price)
            ? ((inputTokens * price.InputPerMillion) + (outputTokens * price.OutputPerMillion)) / 1_000_000m
            : null;
        return new LlmCostEstimate(papers.Count, (int)requests, inputTokens, outputTokens, cost);
    }
}
