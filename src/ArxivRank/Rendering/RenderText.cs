using ArxivRank.Text;
using System.Globalization;
using System.Text;
using ArxivRank.Scoring;

namespace ArxivRank.Rendering;

/// <summary>Text helpers every renderer shares: TeX to Unicode with collapsed whitespace, math spans, numbers and costs.</summary>
internal static class RenderText
{
    /// <summary>Converts feed or model text for display: TeX to Unicode, control characters dropped, whitespace runs (newlines included) collapsed to one space.</summary>
    public static string Display(string? text) => CollapseWhitespace(TexText.ToUnicode(text));

    /// <summary>Names of the authors for display, joined with <c>, </c>.</summary>
    public static string Authors(IReadOnlyList<string> authors)
    {
        if (authors.Count == 0)
        {
            return string.Empty;
        }

        var sb = new StringBuilder();
        foreach (string author in authors)
        {
            string name = Display(author);
            if (name.Length == 0)
            {
                continue;
            }

            if (sb.Length > 0)
            {
                sb.Append(", ");
            }

            sb.Append(name);
        }

        return sb.ToString();
    }

    public static string CollapseWhitespace(string text) => Whitespace.Collapse(text, dropControlCharacters: true);

    /// <summary>
    /// Finds the end of a math span starting at <paramref name="start"/> (<c>$…$</c>, <c>$$…$$</c>, <c>\(…\)</c>, <c>\[…\]</c>);
    /// returns -1 when <paramref name="start"/> does not open a closed span.
    /// </summary>
    public static int MathEnd(string text, int start)
    {
        if (text[start] == '$')
        {
            bool display = start + 1 < text.Length && text[start + 1] == '$';
            int i = start + (display ? 2 : 1);
            while (i < text.Length)
            {
                if (text[i] == '\\')
                {
                    i += 2;
                    continue;
                }

                if (text[i] == '$')
                {
                    if (!display)
                    {
                        return i > start + 1 ? i + 1 : -1;
                    }

                    return i + 1 < text.Length && text[i + 1] == '$' ? i + 2 : -1;
                }

                i++;
            }

            return -1;
        }

        if (text[start] == '\\' && start + 1 < text.Length && text[start + 1] is '(' or '[')
        {
            string close = text[start + 1] == '(' ? "\\)" : "\\]";
            int end = text.IndexOf(close, start + 2, StringComparison.Ordinal);
            return end < 0 ? -1 : end + 2;
        }

        return -1;
    }

    public static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A number with thousands separators (<c>58,989</c>).</summary>
    public static string Grouped(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A cost in US dollars as the Python tool shows it (<c>$0.15</c>), <c>&lt;$0.01</c> for a known tiny cost, <c>unknown</c> when the price is not known (never <c>$0</c>).</summary>
    public static string Cost(decimal? cost) => cost switch
    {
        null => "unknown",
        0m => "$0.00",
        < 0.005m and > 0m => "<$0.01",
        { } c => "$" + Math.Round(c, 2, MidpointRounding.AwayFromZero).ToString("0.00", CultureInfo.InvariantCulture),
    };

    /// <summary>The sum of several models' usage, or <see langword="null"/> for a single model.</summary>
    public static ModelUsage? Total(IReadOnlyList<ModelUsage> usage)
    {
        if (usage.Count < 2)
        {
            return null;
        }

        decimal? input = 0m;
        decimal? output = 0m;
        long inTokens = 0, outTokens = 0, cached = 0;
        int requests = 0;
        foreach (var u in usage)
        {
            inTokens += u.InputTokens;
            outTokens += u.OutputTokens;
            cached += u.CachedInputTokens;
            requests += u.Requests;
            input = input is { } a && u.InputCost is { } b ? a + b : null;
            output = output is { } c && u.OutputCost is { } d ? c + d : null;
        }

        return new ModelUsage
        {
            ModelId = "total",
            Requests = requests,
            InputTokens = inTokens,
            CachedInputTokens = cached,
            OutputTokens = outTokens,
            InputCost = input,
            OutputCost = output,
        };
    }

    /// <summary>The scores as a short phrase: <c>Relevance 9 · Novelty 8</c>, <c>Author match</c>, <c>Score 0.73</c>.</summary>
    public static string ScoreSummary(PaperScore score)
    {
        if (score.Origin == ScoreOrigin.AuthorMatch)
        {
            return "Author match";
        }

        var parts = new List<string>(3);
        if (score.Relevance is { } r)
        {
            parts.Add("Relevance " + Integer(r));
        }

        if (score.Novelty is { } n)
        {
            parts.Add("Novelty " + Integer(n));
        }

        if (parts.Count == 0 && score.Score is { } s)
        {
            parts.Add("Score " + s.ToString("0.###", CultureInfo.InvariantCulture));
        }

        if (score.Origin == ScoreOrigin.KeywordRule)
        {
            parts.Insert(0, "Keyword rule");
        }

        return string.Join(" · ", parts);
    }

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string LongDate(DateOnly date) => date.ToString("dddd, MMMM d, yyyy", CultureInfo.InvariantCulture);
}
