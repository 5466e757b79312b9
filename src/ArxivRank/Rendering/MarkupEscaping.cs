using System.Buffers;
using System.Text;

namespace ArxivRank.Rendering;

/// <summary>The scan shared by the HTML and Slack escapers: plain runs are copied whole, each special character is replaced.</summary>
internal static class Escaping
{
    /// <summary>Appends <paramref name="text"/>, replacing each character of <paramref name="special"/> with <paramref name="replace"/>'s answer (<see langword="null"/> drops it).</summary>
    public static StringBuilder AppendReplacing(this StringBuilder sb, string? text, SearchValues<char> special, Func<char, string?> replace)
    {
        if (string.IsNullOrEmpty(text))
        {
            return sb;
        }

        int start = 0;
        while (start < text.Length)
        {
            int run = text.AsSpan(start).IndexOfAny(special);
            if (run < 0)
            {
                sb.Append(text, start, text.Length - start);
                break;
            }

            sb.Append(text, start, run);
            start += run;
            sb.Append(replace(text[start++]));
        }

        return sb;
    }
}

/// <summary>HTML encoding for text and attribute values: every character HTML could interpret becomes an entity.</summary>
internal static class HtmlText
{
    // ASCII only, so the search stays vectorized; C1 controls never reach here (RenderText.Display drops every control character).
    private static readonly SearchValues<char> Special = SearchValues.Create(SlackText.Controls() + "&<>\"'");

    public static StringBuilder AppendHtml(this StringBuilder sb, string? text) => sb.AppendReplacing(text, Special, static c => c switch
    {
        '&' => "&amp;",
        '<' => "&lt;",
        '>' => "&gt;",
        '"' => "&quot;",
        '\'' => "&#39;",
        '\n' => "\n",
        '\t' => "\t",
        _ => null, // other control characters are not allowed in HTML text: dropped
    });
}

/// <summary>
/// Markdown escaping for text from feeds and models: outside math every character CommonMark/GFM could interpret is
/// backslash-escaped (so <c>*</c>, <c>_</c>, <c>[</c>, <c>](javascript:…)</c> and <c>&lt;script&gt;</c> show as written);
/// inside math spans the TeX is kept, with only <c>&lt; &gt; [ ]</c> rewritten to their TeX names so no Markdown
/// link or HTML tag can hide in a formula.
/// </summary>
internal static class MarkdownText
{
    private static readonly SearchValues<char> Special = SearchValues.Create("$\\`*_[]<>|~#&\r\n");

    public static StringBuilder AppendMarkdown(this StringBuilder sb, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return sb;
        }

        int i = 0;
        while (i < text.Length)
        {
            // Copy the run of plain characters in one go.
            int run = text.AsSpan(i).IndexOfAny(Special);
            if (run < 0)
            {
                sb.Append(text, i, text.Length - i);
                break;
            }

            sb.Append(text, i, run);
            i += run;
            char c = text[i];
            if (c is '$' or '\\' && RenderText.MathEnd(text, i) is var end && end > 0)
            {
                AppendMath(sb, text, i, end);
                i = end;
                continue;
            }

            switch (c)
            {
                case '\\' or '`' or '*' or '_' or '[' or ']' or '<' or '>' or '|' or '~' or '#':
                    sb.Append('\\').Append(c);
                    break;
                case '&' when i + 1 < text.Length && (char.IsAsciiLetter(text[i + 1]) || text[i + 1] == '#'):
                    sb.Append("\\&");
                    break;
                case '\r' or '\n':
                    sb.Append(' ');
                    break;
                default:
                    sb.Append(c);
                    break;
            }

            i++;
        }

        return sb;
    }

    /// <summary>Appends a TeX macro, with a space only when a letter follows (which would otherwise extend its name).</summary>
    private static void AppendMacro(StringBuilder sb, string macro, string text, int next)
    {
        sb.Append(macro);
        if (next < text.Length && char.IsAsciiLetter(text[next]))
        {
            sb.Append(' ');
        }
    }

    private static void AppendMath(StringBuilder sb, string text, int start, int end)
    {
        for (int i = start; i < end; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '<':
                    AppendMacro(sb, "\\lt", text, i + 1);
                    break;
                case '>':
                    AppendMacro(sb, "\\gt", text, i + 1);
                    break;
                case '[' when !(i > start && text[i - 1] == '\\' && i == start + 1):
                    AppendMacro(sb, "\\lbrack", text, i + 1);
                    break;
                case ']' when !(i == end - 1 && text[i - 1] == '\\'):
                    AppendMacro(sb, "\\rbrack", text, i + 1);
                    break;
                case '\r' or '\n':
                    sb.Append(' ');
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }
    }
}

/// <summary>
/// Slack mrkdwn escaping: <c>&amp; &lt; &gt;</c> become entities as Slack requires (so <c>&lt;!channel&gt;</c> and
/// <c>&lt;url|text&gt;</c> show as written), and the formatting characters <c>* _ ~ `</c>, for which Slack has no escape,
/// become look-alikes (<c>∗ ˍ ∼ ˋ</c>).
/// </summary>
internal static class SlackText
{
    private static readonly SearchValues<char> SlackSpecial = SearchValues.Create(Controls() + "&<>*_~`");

    internal static string Controls()
    {
        var sb = new StringBuilder();
        for (char c = '\0'; c < ' '; c++)
        {
            sb.Append(c);
        }

        return sb.Append('\u007F').ToString();
    }

    public static StringBuilder AppendSlack(this StringBuilder sb, string? text) => sb.AppendReplacing(text, SlackSpecial, static c => c switch
    {
        '&' => "&amp;",
        '<' => "&lt;",
        '>' => "&gt;",
        '*' => "\u2217",
        '_' => "\u02CD",
        '~' => "\u223C",
        '`' => "\u02CB",
        '\r' or '\n' => " ",
        _ => null, // the remaining specials are control characters: dropped
    });

    public static string Escape(string? text) => new StringBuilder((text?.Length ?? 0) + 16).AppendSlack(text).ToString();

    /// <summary>Escapes text but keeps its line breaks (for the reader's criteria).</summary>
    public static string EscapeKeepingLines(string text)
    {
        var sb = new StringBuilder(text.Length + 16);
        string[] lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (i > 0)
            {
                sb.Append('\n');
            }

            sb.AppendSlack(lines[i]);
        }

        return sb.ToString();
    }
}
