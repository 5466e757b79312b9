using System.Globalization;
using System.Text;
using System.Xml;

namespace ArxivRank.Sources.Xml;

/// <summary>Streaming XML helpers shared by the three parsers: settings, namespaces, text reading, positions.</summary>
internal static class ArxivXml
{
    public const string AtomNamespace = "http://www.w3.org/2005/Atom";
    public const string ArxivNamespace = "http://arxiv.org/schemas/atom";
    public const string DublinCoreNamespace = "http://purl.org/dc/elements/1.1/";
    public const string OpenSearchNamespace = "http://a9.com/-/spec/opensearch/1.1/";
    public const string OaiNamespace = "http://www.openarchives.org/OAI/2.0/";
    public const string OaiArxivNamespace = "http://arxiv.org/OAI/arXiv/";

    /// <summary>Asynchronous, no DTD processing (HTML doctypes are ignored, entity bombs impossible), no resolver.</summary>
    public static readonly XmlReaderSettings ReaderSettings = new()
    {
        Async = true,
        DtdProcessing = DtdProcessing.Ignore,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        CloseInput = false,
    };

    /// <summary>Synchronous twin of <see cref="ReaderSettings"/>, for parsing text already in memory.</summary>
    public static readonly XmlReaderSettings SyncReaderSettings = new()
    {
        Async = false,
        DtdProcessing = DtdProcessing.Ignore,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        CloseInput = false,
    };

    /// <summary>Moves to the root element and checks its name; an HTML root becomes an HTML-page error.</summary>
    /// <exception cref="FeedFormatException">The root is not the expected element.</exception>
    public static async Task ExpectRootAsync(XmlReader reader, string localName, string? namespaceUri, string expected)
    {
        if (await reader.MoveToContentAsync().ConfigureAwait(false) != XmlNodeType.Element)
        {
            throw new FeedFormatException($"has no root element; expected {expected}.") { Position = PositionOf(reader) };
        }

        if (reader.LocalName.Equals("html", StringComparison.OrdinalIgnoreCase))
        {
            throw new FeedFormatException("is an HTML page.") { Position = PositionOf(reader), IsHtml = true, HtmlTitle = await FindHtmlTitleAsync(reader).ConfigureAwait(false) };
        }

        if (reader.LocalName != localName || (namespaceUri is not null && reader.NamespaceURI != namespaceUri))
        {
            string actual = reader.NamespaceURI.Length == 0 ? $"<{reader.LocalName}>" : $"<{reader.LocalName}> in namespace {reader.NamespaceURI}";
            throw new FeedFormatException($"is not {expected}: its root element is {actual}.") { Position = PositionOf(reader) };
        }
    }

    private static async Task<string?> FindHtmlTitleAsync(XmlReader reader)
    {
        try
        {
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName.Equals("title", StringComparison.OrdinalIgnoreCase))
                {
                    return CollapseWhitespace(await ReadTextAsync(reader).ConfigureAwait(false));
                }
            }
        }
        catch (XmlException)
        {
            // HTML is rarely well-formed XML; the title is a courtesy.
        }

        return null;
    }

    /// <summary>
    /// Reads all text of the current element (text and CDATA, nested elements' text included) and moves past its end.
    /// Unlike <see cref="XmlReader.ReadElementContentAsStringAsync()"/>, it does not throw on unexpected child elements.
    /// </summary>
    public static async ValueTask<string> ReadTextAsync(XmlReader reader)
    {
        if (reader.IsEmptyElement)
        {
            await reader.ReadAsync().ConfigureAwait(false);
            return string.Empty;
        }

        int depth = reader.Depth;
        string? single = null;
        StringBuilder? builder = null;
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Text:
                case XmlNodeType.CDATA:
                case XmlNodeType.SignificantWhitespace:
                case XmlNodeType.Whitespace:
                    string value = reader.Value;
                    if (single is null && builder is null)
                    {
                        single = value;
                    }
                    else
                    {
                        builder ??= new StringBuilder(single);
                        builder.Append(value);
                    }

                    break;
                case XmlNodeType.EndElement when reader.Depth == depth:
                    await reader.ReadAsync().ConfigureAwait(false);
                    return builder?.ToString() ?? single ?? string.Empty;
            }
        }

        return builder?.ToString() ?? single ?? string.Empty;
    }

    /// <summary>Moves to the next element child of the element at <paramref name="parentDepth"/>; <see langword="false"/> at its end.</summary>
    /// <remarks>Call after the start tag was consumed (or after a child was fully read); skips text and comments.</remarks>
    public static async ValueTask<bool> NextChildAsync(XmlReader reader, int parentDepth)
    {
        while (true)
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element when reader.Depth == parentDepth + 1:
                    return true;
                case XmlNodeType.EndElement when reader.Depth == parentDepth:
                    await reader.ReadAsync().ConfigureAwait(false);
                    return false;
                case XmlNodeType.None:
                    throw new XmlException("Unexpected end of file while reading an element's children.");
            }

            if (!await reader.ReadAsync().ConfigureAwait(false))
            {
                throw new XmlException("Unexpected end of file while reading an element's children.");
            }
        }
    }

    /// <summary>Enters the current element: consumes its start tag; returns <see langword="false"/> (and moves past it) when it is empty.</summary>
    public static async ValueTask<bool> EnterAsync(XmlReader reader)
    {
        if (reader.IsEmptyElement)
        {
            await reader.ReadAsync().ConfigureAwait(false);
            return false;
        }

        await reader.ReadAsync().ConfigureAwait(false);
        return true;
    }

    /// <summary>Collapses runs of white space into single spaces and trims.</summary>
    public static string CollapseWhitespace(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var span = text.AsSpan().Trim();
        bool needs = false;
        for (int i = 0; i < span.Length; i++)
        {
            if (char.IsWhiteSpace(span[i]) && (span[i] != ' ' || (i + 1 < span.Length && char.IsWhiteSpace(span[i + 1]))))
            {
                needs = true;
                break;
            }
        }

        if (!needs)
        {
            return span.Length == text.Length ? text : span.ToString();
        }

        var builder = new StringBuilder(span.Length);
        bool inSpace = false;
        foreach (char c in span)
        {
            if (char.IsWhiteSpace(c))
            {
                if (!inSpace)
                {
                    builder.Append(' ');
                    inSpace = true;
                }
            }
            else
            {
                builder.Append(c);
                inSpace = false;
            }
        }

        return builder.ToString();
    }

    /// <summary>Returns the trimmed text, or <see langword="null"/> when it is empty.</summary>
    public static string? NullIfEmpty(string? text)
    {
        var collapsed = CollapseWhitespace(text);
        return collapsed.Length == 0 ? null : collapsed;
    }

    /// <summary>Describes where the reader is: <c>line 12, column 5</c>.</summary>
    public static string? PositionOf(XmlReader reader)
        => reader is IXmlLineInfo info && info.HasLineInfo()
            ? string.Create(CultureInfo.InvariantCulture, $"line {info.LineNumber}, column {info.LinePosition}")
            : null;

    /// <summary>Describes an item: <c>item 3 (line 40)</c>.</summary>
    public static string ItemPosition(string kind, int index, int line)
        => line > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{kind} {index} (line {line})")
            : string.Create(CultureInfo.InvariantCulture, $"{kind} {index}");

    /// <summary>The current line, or 0 when unknown.</summary>
    public static int LineOf(XmlReader reader) => reader is IXmlLineInfo info && info.HasLineInfo() ? info.LineNumber : 0;
}

/// <summary>A document is readable XML but not the expected format; <see cref="Http.ArxivHttp"/> turns it into an <see cref="ArxivSourceException"/>.</summary>
internal sealed class FeedFormatException : Exception
{
    public FeedFormatException()
    {
    }

    public FeedFormatException(string message)
        : base(message)
    {
    }

    public FeedFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public string? Position { get; init; }

    public bool IsHtml { get; init; }

    public string? HtmlTitle { get; init; }
}
