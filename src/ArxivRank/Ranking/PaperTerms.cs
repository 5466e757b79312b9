namespace ArxivRank.Ranking;

/// <summary>Receives the terms of a paper one by one.</summary>
internal interface ITermSink
{
    /// <summary>Receives one occurrence of a term.</summary>
    /// <param name="term">The term: a lower-case word, or two words joined by one space. Valid only during the call.</param>
    /// <param name="count">How much the occurrence counts (the title weight for title terms, 1 for abstract terms).</param>
    void Add(ReadOnlySpan<char> term, float count);
}

/// <summary>
/// Splits a paper's title and abstract into terms: TeX turned into Unicode, lower-cased, words of two or more letters or
/// digits (anything else separates words), and, when asked, each word joined to the next one of the same field.
/// </summary>
internal static class PaperTerms
{
    /// <summary>Longer runs (URLs, hashes, base64) are not words; they are skipped and break no pair.</summary>
    internal const int MaxWordLength = 40;

    /// <summary>Feeds every term of the paper to the sink: title terms count <paramref name="titleWeight"/> each, abstract terms 1.</summary>
    public static void Extract<TSink>(Paper paper, float titleWeight, bool wordPairs, ref TSink sink)
        where TSink : struct, ITermSink
    {
        Span<char> pair = stackalloc char[(2 * MaxWordLength) + 1];
        ExtractField(Normalize(paper.Title), titleWeight, wordPairs, pair, ref sink);
        ExtractField(Normalize(paper.Abstract), 1f, wordPairs, pair, ref sink);
    }

    private static string Normalize(string? text) => TexText.ToUnicode(text).ToLowerInvariant();

    private static void ExtractField<TSink>(string text, float count, bool wordPairs, Span<char> pair, ref TSink sink)
        where TSink : struct, ITermSink
    {
        int previousStart = -1, previousLength = 0;
        int i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && !char.IsLetterOrDigit(text[i]))
            {
                i++;
            }

            int start = i;
            while (i < text.Length && char.IsLetterOrDigit(text[i]))
            {
                i++;
            }

            int length = i - start;
            if (length < 2 || length > MaxWordLength)
            {
                continue;
            }

            var word = text.AsSpan(start, length);
            sink.Add(word, count);
            if (wordPairs && previousStart >= 0)
            {
                text.AsSpan(previousStart, previousLength).CopyTo(pair);
                pair[previousLength] = ' ';
                word.CopyTo(pair[(previousLength + 1)..]);
                sink.Add(pair[..(previousLength + 1 + length)], count);
            }

            previousStart = start;
            previousLength = length;
        }
    }
}
