using System.Text;
using System.Text.RegularExpressions;

namespace ArxivRank.Scoring;

/// <summary>
/// Reads the criteria format of docs/criteria.md, tolerant of the layouts readers already use: Markdown headings,
/// bold lines or bare lines as headings, "Label: value" lines for keyword lists, topics with inline or indented
/// "- Relevant:" / "- Irrelevant:" notes.
/// </summary>
internal static partial class CriteriaParser
{
    private enum Kind
    {
        Introduction,
        Title,
        Topics,
        Keywords,
        RelevantKeywords,
        IrrelevantKeywords,
        ApplicationTasks,
        Scoring,
        RelevanceRubric,
        NoveltyRubric,
        FollowedAuthors,
        BlockedAuthors,
        Ignored,
        Note,
    }

    private static readonly Dictionary<string, Kind> SectionNames = new(StringComparer.Ordinal)
    {
        ["paper selection prompt"] = Kind.Title,
        ["relevant topics"] = Kind.Topics,
        ["topics"] = Kind.Topics,
        ["research topics"] = Kind.Topics,
        ["topics of interest"] = Kind.Topics,
        ["research interests"] = Kind.Topics,
        ["interests"] = Kind.Topics,
        ["keywords"] = Kind.Keywords,
        ["keywords for relevant domains"] = Kind.RelevantKeywords,
        ["relevant keywords"] = Kind.RelevantKeywords,
        ["relevant domains"] = Kind.RelevantKeywords,
        ["keywords: relevant"] = Kind.RelevantKeywords,
        ["hints on irrelevant domains"] = Kind.IrrelevantKeywords,
        ["irrelevant domains"] = Kind.IrrelevantKeywords,
        ["irrelevant keywords"] = Kind.IrrelevantKeywords,
        ["keywords: irrelevant"] = Kind.IrrelevantKeywords,
        ["hints on application tasks"] = Kind.ApplicationTasks,
        ["application tasks"] = Kind.ApplicationTasks,
        ["application work"] = Kind.ApplicationTasks,
        ["scoring criteria"] = Kind.Scoring,
        ["scoring"] = Kind.Scoring,
        ["rubric"] = Kind.Scoring,
        ["scoring rubric"] = Kind.Scoring,
        ["relevance scoring"] = Kind.RelevanceRubric,
        ["relevance rubric"] = Kind.RelevanceRubric,
        ["novelty scoring"] = Kind.NoveltyRubric,
        ["novelty rubric"] = Kind.NoveltyRubric,
        ["followed authors"] = Kind.FollowedAuthors,
        ["authors to follow"] = Kind.FollowedAuthors,
        ["favorite authors"] = Kind.FollowedAuthors,
        ["favourite authors"] = Kind.FollowedAuthors,
        ["blocked authors"] = Kind.BlockedAuthors,
        ["muted authors"] = Kind.BlockedAuthors,
        ["papers"] = Kind.Ignored,
        ["instructions"] = Kind.Ignored,
        ["output format"] = Kind.Ignored,
    };

    /// <summary>Labels that name a keyword list only inside a "Keywords" section (<c>- Relevant: …</c>).</summary>
    private static readonly Dictionary<string, Kind> KeywordSubLabels = new(StringComparer.Ordinal)
    {
        ["relevant"] = Kind.RelevantKeywords,
        ["irrelevant"] = Kind.IrrelevantKeywords,
        ["not relevant"] = Kind.IrrelevantKeywords,
        ["application work"] = Kind.ApplicationTasks,
        ["application tasks"] = Kind.ApplicationTasks,
        ["applications"] = Kind.ApplicationTasks,
        ["application"] = Kind.ApplicationTasks,
    };

    public static ScoringCriteria Parse(string text, bool requireContent = true)
    {
        text = HtmlCommentRegex().Replace(text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n'), string.Empty);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new CriteriaException("The criteria text is empty: write at least a few topics or relevant keywords (format in docs/criteria.md).");
        }

        var warnings = new List<string>();
        var sections = new List<Section>();
        var current = new Section(Kind.Introduction, string.Empty);
        sections.Add(current);
        string? title = null;

        foreach (string rawLine in text.Split('\n'))
        {
            string line = rawLine.TrimEnd();
            if (line.Contains("[PAPER LIST HERE]", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (TryHeading(line, out string heading, out int level))
            {
                var kind = Classify(heading);
                if (kind is null && current.Kind == Kind.Topics && level >= 3)
                {
                    current.Lines.Add(new Line(heading, TopicStart: true));
                    continue;
                }

                if (kind == Kind.Title || (kind is null && level == 1 && title is null && !sections.Any(s => s.HasContent)))
                {
                    title ??= heading;
                    continue;
                }

                current = new Section(kind ?? Kind.Note, heading);
                sections.Add(current);
                continue;
            }

            if (TryInlineLabel(line, current.Kind, out var labelKind, out string label, out string value))
            {
                current = new Section(labelKind, label) { FromSubLabel = KeywordSubLabels.ContainsKey(Normalize(label)) };
                sections.Add(current);
                if (value.Length > 0)
                {
                    current.Lines.Add(new Line(value, TopicStart: false));
                }

                continue;
            }

            current.Lines.Add(new Line(line, TopicStart: false));
        }

        return Build(title, sections, warnings, requireContent);
    }

    private static ScoringCriteria Build(string? title, List<Section> sections, List<string> warnings, bool requireContent)
    {
        var introduction = new List<string>();
        var topics = new List<CriteriaTopic>();
        var relevant = new List<string>();
        var irrelevant = new List<string>();
        var applications = new List<string>();
        var followed = new List<string>();
        var blocked = new List<string>();
        var notes = new List<CriteriaNote>();
        string? scoringNotes = null, relevanceRubric = null, noveltyRubric = null;

        for (int index = 0; index < sections.Count; index++)
        {
            var section = sections[index];
            string body = section.Body();
            switch (section.Kind)
            {
                case Kind.Introduction:
                    AddIfAny(introduction, body);
                    break;
                case Kind.Topics:
                    ParseTopics(section, topics, introduction);
                    WarnIfEmpty(section, body, warnings, "no topic is read from it");
                    break;
                case Kind.Keywords:
                    relevant.AddRange(SplitList(body));
                    if (index + 1 >= sections.Count || !sections[index + 1].FromSubLabel)
                    {
                        WarnIfEmpty(section, body, warnings, "no keyword is read from it");
                    }

                    break;
                case Kind.RelevantKeywords:
                    relevant.AddRange(SplitList(body));
                    WarnIfEmpty(section, body, warnings, "no keyword is read from it");
                    break;
                case Kind.IrrelevantKeywords:
                    irrelevant.AddRange(SplitList(body));
                    WarnIfEmpty(section, body, warnings, "no keyword is read from it");
                    break;
                case Kind.ApplicationTasks:
                    applications.AddRange(SplitList(body));
                    WarnIfEmpty(section, body, warnings, "no task is read from it");
                    break;
                case Kind.Scoring:
                    scoringNotes = Append(scoringNotes, Unquote(body));
                    break;
                case Kind.RelevanceRubric:
                    relevanceRubric = Append(relevanceRubric, Unquote(body));
                    WarnIfEmpty(section, body, warnings, "the default relevance rubric is used");
                    break;
                case Kind.NoveltyRubric:
                    noveltyRubric = Append(noveltyRubric, Unquote(body));
                    WarnIfEmpty(section, body, warnings, "the default novelty rubric is used");
                    break;
                case Kind.FollowedAuthors:
                    followed.AddRange(SplitAuthors(body));
                    break;
                case Kind.BlockedAuthors:
                    blocked.AddRange(SplitAuthors(body));
                    break;
                case Kind.Ignored:
                    warnings.Add($"The '{section.Heading}' section is ignored: ArxivRank adds the papers and writes its own output instructions.");
                    break;
                case Kind.Note:
                    if (body.Length > 0)
                    {
                        notes.Add(new CriteriaNote(section.Heading, body));
                    }

                    break;
            }
        }

        var criteria = new ScoringCriteria
        {
            Title = title,
            Introduction = string.Join("\n\n", introduction),
            Topics = topics,
            RelevantKeywords = Distinct(relevant),
            IrrelevantKeywords = Distinct(irrelevant),
            ApplicationTasks = Distinct(applications),
            ScoringNotes = scoringNotes,
            RelevanceRubric = relevanceRubric,
            NoveltyRubric = noveltyRubric,
            Notes = notes,
            FollowedAuthors = Distinct(followed),
            BlockedAuthors = Distinct(blocked),
        };

        if (requireContent && criteria.Topics.Count == 0 && criteria.RelevantKeywords.Count == 0)
        {
            if (criteria.Introduction.Length == 0 && criteria.Notes.Count == 0)
            {
                throw new CriteriaException("The criteria hold nothing to judge papers by: write a 'Topics' section or a 'Relevant keywords' list (format in docs/criteria.md).");
            }

            warnings.Add("No 'Topics' section and no relevant keywords were found: the text is used as free-form interests.");
        }

        return criteria with { Warnings = warnings };
    }

    private static void ParseTopics(Section section, List<CriteriaTopic> topics, List<string> introduction)
    {
        bool anyNumbered = section.Lines.Any(l => l.TopicStart || NumberedItemRegex().IsMatch(l.Text));
        var intro = new StringBuilder();
        List<string>? currentTopic = null;
        foreach (var line in section.Lines)
        {
            string? start = null;
            if (line.TopicStart)
            {
                start = NumberedItemRegex().Match(line.Text) is { Success: true } m ? m.Groups[1].Value : line.Text;
            }
            else if (anyNumbered && NumberedItemRegex().Match(line.Text) is { Success: true } numbered)
            {
                start = numbered.Groups[1].Value;
            }
            else if (!anyNumbered && TopLevelBulletRegex().Match(line.Text) is { Success: true } bullet && !TopicMarkerStartRegex().IsMatch(bullet.Groups[1].Value))
            {
                start = bullet.Groups[1].Value;
            }

            if (start is not null)
            {
                AddTopic(currentTopic, topics);
                currentTopic = [start];
            }
            else if (currentTopic is not null)
            {
                currentTopic.Add(line.Text);
            }
            else
            {
                intro.AppendLine(line.Text);
            }
        }

        AddTopic(currentTopic, topics);
        AddIfAny(introduction, intro.ToString().Trim());
    }

    private static void AddTopic(List<string>? lines, List<CriteriaTopic> topics)
    {
        if (lines is null)
        {
            return;
        }

        string text = string.Join('\n', lines);
        var markers = TopicMarkerRegex().Matches(text);
        string head = markers.Count > 0 ? text[..markers[0].Index] : text;
        string? relevant = null, irrelevant = null;
        for (int i = 0; i < markers.Count; i++)
        {
            int start = markers[i].Index + markers[i].Length;
            int end = i + 1 < markers.Count ? markers[i + 1].Index : text.Length;
            string part = Collapse(text[start..end]);
            if (markers[i].Groups[1].Value.Equals("Relevant", StringComparison.OrdinalIgnoreCase))
            {
                relevant = Append(relevant, part, " ");
            }
            else
            {
                irrelevant = Append(irrelevant, part, " ");
            }
        }

        string[] headLines = head.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (headLines.Length == 0)
        {
            return;
        }

        string name = CleanName(headLines[0]);
        string? description = headLines.Length > 1 ? Collapse(string.Join(' ', headLines[1..])) : null;
        int colon = name.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && colon < name.Length - 1)
        {
            description = Append(Collapse(name[(colon + 1)..]), description, " ");
            name = CleanName(name[..colon]);
        }

        if (name.Length > 0)
        {
            topics.Add(new CriteriaTopic(name)
            {
                Description = string.IsNullOrWhiteSpace(description) ? null : description,
                Relevant = string.IsNullOrWhiteSpace(relevant) ? null : relevant,
                Irrelevant = string.IsNullOrWhiteSpace(irrelevant) ? null : irrelevant,
            });
        }
    }

    private static string CleanName(string name) => Collapse(name.Replace("**", string.Empty, StringComparison.Ordinal)).Trim(' ', '-', ':', '*', '#');

    private static bool TryHeading(string line, out string heading, out int level)
    {
        var atx = AtxHeadingRegex().Match(line);
        if (atx.Success)
        {
            heading = atx.Groups[2].Value.Trim();
            level = atx.Groups[1].Length;
            return heading.Length > 0;
        }

        level = 0;
        var bold = BoldLineRegex().Match(line);
        if (bold.Success && Classify(bold.Groups[1].Value) is not null)
        {
            heading = bold.Groups[1].Value.Trim().TrimEnd(':').Trim();
            return true;
        }

        string trimmed = line.Trim();
        if (trimmed.Length is > 0 and < 60 && !trimmed.StartsWith('-') && Classify(trimmed) is not null)
        {
            heading = trimmed.TrimEnd(':').Trim();
            return true;
        }

        heading = string.Empty;
        return false;
    }

    private static bool TryInlineLabel(string line, Kind currentKind, out Kind kind, out string label, out string value)
    {
        kind = default;
        label = value = string.Empty;
        var m = InlineLabelRegex().Match(line);
        if (!m.Success)
        {
            return false;
        }

        string name = Normalize(m.Groups[1].Value);
        bool inKeywords = currentKind is Kind.Keywords or Kind.RelevantKeywords or Kind.IrrelevantKeywords or Kind.ApplicationTasks;
        if (inKeywords && KeywordSubLabels.TryGetValue(name, out var sub))
        {
            kind = sub;
        }
        else if (SectionNames.TryGetValue(name, out var full) && full is Kind.Keywords or Kind.RelevantKeywords or Kind.IrrelevantKeywords or Kind.ApplicationTasks or Kind.FollowedAuthors or Kind.BlockedAuthors)
        {
            kind = full;
        }
        else
        {
            return false;
        }

        label = m.Groups[1].Value.Trim();
        value = m.Groups[2].Value.Replace("**", string.Empty, StringComparison.Ordinal).Trim();
        return true;
    }

    private static Kind? Classify(string heading)
        => SectionNames.TryGetValue(Normalize(heading), out var kind) ? kind : null;

    private static string Normalize(string heading)
    {
        var sb = new StringBuilder(heading.Length);
        foreach (char c in heading)
        {
            if (c is not ('*' or '_' or '`'))
            {
                sb.Append(char.ToLowerInvariant(c));
            }
        }

        return Collapse(sb.ToString()).TrimEnd(':', ' ').Trim();
    }

    /// <summary>Splits a keyword list on commas, semicolons and line breaks outside parentheses; drops bullets and "etc.".</summary>
    internal static IEnumerable<string> SplitList(string body)
    {
        var items = new List<string>();
        var sb = new StringBuilder();
        int depth = 0;
        foreach (string rawLine in body.Split('\n'))
        {
            string line = BulletPrefixRegex().Replace(rawLine, string.Empty);
            foreach (char c in line)
            {
                if (c is '(' or '[')
                {
                    depth++;
                }
                else if (c is ')' or ']')
                {
                    depth = Math.Max(0, depth - 1);
                }

                if (depth == 0 && c is ',' or ';')
                {
                    Flush();
                }
                else
                {
                    sb.Append(c);
                }
            }

            depth = 0;
            Flush();
        }

        return items;

        void Flush()
        {
            string item = Collapse(sb.ToString().Replace("**", string.Empty, StringComparison.Ordinal)).Trim().TrimEnd('.').Trim();
            sb.Clear();
            if (item.StartsWith("and ", StringComparison.OrdinalIgnoreCase) || item.StartsWith("or ", StringComparison.OrdinalIgnoreCase))
            {
                item = item[(item.IndexOf(' ', StringComparison.Ordinal) + 1)..].Trim();
            }

            if (item.Length > 0 && !item.Equals("etc", StringComparison.OrdinalIgnoreCase) && !item.Equals("and so on", StringComparison.OrdinalIgnoreCase))
            {
                items.Add(item);
            }
        }
    }

    /// <summary>
    /// One name per line or per <c>;</c>. Commas separate names only when every part has two words or more, so
    /// <c>Yann LeCun, Yoshua Bengio</c> is two names and <c>Bengio, Yoshua</c> is one (read as "Yoshua Bengio" when matching).
    /// </summary>
    private static IEnumerable<string> SplitAuthors(string body)
        => body.Split('\n')
            .Select(l => BulletPrefixRegex().Replace(l, string.Empty))
            .SelectMany(l => l.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .SelectMany(SplitOnCommas)
            .Select(Collapse)
            .Where(n => n.Length > 0);

    private static IEnumerable<string> SplitOnCommas(string names)
    {
        string[] parts = names.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return parts.Length > 1 && parts.All(p => p.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= 2) ? parts : [names];
    }

    private static List<string> Distinct(List<string> items)
        => [.. items.Distinct(StringComparer.OrdinalIgnoreCase)];

    private static string Unquote(string body)
        => string.Join('\n', body.Split('\n').Select(l => BlockquoteRegex().Replace(l, string.Empty))).Trim();

    private static void WarnIfEmpty(Section section, string body, List<string> warnings, string consequence)
    {
        if (body.Length == 0)
        {
            warnings.Add($"The '{section.Heading}' section is empty: {consequence}.");
        }
    }

    private static void AddIfAny(List<string> list, string text)
    {
        if (text.Length > 0)
        {
            list.Add(text);
        }
    }

    private static string? Append(string? first, string? second, string separator = "\n\n")
        => string.IsNullOrWhiteSpace(second) ? first : first is null ? second : first + separator + second;

    internal static string Collapse(string text) => WhitespaceRegex().Replace(text, " ").Trim();

    [GeneratedRegex(@"<!--.*?-->", RegexOptions.Singleline)]
    private static partial Regex HtmlCommentRegex();

    [GeneratedRegex(@"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")]
    private static partial Regex AtxHeadingRegex();

    [GeneratedRegex(@"^\s*(?:\*\*|__)([^*_]+?)(?:\*\*|__)\s*:?\s*$")]
    private static partial Regex BoldLineRegex();

    [GeneratedRegex(@"^\s*(?:[-*+]\s+)?(?:\*\*|__)?([A-Za-z][A-Za-z /&-]{0,60}?)(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(.*)$")]
    private static partial Regex InlineLabelRegex();

    [GeneratedRegex(@"^\s{0,3}(?:\d{1,2}[.)]|#{1,6}\s*\d{1,2}[.)])\s+(.*)$")]
    private static partial Regex NumberedItemRegex();

    [GeneratedRegex(@"^\s{0,1}[-*+]\s+(.*)$")]
    private static partial Regex TopLevelBulletRegex();

    [GeneratedRegex(@"(?:^|(?<=\s))[-*+]?\s*(?:\*\*)?(Relevant|Irrelevant|Not relevant)(?:\*\*)?\s*:(?:\*\*)?\s*", RegexOptions.IgnoreCase)]
    private static partial Regex TopicMarkerRegex();

    [GeneratedRegex(@"^(?:\*\*)?(Relevant|Irrelevant|Not relevant)(?:\*\*)?\s*:", RegexOptions.IgnoreCase)]
    private static partial Regex TopicMarkerStartRegex();

    [GeneratedRegex(@"^\s*(?:[-*+]|\d{1,2}[.)])\s+")]
    private static partial Regex BulletPrefixRegex();

    [GeneratedRegex(@"^\s*>\s?")]
    private static partial Regex BlockquoteRegex();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespaceRegex();

    private readonly record struct Line(string Text, bool TopicStart);

    private sealed class Section(Kind kind, string heading)
    {
        public Kind Kind { get; } = kind;

        public string Heading { get; } = heading;

        public List<Line> Lines { get; } = [];

        public bool FromSubLabel { get; init; }

        public bool HasContent => Lines.Any(l => !string.IsNullOrWhiteSpace(l.Text));

        public string Body() => string.Join('\n', Lines.Select(l => l.Text)).Trim('\n', ' ');
    }
}
