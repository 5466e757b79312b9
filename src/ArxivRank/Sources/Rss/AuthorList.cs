namespace ArxivRank.Sources.Rss;

/// <summary>
/// Splits arXiv's author strings (<c>dc:creator</c>): comma-separated names, sometimes with <c> and </c> before the last,
/// sometimes with affiliations in parentheses that contain commas (<c>Jane Doe (MIT, Cambridge), John Roe</c>) or the
/// numbered style (<c>A. Author (1 and 2), B. Author (2) ((1) MIT, (2) ETH Zurich)</c>). Separators inside parentheses or
/// TeX braces do not split; affiliations are removed from names; TeX is kept as sent.
/// </summary>
internal static class AuthorList
{
    public static List<string> Parse(string? text)
    {
        var authors = new List<string>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return authors;
        }

        var span = text.AsSpan();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < span.Length; i++)
        {
            char c = span[i];
            switch (c)
            {
                case '(' or '{' or '[':
                    depth++;
                    break;
                case ')' or '}' or ']':
                    if (depth > 0)
                    {
                        depth--;
                    }

                    break;
                case ',' or ';' when depth == 0:
                    Add(authors, span[start..i]);
                    start = i + 1;
                    break;
                case ' ' when depth == 0 && IsAndSeparator(span, i):
                    Add(authors, span[start..i]);
                    start = i + 4;
                    i += 3;
                    break;
            }
        }

        Add(authors, span[start..]);
        return authors;
    }

    // " and " between names, outside parentheses and braces.
    private static bool IsAndSeparator(ReadOnlySpan<char> s, int i)
        => i + 4 < s.Length && s.Slice(i, 5) is " and " or " AND ";

    private static void Add(List<string> authors, ReadOnlySpan<char> token)
    {
        var name = StripParentheses(token.Trim());
        if (name.StartsWith("and ", StringComparison.OrdinalIgnoreCase))
        {
            name = name[4..].TrimStart();
        }

        if (name.Length > 0)
        {
            authors.Add(Xml.ArxivXml.CollapseWhitespace(name.ToString()));
        }
    }

    private static ReadOnlySpan<char> StripParentheses(ReadOnlySpan<char> s)
    {
        if (s.IndexOf('(') < 0)
        {
            return s;
        }

        Span<char> buffer = s.Length <= 256 ? stackalloc char[s.Length] : new char[s.Length];
        int length = 0;
        int depth = 0;
        foreach (char c in s)
        {
            if (c == '(')
            {
                depth++;
            }
            else if (c == ')' && depth > 0)
            {
                depth--;
            }
            else if (depth == 0)
            {
                buffer[length++] = c;
            }
        }

        return buffer[..length].Trim().ToString().AsSpan();
    }
}
