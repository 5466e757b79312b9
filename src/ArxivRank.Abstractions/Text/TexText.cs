using System.Text;

namespace ArxivRank;

/// <summary>
/// Turns the TeX that arXiv metadata carries into plain Unicode text for matching and display:
/// <c>Christopher R\'e</c> → <c>Christopher Ré</c>, <c>{\L}ukasz Ku\'smierz</c> → <c>Łukasz Kuśmierz</c>,
/// <c>K{\i}c{\i}man</c> → <c>Kıcıman</c>, <c>--</c> → <c>–</c>, <c>\&amp;</c> → <c>&amp;</c>.
/// </summary>
/// <remarks>
/// <para>Handled: the accent commands <c>\' \" \` \^ \~ \= \. \c \v \u \H \k \r</c> with a braced, bare or
/// space-separated argument (<c>\'{e}</c>, <c>\'e</c>, <c>\c c</c>); the letters <c>\ss \o \O \aa \AA \L \l \i \j \ae \AE \oe \OE</c>;
/// the escapes <c>\&amp; \% \_ \$ \# \{ \}</c>; <c>--</c> and <c>---</c> as dashes; the text-style commands
/// <c>\emph \textit \textbf \texttt \textrm \textsc \textsf \text \mathrm</c> (outside math) reduced to their argument;
/// grouping braces removed.</para>
/// <para>Math (<c>$…$</c>, <c>$$…$$</c>, <c>\(…\)</c>, <c>\[…\]</c>) is left exactly as written, braces and all.
/// Unknown commands are kept as written rather than guessed at.</para>
/// </remarks>
public static class TexText
{
    /// <summary>Converts TeX-flavoured text to Unicode (NFC), leaving math intact.</summary>
    /// <param name="text">The text; <see langword="null"/> gives an empty string.</param>
    /// <returns>The plain text.</returns>
    public static string ToUnicode(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        if (text.AsSpan().IndexOfAny("\\{}-") < 0)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            switch (c)
            {
                case '$':
                    i = CopyMath(text, i, sb);
                    break;
                case '\\':
                    i = Command(text, i, sb);
                    break;
                case '{' or '}':
                    i++;
                    break;
                case '-' when At(text, i, "---"):
                    sb.Append('\u2014');
                    i += 3;
                    break;
                case '-' when At(text, i, "--"):
                    sb.Append('\u2013');
                    i += 2;
                    break;
                default:
                    sb.Append(c);
                    i++;
                    break;
            }
        }

        return sb.ToString().Normalize(NormalizationForm.FormC);
    }

    private static bool At(string text, int i, string token) => string.CompareOrdinal(text, i, token, 0, token.Length) == 0;

    private static int CopyMath(string text, int start, StringBuilder sb)
    {
        bool display = At(text, start, "$$");
        string close = display ? "$$" : "$";
        int contentStart = start + close.Length;
        int end = contentStart;
        while (end < text.Length)
        {
            if (text[end] == '\\')
            {
                end += 2;
                continue;
            }

            if (At(text, end, close))
            {
                break;
            }

            end++;
        }

        if (end >= text.Length)
        {
            // An unbalanced dollar is not math: keep it as a character.
            sb.Append('$');
            return start + 1;
        }

        end += close.Length;
        sb.Append(text, start, end - start);
        return end;
    }

    private static int Command(string text, int start, StringBuilder sb)
    {
        int i = start + 1;
        if (i >= text.Length)
        {
            sb.Append('\\');
            return i;
        }

        char next = text[i];

        // \( ... \) and \[ ... \] are math: copy them whole.
        if (next is '(' or '[')
        {
            string close = next == '(' ? "\\)" : "\\]";
            int end = text.IndexOf(close, i + 1, StringComparison.Ordinal);
            if (end >= 0)
            {
                end += 2;
                sb.Append(text, start, end - start);
                return end;
            }
        }

        if (AccentMark(next) is { } mark && (!char.IsAsciiLetter(next) || !IsLetterAt(text, i + 1)))
        {
            return Accent(text, i + 1, mark, sb, start);
        }

        switch (next)
        {
            case '&' or '%' or '_' or '$' or '#' or '{' or '}':
                sb.Append(next);
                return i + 1;
            case ' ' or ',' or ';':
                sb.Append(' ');
                return i + 1;
            case '\\':
                sb.Append(' ');
                return i + 1;
        }

        if (!char.IsAsciiLetter(next))
        {
            sb.Append('\\').Append(next);
            return i + 1;
        }

        int nameEnd = i;
        while (nameEnd < text.Length && char.IsAsciiLetter(text[nameEnd]))
        {
            nameEnd++;
        }

        string name = text[i..nameEnd];
        if (Letter(name) is { } letter)
        {
            sb.Append(letter);
            return SkipCommandTerminator(text, nameEnd);
        }

        if (IsTextStyle(name))
        {
            // Keep the argument; the braces around it are dropped by the main loop.
            return nameEnd;
        }

        // An unknown command is kept as written, with its braced argument, rather than guessed at.
        sb.Append('\\').Append(name);
        if (nameEnd < text.Length && text[nameEnd] == '{')
        {
            int close = text.IndexOf('}', nameEnd);
            if (close > nameEnd)
            {
                sb.Append(text, nameEnd, close - nameEnd + 1);
                return close + 1;
            }
        }

        return nameEnd;
    }

    private static bool IsLetterAt(string text, int i) => i < text.Length && char.IsAsciiLetter(text[i]);

    private static int SkipCommandTerminator(string text, int i)
    {
        if (i + 1 < text.Length && text[i] == '{' && text[i + 1] == '}')
        {
            return i + 2;
        }

        return i < text.Length && text[i] == ' ' ? i + 1 : i;
    }

    private static int Accent(string text, int i, char mark, StringBuilder sb, int commandStart)
    {
        // Skip spaces between a letter-named accent and its argument (\c c, \v s).
        int j = i;
        while (j < text.Length && text[j] == ' ')
        {
            j++;
        }

        string? baseText = null;
        int end = j;
        if (j < text.Length && text[j] == '{')
        {
            int close = text.IndexOf('}', j + 1);
            if (close > j)
            {
                baseText = BaseLetter(text.Substring(j + 1, close - j - 1));
                end = close + 1;
            }
        }
        else if (j < text.Length && text[j] == '\\')
        {
            int nameEnd = j + 1;
            while (nameEnd < text.Length && char.IsAsciiLetter(text[nameEnd]))
            {
                nameEnd++;
            }

            baseText = BaseLetter(text[j..nameEnd]);
            end = nameEnd;
        }
        else if (j < text.Length && char.IsLetter(text[j]))
        {
            baseText = text[j].ToString();
            end = j + 1;
        }

        if (baseText is null)
        {
            sb.Append(text, commandStart, i - commandStart);
            return i;
        }

        sb.Append(baseText).Append(mark);
        return end;
    }

    private static string? BaseLetter(string argument)
    {
        argument = argument.Trim();
        return argument switch
        {
            "" => string.Empty,
            "\\i" => "i",
            "\\j" => "j",
            _ when argument.StartsWith('\\') => Letter(argument[1..]),
            _ => argument,
        };
    }

    private static char? AccentMark(char c) => c switch
    {
        '\'' => '\u0301',
        '"' => '\u0308',
        '`' => '\u0300',
        '^' => '\u0302',
        '~' => '\u0303',
        '=' => '\u0304',
        '.' => '\u0307',
        'c' => '\u0327',
        'v' => '\u030C',
        'u' => '\u0306',
        'H' => '\u030B',
        'k' => '\u0328',
        'r' => '\u030A',
        _ => null,
    };

    private static string? Letter(string name) => name switch
    {
        "ss" => "ß",
        "o" => "ø",
        "O" => "Ø",
        "aa" => "å",
        "AA" => "Å",
        "L" => "Ł",
        "l" => "ł",
        "i" => "ı",
        "j" => "ȷ",
        "ae" => "æ",
        "AE" => "Æ",
        "oe" => "œ",
        "OE" => "Œ",
        "dh" => "ð",
        "DH" => "Ð",
        "th" => "þ",
        "TH" => "Þ",
        _ => null,
    };

    private static bool IsTextStyle(string name) => name is "emph" or "textit" or "textbf" or "texttt" or "textrm"
        or "textsc" or "textsf" or "text" or "mathrm" or "textnormal" or "textsl" or "underline";
}
