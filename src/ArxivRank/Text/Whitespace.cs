using System.Text;

namespace ArxivRank.Text;

/// <summary>The one whitespace normalizer shared by the feed parsers, the scorers and the renderers.</summary>
internal static class Whitespace
{
    /// <summary>
    /// Collapses every run of whitespace (spaces, tabs, newlines) to one space and trims both ends; returns the text
    /// itself when there is nothing to change. With <paramref name="dropControlCharacters"/>, other control characters
    /// (which no reader should see) are removed as well.
    /// </summary>
    public static string Collapse(string? text, bool dropControlCharacters = false)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        if (IsClean(text, dropControlCharacters))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        bool pendingSpace = false;
        foreach (char c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = sb.Length > 0;
                continue;
            }

            if (dropControlCharacters && char.IsControl(c))
            {
                continue;
            }

            if (pendingSpace)
            {
                sb.Append(' ');
                pendingSpace = false;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    private static bool IsClean(string text, bool dropControlCharacters)
    {
        if (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]))
        {
            return false;
        }

        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if ((dropControlCharacters && char.IsControl(c)) || (char.IsWhiteSpace(c) && (c != ' ' || text[i - 1] == ' ')))
            {
                return false;
            }
        }

        return true;
    }
}
