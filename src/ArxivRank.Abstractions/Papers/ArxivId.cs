using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ArxivRank;

/// <summary>
/// An arXiv identifier, normalized from any of the forms feeds and models produce.
/// </summary>
/// <remarks>
/// <para>
/// Accepted forms include <c>2502.12851</c>, <c>2502.12851v2</c>, <c>arXiv:2502.12851</c>,
/// <c>https://arxiv.org/abs/2502.12851v1</c>, <c>https://arxiv.org/pdf/2502.12851v1.pdf</c>,
/// <c>oai:arXiv.org:2502.12851v1</c>, and old-style identifiers such as <c>hep-th/9901001</c>
/// or <c>math.GT/0309136v1</c>.
/// </para>
/// <para>
/// <see cref="Id"/> is the canonical identifier without version (<c>2502.12851</c>, <c>math/0309136</c>);
/// the subject class of an old-style identifier (<c>GT</c>) is kept apart in <see cref="SubjectClass"/> because it
/// is not part of the identity. The version is optional: OAI-PMH records and many model answers carry none.
/// </para>
/// <para>Equality includes the version: <c>2502.12851v1</c>, <c>2502.12851v2</c> and <c>2502.12851</c> are three different
/// values (a new version is a new paper to score). To compare papers regardless of version use <see cref="SamePaperAs"/>,
/// <see cref="WithoutVersion"/>, or <see cref="VersionIgnoringComparer"/> as the comparer of a dictionary or set.</para>
/// </remarks>
[JsonConverter(typeof(ArxivIdJsonConverter))]
public readonly struct ArxivId : IEquatable<ArxivId>, IComparable<ArxivId>, ISpanParsable<ArxivId>
{
    private readonly string? _id;

    private ArxivId(string id, string? subjectClass, int? version)
    {
        _id = id;
        SubjectClass = subjectClass;
        Version = version;
    }

    /// <summary>Gets the canonical identifier without version, such as <c>2502.12851</c> or <c>math/0309136</c>.</summary>
    /// <value>An empty string for the default value.</value>
    public string Id => _id ?? string.Empty;

    /// <summary>Gets the version number (the <c>2</c> of <c>v2</c>), or <see langword="null"/> when the source carried none.</summary>
    public int? Version { get; }

    /// <summary>Gets the subject class of an old-style identifier (the <c>GT</c> of <c>math.GT/0309136</c>), when one was given.</summary>
    public string? SubjectClass { get; }

    /// <summary>Gets a value indicating whether this is an old-style identifier (<c>archive/YYMMNNN</c>).</summary>
    public bool IsOldStyle => _id is not null && _id.Contains('/', StringComparison.Ordinal);

    /// <summary>Gets a value indicating whether this is the default (empty) value rather than a parsed identifier.</summary>
    public bool IsEmpty => _id is null;

    /// <summary>Gets the URL of the paper's abstract page, <c>https://arxiv.org/abs/{id}</c> (with the version when known).</summary>
    public Uri AbsUri => new("https://arxiv.org/abs/" + ToString(), UriKind.Absolute);

    /// <summary>Returns this identifier without its version.</summary>
    /// <returns>The same paper, with <see cref="Version"/> <see langword="null"/>.</returns>
    public ArxivId WithoutVersion() => _id is null ? this : new ArxivId(_id, SubjectClass, null);

    /// <summary>Returns this identifier with the given version.</summary>
    /// <param name="version">The version, 1 or more.</param>
    /// <returns>The same paper at <paramref name="version"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="version"/> is less than 1.</exception>
    /// <exception cref="InvalidOperationException">This is the default (empty) value.</exception>
    public ArxivId WithVersion(int version)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        return _id is null
            ? throw new InvalidOperationException("The default ArxivId has no identifier to version.")
            : new ArxivId(_id, SubjectClass, version);
    }

    /// <summary>Determines whether both identifiers name the same paper, whatever their versions.</summary>
    /// <param name="other">The other identifier.</param>
    /// <returns><see langword="true"/> when the canonical identifiers are equal.</returns>
    public bool SamePaperAs(ArxivId other) => string.Equals(_id, other._id, StringComparison.Ordinal);

    /// <summary>Parses an identifier in any supported form.</summary>
    /// <param name="s">The text to parse.</param>
    /// <returns>The normalized identifier.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException"><paramref name="s"/> is not an arXiv identifier; the message says why.</exception>
    public static ArxivId Parse(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return Parse(s.AsSpan());
    }

    /// <summary>Parses an identifier in any supported form.</summary>
    /// <param name="s">The text to parse.</param>
    /// <returns>The normalized identifier.</returns>
    /// <exception cref="FormatException"><paramref name="s"/> is not an arXiv identifier; the message says why.</exception>
    public static ArxivId Parse(ReadOnlySpan<char> s)
        => TryParse(s, out var id, out var error) ? id : throw new FormatException(error);

    /// <inheritdoc cref="Parse(string)"/>
    /// <param name="s">The text to parse.</param>
    /// <param name="provider">Ignored.</param>
    static ArxivId IParsable<ArxivId>.Parse(string s, IFormatProvider? provider) => Parse(s);

    /// <inheritdoc cref="Parse(ReadOnlySpan{char})"/>
    /// <param name="s">The text to parse.</param>
    /// <param name="provider">Ignored.</param>
    static ArxivId ISpanParsable<ArxivId>.Parse(ReadOnlySpan<char> s, IFormatProvider? provider) => Parse(s);

    /// <summary>Tries to parse an identifier in any supported form.</summary>
    /// <param name="s">The text to parse.</param>
    /// <param name="result">The normalized identifier, when parsing succeeded.</param>
    /// <returns><see langword="true"/> when <paramref name="s"/> is an arXiv identifier.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, out ArxivId result)
        => TryParse(s.AsSpan(), out result, out _);

    /// <summary>Tries to parse an identifier in any supported form.</summary>
    /// <param name="s">The text to parse.</param>
    /// <param name="result">The normalized identifier, when parsing succeeded.</param>
    /// <returns><see langword="true"/> when <paramref name="s"/> is an arXiv identifier.</returns>
    public static bool TryParse(ReadOnlySpan<char> s, out ArxivId result) => TryParse(s, out result, out _);

    static bool IParsable<ArxivId>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out ArxivId result)
        => TryParse(s.AsSpan(), out result, out _);

    static bool ISpanParsable<ArxivId>.TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out ArxivId result)
        => TryParse(s, out result, out _);

    /// <summary>Tries to parse an identifier in any supported form, saying why when it cannot.</summary>
    /// <param name="s">The text to parse.</param>
    /// <param name="result">The normalized identifier, when parsing succeeded.</param>
    /// <param name="error">Why <paramref name="s"/> is not an identifier, when parsing failed.</param>
    /// <returns><see langword="true"/> when <paramref name="s"/> is an arXiv identifier.</returns>
    public static bool TryParse(ReadOnlySpan<char> s, out ArxivId result, [NotNullWhen(false)] out string? error)
    {
        result = default;
        var text = StripDecorations(s.Trim());
        if (text.IsEmpty)
        {
            error = "The arXiv identifier is empty.";
            return false;
        }

        int? version = null;
        int vIndex = text.LastIndexOfAny('v', 'V');
        if (vIndex > 0 && vIndex < text.Length - 1 && AllDigits(text[(vIndex + 1)..]) && char.IsAsciiDigit(text[vIndex - 1]))
        {
            var digits = text[(vIndex + 1)..];
            if (digits.Length > 6 || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int v) || v < 1)
            {
                error = $"'{s.ToString()}' has an invalid version '{digits.ToString()}'.";
                return false;
            }

            version = v;
            text = text[..vIndex];
        }

        int slash = text.IndexOf('/');
        return slash < 0
            ? TryParseNewStyle(s, text, version, out result, out error)
            : TryParseOldStyle(s, text, slash, version, out result, out error);
    }

    private static bool TryParseNewStyle(ReadOnlySpan<char> original, ReadOnlySpan<char> text, int? version, out ArxivId result, out string? error)
    {
        result = default;
        int dot = text.IndexOf('.');
        if (dot != 4 || !AllDigits(text[..4]) || !AllDigits(text[5..]))
        {
            error = $"'{original.ToString()}' is not an arXiv identifier (expected YYMM.NNNNN, optionally with vN, or an old-style archive/YYMMNNN).";
            return false;
        }

        int yy = (text[0] - '0') * 10 + (text[1] - '0');
        int mm = (text[2] - '0') * 10 + (text[3] - '0');
        int numberLength = text.Length - 5;
        if (mm is < 1 or > 12)
        {
            error = $"'{original.ToString()}' has an invalid month {mm:00} in its YYMM prefix.";
            return false;
        }

        if (yy < 7 || (yy == 7 && mm < 4))
        {
            error = $"'{original.ToString()}' predates the YYMM.NNNN scheme (April 2007); older papers use archive/YYMMNNN.";
            return false;
        }

        int expected = yy >= 15 ? 5 : 4;
        if (numberLength != expected)
        {
            error = $"'{original.ToString()}' has {numberLength} digits after the dot; identifiers from {(yy >= 15 ? "2015 on" : "2007-2014")} have {expected}.";
            return false;
        }

        error = null;
        result = new ArxivId(text.ToString(), null, version);
        return true;
    }

    private static bool TryParseOldStyle(ReadOnlySpan<char> original, ReadOnlySpan<char> text, int slash, int? version, out ArxivId result, out string? error)
    {
        result = default;
        var archivePart = text[..slash];
        var number = text[(slash + 1)..];
        string? subjectClass = null;
        int dot = archivePart.IndexOf('.');
        var archive = archivePart;
        if (dot >= 0)
        {
            var subject = archivePart[(dot + 1)..];
            archive = archivePart[..dot];
            if (subject.IsEmpty || !IsArchiveName(subject))
            {
                error = $"'{original.ToString()}' has an invalid subject class '{subject.ToString()}'.";
                return false;
            }

            subjectClass = subject.ToString();
        }

        if (archive.IsEmpty || !IsArchiveName(archive) || !char.IsAsciiLetter(archive[0]))
        {
            error = $"'{original.ToString()}' has an invalid archive name '{archive.ToString()}'.";
            return false;
        }

        if (number.Length != 7 || !AllDigits(number))
        {
            error = $"'{original.ToString()}' is not an old-style arXiv identifier (expected archive/YYMMNNN with seven digits).";
            return false;
        }

        int mm = (number[2] - '0') * 10 + (number[3] - '0');
        if (mm is < 1 or > 12)
        {
            error = $"'{original.ToString()}' has an invalid month {mm:00} in its YYMM prefix.";
            return false;
        }

        error = null;
        result = new ArxivId(string.Concat(archive.ToString().ToLowerInvariant(), "/", number), subjectClass, version);
        return true;
    }

    private static ReadOnlySpan<char> StripDecorations(ReadOnlySpan<char> text)
    {
        ReadOnlySpan<string> prefixes =
        [
            "oai:arXiv.org:",
            "https://arxiv.org/abs/",
            "http://arxiv.org/abs/",
            "https://export.arxiv.org/abs/",
            "http://export.arxiv.org/abs/",
            "https://www.arxiv.org/abs/",
            "http://www.arxiv.org/abs/",
            "https://arxiv.org/pdf/",
            "http://arxiv.org/pdf/",
            "arxiv.org/abs/",
            "arXiv:",
        ];
        foreach (var prefix in prefixes)
        {
            if (text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                text = text[prefix.Length..].TrimStart();
                break;
            }
        }

        if (text.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase))
        {
            text = text[..^4];
        }

        return text.TrimEnd('/');
    }

    private static bool AllDigits(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty)
        {
            return false;
        }

        foreach (char c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsArchiveName(ReadOnlySpan<char> s)
    {
        foreach (char c in s)
        {
            if (!char.IsAsciiLetter(c) && c != '-')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Returns the identifier with its version when known: <c>2502.12851v2</c>, <c>math/0309136</c>.</summary>
    /// <returns>The canonical text.</returns>
    public override string ToString()
        => Version is { } v ? string.Concat(Id, "v", v.ToString(CultureInfo.InvariantCulture)) : Id;

    /// <summary>Gets a comparer that ignores the version: <c>2502.12851v1</c> and <c>2502.12851</c> are the same key.</summary>
    /// <value>A stateless, thread-safe comparer.</value>
    public static IEqualityComparer<ArxivId> VersionIgnoringComparer { get; } = new IgnoringVersion();

    /// <summary>Determines whether both identifiers are equal, <strong>version included</strong> (see <see cref="SamePaperAs"/> to ignore it).</summary>
    /// <param name="other">The other identifier.</param>
    /// <returns><see langword="true"/> when the canonical identifiers and the versions are equal.</returns>
    public bool Equals(ArxivId other) => string.Equals(_id, other._id, StringComparison.Ordinal) && Version == other.Version;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ArxivId other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_id, Version);

    private sealed class IgnoringVersion : IEqualityComparer<ArxivId>
    {
        public bool Equals(ArxivId x, ArxivId y) => x.SamePaperAs(y);

        public int GetHashCode(ArxivId obj) => obj._id is null ? 0 : StringComparer.Ordinal.GetHashCode(obj._id);
    }

    /// <summary>Orders by canonical identifier, then by version (unknown first).</summary>
    /// <param name="other">The identifier to compare with.</param>
    /// <returns>A signed comparison result.</returns>
    public int CompareTo(ArxivId other)
    {
        int c = string.CompareOrdinal(_id, other._id);
        return c != 0 ? c : Nullable.Compare(Version, other.Version);
    }

    /// <summary>Compares two identifiers for equality.</summary>
    /// <param name="left">The first identifier.</param>
    /// <param name="right">The second identifier.</param>
    /// <returns><see langword="true"/> when equal.</returns>
    public static bool operator ==(ArxivId left, ArxivId right) => left.Equals(right);

    /// <summary>Compares two identifiers for inequality.</summary>
    /// <param name="left">The first identifier.</param>
    /// <param name="right">The second identifier.</param>
    /// <returns><see langword="true"/> when not equal.</returns>
    public static bool operator !=(ArxivId left, ArxivId right) => !left.Equals(right);

    /// <summary>Orders two identifiers.</summary>
    /// <param name="left">The first identifier.</param>
    /// <param name="right">The second identifier.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> sorts first.</returns>
    public static bool operator <(ArxivId left, ArxivId right) => left.CompareTo(right) < 0;

    /// <summary>Orders two identifiers.</summary>
    /// <param name="left">The first identifier.</param>
    /// <param name="right">The second identifier.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> sorts first or equal.</returns>
    public static bool operator <=(ArxivId left, ArxivId right) => left.CompareTo(right) <= 0;

    /// <summary>Orders two identifiers.</summary>
    /// <param name="left">The first identifier.</param>
    /// <param name="right">The second identifier.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> sorts last.</returns>
    public static bool operator >(ArxivId left, ArxivId right) => left.CompareTo(right) > 0;

    /// <summary>Orders two identifiers.</summary>
    /// <param name="left">The first identifier.</param>
    /// <param name="right">The second identifier.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> sorts last or equal.</returns>
    public static bool operator >=(ArxivId left, ArxivId right) => left.CompareTo(right) >= 0;
}

/// <summary>Reads and writes an <see cref="ArxivId"/> as its canonical string (<c>"2502.12851v2"</c>).</summary>
public sealed class ArxivIdJsonConverter : JsonConverter<ArxivId>
{
    /// <inheritdoc/>
    public override ArxivId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"An arXiv identifier must be a JSON string, not {reader.TokenType}.");
        }

        string text = reader.GetString()!;
        return ArxivId.TryParse(text.AsSpan(), out var id, out var error) ? id : throw new JsonException(error);
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, ArxivId value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString());
    }

    /// <inheritdoc/>
    public override ArxivId ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        string text = reader.GetString()!;
        return ArxivId.TryParse(text.AsSpan(), out var id, out var error) ? id : throw new JsonException(error);
    }

    /// <inheritdoc/>
    public override void WriteAsPropertyName(Utf8JsonWriter writer, ArxivId value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WritePropertyName(value.ToString());
    }
}
