namespace ArxivRank.Scoring;

/// <summary>Evaluates <see cref="PaperRules"/> on papers.</summary>
internal sealed class PaperRuleEngine
{
    internal const string AuthorMatchComment = "Author match";
    internal const string RulesScorer = "rules";

    private readonly List<(string Display, AuthorName Name)> _followed;
    private readonly List<(string Display, AuthorName Name)> _blocked;
    private readonly List<(string Display, string Pattern)> _include;
    private readonly List<(string Display, string Pattern)> _exclude;

    public PaperRuleEngine(PaperRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        _followed = Names(rules.FollowedAuthors);
        _blocked = Names(rules.BlockedAuthors);
        _include = Keywords(rules.IncludeKeywords);
        _exclude = Keywords(rules.ExcludeKeywords);
    }

    /// <summary>Returns the rule's verdict on a paper, or <see langword="null"/> when no rule applies.</summary>
    public PaperScore? Evaluate(Paper paper)
    {
        if (_blocked.Count > 0 && FindAuthor(paper, _blocked) is { } blocked)
        {
            return Verdict(paper, relevance: 1, $"Excluded by rule: blocked author {blocked}.", ScoreOrigin.Scored);
        }

        if (_followed.Count > 0 && FindAuthor(paper, _followed) is not null)
        {
            return Verdict(paper, relevance: null, AuthorMatchComment, ScoreOrigin.AuthorMatch);
        }

        if (_exclude.Count == 0 && _include.Count == 0)
        {
            return null;
        }

        string text = Padded(paper.Title + " " + paper.Abstract);
        foreach (var (display, pattern) in _exclude)
        {
            if (text.Contains(pattern, StringComparison.Ordinal))
            {
                return Verdict(paper, relevance: 1, $"Excluded by rule: keyword \"{display}\".", ScoreOrigin.Scored);
            }
        }

        foreach (var (display, pattern) in _include)
        {
            if (text.Contains(pattern, StringComparison.Ordinal))
            {
                return Verdict(paper, relevance: null, $"Keyword rule: \"{display}\".", ScoreOrigin.KeywordRule);
            }
        }

        return null;
    }

    /// <summary>Determines whether an author name matches a rule's name (exposed for tests).</summary>
    internal static bool NamesMatch(string rule, string author)
        => AuthorName.Parse(rule) is { } r && AuthorName.Parse(author) is { } a && r.Matches(a);

    private static PaperScore Verdict(Paper paper, int? relevance, string comment, ScoreOrigin origin)
        => new() { PaperId = paper.Id, Relevance = relevance, Comment = comment, Origin = origin, ScoredBy = RulesScorer };

    private static string? FindAuthor(Paper paper, List<(string Display, AuthorName Name)> names)
    {
        foreach (string author in paper.Authors)
        {
            if (AuthorName.Parse(author) is not { } parsed)
            {
                continue;
            }

            foreach (var (display, name) in names)
            {
                if (name.Matches(parsed))
                {
                    return display;
                }
            }
        }

        return null;
    }

    private static List<(string, AuthorName)> Names(IReadOnlyList<string> names)
        => [.. names.Select(n => (n, AuthorName.Parse(n))).Where(p => p.Item2 is not null).Select(p => (p.n, p.Item2!))];

    private static List<(string, string)> Keywords(IReadOnlyList<string> keywords)
        => [.. keywords.Select(k => (k, Padded(k))).Where(p => p.Item2.Trim().Length > 0)];

    /// <summary>Folded words joined by single spaces, with a space at each end, so a phrase matches whole words only.</summary>
    private static string Padded(string text) => " " + string.Join(' ', TextAnalysis.Words(TextAnalysis.Fold(text))) + " ";

    /// <summary>A person's name, folded: given names (or initials) and the last name.</summary>
    private sealed record AuthorName(IReadOnlyList<string> Given, string Last)
    {
        public static AuthorName? Parse(string name)
        {
            string text = name;
            int comma = text.IndexOf(',', StringComparison.Ordinal);
            if (comma > 0)
            {
                text = text[(comma + 1)..] + " " + text[..comma];
            }

            var words = TextAnalysis.Words(TextAnalysis.Fold(text));
            return words.Count == 0 ? null : new AuthorName(words[..^1], words[^1]);
        }

        /// <summary>The last names are equal and every given name of this (the rule) matches, in order, a given name of the author (full or initial).</summary>
        public bool Matches(AuthorName author)
        {
            if (!Last.Equals(author.Last, StringComparison.Ordinal))
            {
                return false;
            }

            int j = 0;
            foreach (string given in Given)
            {
                while (j < author.Given.Count && !Compatible(given, author.Given[j]))
                {
                    j++;
                }

                if (j == author.Given.Count)
                {
                    return false;
                }

                j++;
            }

            return true;
        }

        private static bool Compatible(string a, string b)
            => a.Equals(b, StringComparison.Ordinal) || (a.Length == 1 && b[0] == a[0]) || (b.Length == 1 && a[0] == b[0]);
    }
}
