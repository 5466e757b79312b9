using System.Globalization;
using System.Reflection;
using System.Text;

namespace ArxivRank.Scoring;

/// <summary>
/// The reader's research interests: numbered topics with what is relevant and what is not, keywords, hints on
/// irrelevant domains and application work, a relevance rubric and a novelty rubric, and optionally the authors the
/// reader follows or blocks. Written as a Markdown or text file (format in docs/criteria.md) or built in code.
/// </summary>
/// <remarks>
/// Every scorer reads the same criteria: the LLM scorer puts them in its prompt, the lexical scorer weighs the words of
/// the topics and keywords, the embedding scorer embeds them. <see cref="Parse(string)"/> accepts the layouts readers
/// already use (the "Paper Selection Prompt" of the tool they run today, with "Keywords for Relevant Domains" or
/// "Keywords: Relevant / Irrelevant").
/// </remarks>
public sealed record ScoringCriteria
{
    private static readonly Lazy<ScoringCriteria> ExampleCriteria = new(() => Parse(ReadResource("example-criteria.md")));
    private static readonly Lazy<ScoringCriteria> DefaultRubric = new(() => CriteriaParser.Parse(ReadResource("default-rubric.md"), requireContent: false));

    /// <summary>Gets a title for the criteria, when the text has one (the first top-level heading).</summary>
    public string? Title { get; init; }

    /// <summary>Gets free text about the reader and what they look for (the text outside the known sections).</summary>
    /// <value>An empty string when there is none.</value>
    public string Introduction { get; init; } = string.Empty;

    /// <summary>Gets the research topics, in the reader's order.</summary>
    public IReadOnlyList<CriteriaTopic> Topics { get; init; } = [];

    /// <summary>Gets keywords of relevant domains (<c>Mixture of Experts (MoE)</c>, <c>Quantization</c>).</summary>
    public IReadOnlyList<string> RelevantKeywords { get; init; } = [];

    /// <summary>Gets keywords of domains the reader does not want (<c>Federated Learning</c>).</summary>
    public IReadOnlyList<string> IrrelevantKeywords { get; init; } = [];

    /// <summary>Gets application tasks whose papers are usually not wanted unless they bring a new method (<c>Medical Imaging</c>).</summary>
    public IReadOnlyList<string> ApplicationTasks { get; init; } = [];

    /// <summary>Gets general notes on scoring (what the two scores mean), when the reader wrote some.</summary>
    public string? ScoringNotes { get; init; }

    /// <summary>Gets the relevance rubric as written; <see langword="null"/> to use <see cref="DefaultRelevanceRubric"/>.</summary>
    public string? RelevanceRubric { get; init; }

    /// <summary>Gets the novelty rubric as written; <see langword="null"/> to use <see cref="DefaultNoveltyRubric"/>.</summary>
    public string? NoveltyRubric { get; init; }

    /// <summary>Gets other sections the reader wrote under headings this format does not know; they go into the prompt as they are.</summary>
    public IReadOnlyList<CriteriaNote> Notes { get; init; } = [];

    /// <summary>Gets the authors the reader follows: their papers enter the digest as "Author match" without spending tokens.</summary>
    public IReadOnlyList<string> FollowedAuthors { get; init; } = [];

    /// <summary>Gets the authors whose papers the reader never wants to see.</summary>
    public IReadOnlyList<string> BlockedAuthors { get; init; } = [];

    /// <summary>Gets what <see cref="Parse(string)"/> noticed but tolerated (an empty section, an ignored <c>Instructions</c> section).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Gets the relevance rubric in effect: <see cref="RelevanceRubric"/>, or the default one.</summary>
    public string EffectiveRelevanceRubric => RelevanceRubric ?? DefaultRelevanceRubric;

    /// <summary>Gets the novelty rubric in effect: <see cref="NoveltyRubric"/>, or the default one.</summary>
    public string EffectiveNoveltyRubric => NoveltyRubric ?? DefaultNoveltyRubric;

    /// <summary>Gets the default relevance rubric (five bands from 9–10 "squarely on a topic" to 1–2 "unrelated").</summary>
    public static string DefaultRelevanceRubric => DefaultRubric.Value.RelevanceRubric!;

    /// <summary>Gets the default novelty rubric (five bands from 9–10 "a new direction" to 1–2 "routine").</summary>
    public static string DefaultNoveltyRubric => DefaultRubric.Value.NoveltyRubric!;

    /// <summary>Gets the default note on what the two scores mean.</summary>
    public static string DefaultScoringNotes => DefaultRubric.Value.ScoringNotes!;

    /// <summary>Gets an example written for this library (efficient and well-understood deep learning), the criteria the offline scorers use when the reader gives none.</summary>
    public static ScoringCriteria Example => ExampleCriteria.Value;

    /// <summary>Gets the text of the example criteria file, a starting point for a reader's own (see docs/criteria.md).</summary>
    public static string ExampleText => ReadResource("example-criteria.md");

    /// <summary>Parses criteria from Markdown or plain text (format in docs/criteria.md).</summary>
    /// <param name="text">The criteria text.</param>
    /// <returns>The criteria, with <see cref="Warnings"/> for what was tolerated.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="CriteriaException">The text is empty or holds nothing to judge papers by.</exception>
    public static ScoringCriteria Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return CriteriaParser.Parse(text);
    }

    /// <summary>Reads and parses a criteria file (UTF-8).</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The criteria.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="CriteriaException">The file cannot be read, or holds nothing to judge papers by; the message names the file.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static async Task<ScoringCriteria> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, Encoding.UTF8, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CriteriaException($"The criteria file '{path}' cannot be read: {ex.Message}", ex);
        }

        try
        {
            return CriteriaParser.Parse(text);
        }
        catch (CriteriaException ex)
        {
            throw new CriteriaException($"The criteria file '{path}': {ex.Message}", ex);
        }
    }

    /// <summary>Renders the criteria in the canonical format of docs/criteria.md (what the LLM prompt and the cache hash use).</summary>
    /// <returns>Markdown that <see cref="Parse(string)"/> reads back to the same criteria.</returns>
    public string ToMarkdown() => ToMarkdown(includeAuthors: true);

    internal string ToMarkdown(bool includeAuthors)
    {
        var sb = new StringBuilder();
        if (Title is not null)
        {
            sb.Append("# ").AppendLine(Title).AppendLine();
        }

        if (Introduction.Length > 0)
        {
            sb.AppendLine(Introduction).AppendLine();
        }

        if (Topics.Count > 0)
        {
            sb.AppendLine("## Topics").AppendLine();
            for (int i = 0; i < Topics.Count; i++)
            {
                var topic = Topics[i];
                sb.Append((i + 1).ToString(CultureInfo.InvariantCulture)).Append(". ").AppendLine(topic.Name);
                if (topic.Description is { Length: > 0 } description)
                {
                    sb.Append("   ").AppendLine(description);
                }

                if (topic.Relevant is { Length: > 0 } relevant)
                {
                    sb.Append("   - Relevant: ").AppendLine(relevant);
                }

                if (topic.Irrelevant is { Length: > 0 } irrelevant)
                {
                    sb.Append("   - Irrelevant: ").AppendLine(irrelevant);
                }

                sb.AppendLine();
            }
        }

        AppendList(sb, "Relevant keywords", RelevantKeywords);
        AppendList(sb, "Irrelevant domains", IrrelevantKeywords);
        AppendList(sb, "Application tasks", ApplicationTasks);

        sb.AppendLine("## Scoring").AppendLine().AppendLine(ScoringNotes ?? DefaultScoringNotes).AppendLine();
        sb.AppendLine("### Relevance rubric").AppendLine().AppendLine(EffectiveRelevanceRubric).AppendLine();
        sb.AppendLine("### Novelty rubric").AppendLine().AppendLine(EffectiveNoveltyRubric).AppendLine();

        foreach (var note in Notes)
        {
            sb.Append("## ").AppendLine(note.Heading).AppendLine().AppendLine(note.Text).AppendLine();
        }

        if (includeAuthors)
        {
            AppendLines(sb, "Followed authors", FollowedAuthors);
            AppendLines(sb, "Blocked authors", BlockedAuthors);
        }

        return sb.ToString().TrimEnd() + "\n";
    }

    private static void AppendList(StringBuilder sb, string heading, IReadOnlyList<string> items)
    {
        if (items.Count > 0)
        {
            sb.Append("## ").AppendLine(heading).AppendLine().AppendLine(string.Join(", ", items)).AppendLine();
        }
    }

    private static void AppendLines(StringBuilder sb, string heading, IReadOnlyList<string> items)
    {
        if (items.Count > 0)
        {
            sb.Append("## ").AppendLine(heading).AppendLine();
            foreach (string item in items)
            {
                sb.Append("- ").AppendLine(item);
            }

            sb.AppendLine();
        }
    }

    private static string ReadResource(string name)
    {
        var assembly = typeof(ScoringCriteria).Assembly;
        using var stream = assembly.GetManifestResourceStream("ArxivRank.Scoring.Resources." + name)
            ?? throw new InvalidOperationException($"The embedded resource '{name}' is missing from {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}

/// <summary>One research topic of the reader's criteria.</summary>
/// <param name="Name">The topic (<c>Model Compression</c>).</param>
public sealed record CriteriaTopic(string Name)
{
    /// <summary>Gets text about the topic beyond its name and the relevant/irrelevant notes, when given.</summary>
    public string? Description { get; init; }

    /// <summary>Gets what counts as relevant within the topic, when given.</summary>
    public string? Relevant { get; init; }

    /// <summary>Gets what does not count, even within the topic, when given.</summary>
    public string? Irrelevant { get; init; }
}

/// <summary>A section of the criteria under a heading this format does not know, kept as written.</summary>
/// <param name="Heading">The heading.</param>
/// <param name="Text">The section's text.</param>
public sealed record CriteriaNote(string Heading, string Text);

/// <summary>Criteria could not be read: the file is missing or unreadable, or the text holds nothing to judge papers by.</summary>
public class CriteriaException : ArxivRankException
{
    /// <summary>Initializes a new instance of the <see cref="CriteriaException"/> class.</summary>
    public CriteriaException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CriteriaException"/> class.</summary>
    /// <param name="message">What is wrong and what to do.</param>
    public CriteriaException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CriteriaException"/> class.</summary>
    /// <param name="message">What is wrong and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public CriteriaException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
