using System.Text;
using Microsoft.Extensions.AI;

namespace ArxivRank.Scoring;

/// <summary>The shape requested with structured output in the scoring pass.</summary>
/// <param name="Papers">One entry per paper.</param>
internal sealed record StructuredScoresAnswer(IReadOnlyList<StructuredPaperScore> Papers);

/// <summary>One paper's entry in a structured answer.</summary>
internal sealed record StructuredPaperScore(string ArxivId, string Comment, int Relevance, int Novelty);

/// <summary>The shape requested with structured output in the title screen.</summary>
/// <param name="ExcludedIds">The ids clearly out of scope.</param>
internal sealed record StructuredScreenAnswer(IReadOnlyList<string> ExcludedIds);

/// <summary>Response formats for structured output, and recovery of the complete records of a cut-off structured answer.</summary>
internal static class StructuredAnswers
{
    private static readonly Lazy<ChatResponseFormat> ScoresFormat = new(() => ChatResponseFormat.ForJsonSchema(
        AIJsonUtilities.CreateJsonSchema(typeof(StructuredScoresAnswer), serializerOptions: ScoringJsonContext.Default.Options),
        "paper_scores",
        "Relevance and novelty (1-10) with a one-sentence comment for every paper of the batch."));

    private static readonly Lazy<ChatResponseFormat> ScreenFormat = new(() => ChatResponseFormat.ForJsonSchema(
        AIJsonUtilities.CreateJsonSchema(typeof(StructuredScreenAnswer), serializerOptions: ScoringJsonContext.Default.Options),
        "title_screen",
        "The ids of the papers clearly outside the reader's topics."));

    public static ChatResponseFormat Scores => ScoresFormat.Value;

    public static ChatResponseFormat Screen => ScreenFormat.Value;

    /// <summary>Keeps the complete lines of an answer cut off mid-way (the last, partial line is dropped).</summary>
    public static string KeepCompleteLines(string text)
    {
        int newline = text.LastIndexOf('\n');
        return newline < 0 ? string.Empty : text[..newline];
    }

    /// <summary>
    /// Keeps the complete records of a structured answer cut off mid-way: for <c>{"papers": [{…}, {…}, {…</c>, the
    /// complete inner objects, one per line. Text that is not such an object is returned with its complete lines only.
    /// </summary>
    public static string KeepCompleteRecords(string text)
    {
        string trimmed = text.TrimStart();
        if (!trimmed.StartsWith('{'))
        {
            return KeepCompleteLines(text);
        }

        var lines = new StringBuilder();
        int depth = 0, start = -1;
        bool inString = false, escape = false;
        for (int i = 0; i < trimmed.Length; i++)
        {
            char c = trimmed[i];
            if (inString)
            {
                if (escape)
                {
                    escape = false;
                }
                else if (c == '\\')
                {
                    escape = true;
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    inString = true;
                    break;
                case '{' or '[':
                    depth++;
                    if (c == '{' && depth == 3)
                    {
                        start = i;
                    }

                    break;
                case '}' or ']':
                    if (c == '}' && depth == 3 && start >= 0)
                    {
                        lines.Append(trimmed, start, i - start + 1).Append('\n');
                        start = -1;
                    }

                    depth--;
                    break;
            }
        }

        return lines.ToString();
    }
}
