namespace ArxivRank.Rendering;

/// <summary>
/// The built-in renderers: Markdown (the layout of the Python tool's digests), HTML (a self-contained daily page),
/// JSON (the documented schema, <see cref="DigestJson"/>) and Slack (Block Kit messages). Each writes to an
/// <see cref="IDigestOutput"/> as it goes, so a digest of any size renders without one big string.
/// </summary>
/// <example>
/// <code>
/// var output = new DirectoryDigestOutput("site");
/// await DigestRenderers.Html().RenderAsync(digest, output);
/// await DigestRenderers.Markdown(new() { IncludeCriteria = false }).RenderAsync(digest, output);
/// </code>
/// </example>
public static class DigestRenderers
{
    /// <summary>Gets the format names <see cref="Create(string)"/> accepts: <c>markdown</c>, <c>html</c>, <c>json</c>, <c>slack</c>.</summary>
    public static IReadOnlyList<string> Formats { get; } = ["markdown", "html", "json", "slack"];

    /// <summary>Creates the Markdown renderer; it writes <c>yyyy-MM-dd.md</c>.</summary>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <returns>The renderer.</returns>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public static IDigestRenderer Markdown(MarkdownRendererOptions? options = null)
        => new MarkdownDigestRenderer(Checked(options ?? new MarkdownRendererOptions()));

    /// <summary>Creates the HTML renderer; it writes <c>yyyy-MM-dd.html</c>, linking to <c>yyyy-MM/index.html</c> (see <see cref="DigestArchive"/>).</summary>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <returns>The renderer.</returns>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public static IDigestRenderer Html(HtmlRendererOptions? options = null)
        => new HtmlDigestRenderer(Checked(options ?? new HtmlRendererOptions()));

    /// <summary>Creates the JSON renderer; it writes <c>yyyy-MM-dd.json</c> in the schema of <see cref="DigestJson"/>.</summary>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <returns>The renderer.</returns>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public static IDigestRenderer Json(JsonRendererOptions? options = null)
        => new JsonDigestRenderer(Checked(options ?? new JsonRendererOptions()));

    /// <summary>Creates the Slack renderer; it writes <c>slack/yyyy-MM-dd-001.json</c> (the header message) and <c>-002</c>… (its thread).</summary>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <returns>The renderer.</returns>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public static IDigestRenderer Slack(SlackRendererOptions? options = null)
        => new SlackDigestRenderer(Checked(options ?? new SlackRendererOptions()));

    /// <summary>Creates a renderer by format name with default options.</summary>
    /// <param name="format">One of <see cref="Formats"/> (case-insensitive).</param>
    /// <returns>The renderer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="format"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="format"/> is not a known format.</exception>
    public static IDigestRenderer Create(string format)
    {
        ArgumentNullException.ThrowIfNull(format);
        return format.ToLowerInvariant() switch
        {
            "markdown" or "md" => Markdown(),
            "html" => Html(),
            "json" => Json(),
            "slack" => Slack(),
            _ => throw new ArgumentException($"Unknown digest format '{format}'; use one of: {string.Join(", ", Formats)}.", nameof(format)),
        };
    }

    private static T Checked<T>(T options)
        where T : DigestRendererOptions
    {
        options.Validate();
        return options;
    }
}
