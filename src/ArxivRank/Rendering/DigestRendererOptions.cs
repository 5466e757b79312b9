namespace ArxivRank.Rendering;

/// <summary>What every renderer can leave out. Each format has its own options class deriving from this one.</summary>
public abstract class DigestRendererOptions
{
    /// <summary>Gets or sets a value indicating whether the reader's criteria text (the selection prompt) is shown at the end.</summary>
    /// <value><see langword="true"/> by default.</value>
    public bool IncludeCriteria { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether each paper's abstract is shown.</summary>
    /// <value><see langword="true"/> by default.</value>
    public bool IncludeAbstracts { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether the usage table (tokens and cost per model) is shown.</summary>
    /// <value><see langword="true"/> by default.</value>
    public bool IncludeUsage { get; set; } = true;

    /// <summary>Checks the options and throws when one is out of range.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public virtual void Validate()
    {
    }

    internal static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}

/// <summary>Options of the Markdown renderer (<see cref="DigestRenderers.Markdown(MarkdownRendererOptions?)"/>).</summary>
public sealed class MarkdownRendererOptions : DigestRendererOptions
{
    /// <summary>Gets or sets the heading before the date.</summary>
    /// <value><c>Personalized Daily Arxiv Papers</c> by default, the heading of the Python tool's digests.</value>
    public string Title { get; set; } = "Personalized Daily Arxiv Papers";

    /// <summary>Gets or sets the .NET format of the date in the heading (invariant culture).</summary>
    /// <value><c>MM/dd/yyyy</c> by default, as in the Python tool's digests.</value>
    public string DateFormat { get; set; } = "MM/dd/yyyy";

    /// <summary>Gets or sets how the table of contents links to the papers.</summary>
    /// <value><see cref="MarkdownAnchorStyle.GitHub"/> by default.</value>
    public MarkdownAnchorStyle AnchorStyle { get; set; } = MarkdownAnchorStyle.GitHub;

    /// <inheritdoc/>
    public override void Validate()
    {
        Require(!string.IsNullOrWhiteSpace(Title), $"{nameof(MarkdownRendererOptions)}.{nameof(Title)} must not be empty.");
        Require(!string.IsNullOrWhiteSpace(DateFormat), $"{nameof(MarkdownRendererOptions)}.{nameof(DateFormat)} must not be empty.");
        Require(Enum.IsDefined(AnchorStyle), $"{nameof(MarkdownRendererOptions)}.{nameof(AnchorStyle)} has the undefined value {(int)AnchorStyle}.");
    }
}

/// <summary>How the Markdown table of contents links to each paper's section.</summary>
public enum MarkdownAnchorStyle
{
    /// <summary>
    /// Links to <c>#user-content-linkN</c>, the id GitHub gives an <c>&lt;a id="linkN"&gt;</c> after sanitizing:
    /// works on GitHub (and matches the Python tool's digests), not in renderers that keep ids as written.
    /// </summary>
    GitHub = 0,

    /// <summary>Links to <c>#linkN</c>: works in renderers that keep ids as written (Markdig, pandoc, VS Code).</summary>
    Plain,
}

/// <summary>Options of the HTML renderer (<see cref="DigestRenderers.Html(HtmlRendererOptions?)"/>) and of the archive pages.</summary>
public sealed class HtmlRendererOptions : DigestRendererOptions
{
    /// <summary>Gets or sets the site's title, shown in the browser tab and on the archive pages.</summary>
    /// <value><c>Personalized Daily arXiv Papers</c> by default.</value>
    public string SiteTitle { get; set; } = "Personalized Daily arXiv Papers";

    /// <summary>Gets or sets a value indicating whether the daily page links to its neighbours, its month page and the archive's Atom feed (<c>feed.xml</c>).</summary>
    /// <value><see langword="true"/> by default; turn off for a page sent on its own (mail).</value>
    public bool IncludeNavigation { get; set; } = true;

    /// <inheritdoc/>
    public override void Validate()
        => Require(!string.IsNullOrWhiteSpace(SiteTitle), $"{nameof(HtmlRendererOptions)}.{nameof(SiteTitle)} must not be empty.");
}

/// <summary>Options of the JSON renderer (<see cref="DigestRenderers.Json(JsonRendererOptions?)"/>).</summary>
/// <remarks>Leaving out the criteria, abstracts or usage gives a smaller file that no longer round-trips to the same digest.</remarks>
public sealed class JsonRendererOptions : DigestRendererOptions
{
    /// <summary>Gets or sets a value indicating whether the JSON is indented for people to read.</summary>
    /// <value><see langword="true"/> by default.</value>
    public bool Indented { get; set; } = true;
}

/// <summary>Options of the Slack renderer (<see cref="DigestRenderers.Slack(SlackRendererOptions?)"/>).</summary>
public sealed class SlackRendererOptions : DigestRendererOptions
{
    /// <summary>Slack's limit of blocks in one message.</summary>
    public const int SlackMaxBlocks = 50;

    /// <summary>Slack's limit of characters in one section text.</summary>
    public const int SlackMaxTextLength = 3000;

    /// <summary>Gets or sets how many titles the header message lists.</summary>
    /// <value>10 by default; 0 to 40.</value>
    public int TopTitles { get; set; } = 10;

    /// <summary>Gets or sets the most blocks one message may carry.</summary>
    /// <value><see cref="SlackMaxBlocks"/> (50, Slack's limit) by default; 5 to 50.</value>
    public int MaxBlocksPerMessage { get; set; } = SlackMaxBlocks;

    /// <summary>Gets or sets the most characters one text field may carry; longer abstracts are cut with an ellipsis.</summary>
    /// <value><see cref="SlackMaxTextLength"/> (3,000, Slack's limit) by default; 200 to 3,000.</value>
    public int MaxTextLength { get; set; } = SlackMaxTextLength;

    /// <summary>Gets or sets the title of the header message (before the date).</summary>
    /// <value><c>arXiv digest</c> by default.</value>
    public string Title { get; set; } = "arXiv digest";

    /// <inheritdoc/>
    public override void Validate()
    {
        Require(TopTitles is >= 0 and <= 40, $"{nameof(SlackRendererOptions)}.{nameof(TopTitles)} must be between 0 and 40 (was {TopTitles}).");
        Require(MaxBlocksPerMessage is >= 5 and <= SlackMaxBlocks, $"{nameof(SlackRendererOptions)}.{nameof(MaxBlocksPerMessage)} must be between 5 and {SlackMaxBlocks} (was {MaxBlocksPerMessage}).");
        Require(MaxTextLength is >= 200 and <= SlackMaxTextLength, $"{nameof(SlackRendererOptions)}.{nameof(MaxTextLength)} must be between 200 and {SlackMaxTextLength} (was {MaxTextLength}).");
        Require(!string.IsNullOrWhiteSpace(Title), $"{nameof(SlackRendererOptions)}.{nameof(Title)} must not be empty.");
    }
}
