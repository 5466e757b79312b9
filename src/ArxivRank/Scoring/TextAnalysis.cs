using ArxivRank.Text;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace ArxivRank.Scoring;

/// <summary>Text normalization shared by the author rules and the lexical scorer: TeX to Unicode, accent folding, words, a light stemmer.</summary>
internal static class TextAnalysis
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "and", "or", "of", "in", "on", "for", "to", "with", "by", "from", "as", "at", "into", "onto", "via",
        "is", "are", "was", "were", "be", "been", "being", "this", "that", "these", "those", "it", "its", "we", "our", "us",
        "they", "their", "which", "who", "whose", "what", "when", "where", "how", "why", "not", "no", "but", "if", "than",
        "then", "so", "such", "can", "could", "may", "might", "will", "would", "should", "do", "does", "did", "has", "have",
        "had", "also", "more", "most", "less", "other", "some", "any", "each", "all", "both", "many", "much", "very", "e", "g",
        "i", "ie", "eg", "etc", "like", "about", "over", "under", "between", "without", "within", "across", "while", "up",
        "out", "only", "own", "same", "just", "even", "yet", "you", "your", "whether", "there", "here", "them", "he", "she",
    };

    private static readonly (string Suffix, string Replacement)[] Suffixes =
    [
        ("ational", "at"), ("ization", "iz"), ("isation", "iz"), ("ation", string.Empty), ("ition", string.Empty),
        ("ity", string.Empty), ("ness", string.Empty), ("ing", string.Empty), ("ed", string.Empty), ("ion", string.Empty),
    ];

    private const int StemCacheLimit = 200_000;
    private static readonly ConcurrentDictionary<string, string> StemCache = new(StringComparer.Ordinal);

    /// <summary>
    /// Folds text for word search, fast: ASCII text (most titles and abstracts, TeX included) is only lower-cased, so a
    /// TeX accent splits a word (<c>R\'enyi</c> gives "r" and "enyi"); other text goes through <see cref="Fold"/>.
    /// </summary>
    public static string FoldForSearch(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        return System.Text.Ascii.IsValid(text) ? text.ToLowerInvariant() : Fold(text);
    }

    /// <summary>Collapses runs of whitespace to one space and trims; returns the text itself when there is nothing to collapse.</summary>
    public static string Collapse(string text) => Whitespace.Collapse(text);

    /// <summary>Folds text for matching: TeX to Unicode, accents removed, special letters spelled out, lower case.</summary>
    public static string Fold(string? text)
    {
        string unicode = TexText.ToUnicode(text);
        if (unicode.Length == 0)
        {
            return unicode;
        }

        string decomposed = unicode.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (char c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            switch (c)
            {
                case 'ł' or 'Ł': sb.Append('l'); break;
                case 'ø' or 'Ø': sb.Append('o'); break;
                case 'ß': sb.Append("ss"); break;
                case 'æ' or 'Æ': sb.Append("ae"); break;
                case 'œ' or 'Œ': sb.Append("oe"); break;
                case 'đ' or 'Đ': sb.Append('d'); break;
                case 'ı': sb.Append('i'); break;
                case 'þ' or 'Þ': sb.Append("th"); break;
                default: sb.Append(char.ToLowerInvariant(c)); break;
            }
        }

        return sb.ToString();
    }

    /// <summary>Splits folded text into words (letters and digits).</summary>
    public static List<string> Words(string folded)
    {
        var words = new List<string>();
        int start = -1;
        for (int i = 0; i <= folded.Length; i++)
        {
            bool isWordChar = i < folded.Length && char.IsLetterOrDigit(folded[i]);
            if (isWordChar && start < 0)
            {
                start = i;
            }
            else if (!isWordChar && start >= 0)
            {
                words.Add(folded[start..i]);
                start = -1;
            }
        }

        return words;
    }

    public static bool IsStopWord(string word) => StopWords.Contains(word);

    /// <summary>
    /// Terms of a text for BM25: folded words without stop words, stemmed; <paramref name="bigrams"/> also receives each
    /// pair of adjacent terms (<c>mixture expert</c>, <c>kv cache</c>) so phrases count more than their words apart.
    /// </summary>
    public static List<string> Terms(string? text, List<string>? bigrams = null)
    {
        var terms = new List<string>();
        string? previous = null;
        foreach (string word in Words(FoldForSearch(text)))
        {
            if (IsStopWord(word) || (word.Length == 1 && !char.IsDigit(word[0])))
            {
                continue;
            }

            string term = Stem(word);
            terms.Add(term);
            if (bigrams is not null && previous is not null)
            {
                bigrams.Add(previous + " " + term);
            }

            previous = term;
        }

        return terms;
    }

    /// <summary>A light suffix stripper: plurals, -ing, -ed, -ation, -ity, -ness, a final e, so "sparse"/"sparsity" and "quantized"/"quantization" meet.</summary>
    public static string Stem(string word)
    {
        if (word.Length <= 3 || !char.IsLetter(word[^1]))
        {
            return word;
        }

        if (StemCache.TryGetValue(word, out string? cached))
        {
            return cached;
        }

        string stem = StemCore(word);
        if (StemCache.Count < StemCacheLimit)
        {
            StemCache.TryAdd(word, stem);
        }

        return stem;
    }

    private static string StemCore(string word)
    {

        string w = word;
        if (w.EndsWith("ies", StringComparison.Ordinal) && w.Length > 4)
        {
            w = w[..^3] + "y";
        }
        else if (w.EndsWith("sses", StringComparison.Ordinal))
        {
            w = w[..^2];
        }
        else if (w.EndsWith('s') && !w.EndsWith("ss", StringComparison.Ordinal) && !w.EndsWith("us", StringComparison.Ordinal) && !w.EndsWith("is", StringComparison.Ordinal))
        {
            w = w[..^1];
        }

        foreach (var (suffix, replacement) in Suffixes)
        {
            if (w.EndsWith(suffix, StringComparison.Ordinal) && w.Length - suffix.Length >= 4)
            {
                w = w[..^suffix.Length] + replacement;
                break;
            }
        }

        if (w.Length > 4 && w.EndsWith('e'))
        {
            w = w[..^1];
        }

        if (w.Length > 4 && w[^1] == w[^2] && w[^1] is not ('s' or 'z'))
        {
            w = w[..^1];
        }

        return w;
    }
}
