using System.Globalization;

namespace ArxivRank.Rendering;

/// <summary>
/// The names renderers give their outputs, relative to the output root (documented in docs/formats.md):
/// daily files <c>2025-02-26.md</c>, <c>2025-02-26.html</c>, <c>2025-02-26.json</c>; Slack messages
/// <c>slack/2025-02-26-001.json</c> (the header message), <c>-002</c>… (its thread); the month page
/// <c>2025-02/index.html</c>; the archive index <c>index.html</c>; the Atom feed <c>feed.xml</c>.
/// </summary>
public static class DigestOutputNames
{
    /// <summary>Gets the name of a daily file.</summary>
    /// <param name="date">The digest's day.</param>
    /// <param name="extension">The extension without dot (<c>md</c>, <c>html</c>, <c>json</c>).</param>
    /// <returns>The name, such as <c>2025-02-26.html</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="extension"/> is empty.</exception>
    public static string Daily(DateOnly date, string extension)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(extension);
        return date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "." + extension;
    }

    /// <summary>Gets the name of a month page.</summary>
    /// <param name="year">The year.</param>
    /// <param name="month">The month, 1 to 12.</param>
    /// <returns>The name, such as <c>2025-02/index.html</c>.</returns>
    public static string Month(int year, int month) => string.Create(CultureInfo.InvariantCulture, $"{year:0000}-{month:00}/index.html");

    /// <summary>Gets the name of the archive index.</summary>
    public static string ArchiveIndex => "index.html";

    /// <summary>Gets the name of the archive's Atom feed.</summary>
    public static string AtomFeed => "feed.xml";

    /// <summary>Gets the name of one Slack message of a day.</summary>
    /// <param name="date">The digest's day.</param>
    /// <param name="sequence">1 for the header message, 2 and on for the thread replies.</param>
    /// <returns>The name, such as <c>slack/2025-02-26-001.json</c>.</returns>
    public static string SlackMessage(DateOnly date, int sequence)
        => string.Create(CultureInfo.InvariantCulture, $"slack/{date:yyyy-MM-dd}-{sequence:000}.json");
}
