namespace ArxivRank.Cli.Daily;

/// <summary>The effective settings of one <c>digest</c> run: flags over the config file over defaults.</summary>
internal sealed record DigestSettings
{
    public required IReadOnlyList<string> Categories { get; init; }

    public string? CriteriaPath { get; init; }

    public IReadOnlyList<string> FollowedAuthors { get; init; } = [];

    public string? Scorer { get; init; }

    public string? RankerPath { get; init; }

    public string? Model { get; init; }

    public string? LlmBaseUrl { get; init; }

    public string? ApiKeyVariable { get; init; }

    public required string Source { get; init; }

    public string? BaseUrl { get; init; }

    public required string OutDir { get; init; }

    public string? StorePath { get; init; }

    public required IReadOnlyList<string> Formats { get; init; }

    public int? TopK { get; init; }

    public int? MinRelevance { get; init; }

    public int? MinNovelty { get; init; }

    public int? BatchSize { get; init; }

    public int? Concurrency { get; init; }

    public decimal? MaxCost { get; init; }

    public double? Prescreen { get; init; }

    public bool AutoTrain { get; init; } = true;

    public int NoNewExitCode { get; init; } = ExitCodes.NoNewAnnouncement;

    public bool TitleScreen { get; init; } = true;

    public int WaitSeconds { get; init; }

    public string? Date { get; init; }

    public bool Force { get; init; }

    public bool DryRun { get; init; }

    public ArxivTuning Arxiv { get; init; } = new();

    public LlmTuning Llm { get; init; } = new();

    public static DigestSettings Merge(DigestConfig file, DigestConfig flags, string? date, bool force, bool dryRun, Func<string, string?> environment)
    {
        string? storeFromEnv = environment(Commands.DigestCommand.StoreVariable);
        return new DigestSettings
        {
            Categories = NonEmpty(flags.Categories) ?? NonEmpty(file.Categories) ?? ["cs.LG"],
            CriteriaPath = flags.Criteria ?? file.Criteria,
            FollowedAuthors = file.FollowedAuthors ?? [],
            Scorer = flags.Scorer ?? file.Scorer,
            RankerPath = flags.Ranker ?? file.Ranker,
            Model = flags.Model ?? file.Model,
            LlmBaseUrl = flags.LlmBaseUrl ?? file.LlmBaseUrl,
            ApiKeyVariable = flags.ApiKeyEnv ?? file.ApiKeyEnv,
            Source = (flags.Source ?? file.Source ?? "rss").ToLowerInvariant(),
            BaseUrl = flags.BaseUrl ?? file.BaseUrl,
            OutDir = flags.Out ?? file.Out ?? "digests",
            StorePath = flags.Store ?? file.Store ?? (string.IsNullOrWhiteSpace(storeFromEnv) ? null : storeFromEnv),
            Formats = NonEmpty(flags.Formats) ?? NonEmpty(file.Formats) ?? ["markdown", "html", "json"],
            TopK = flags.TopK ?? file.TopK,
            MinRelevance = file.MinRelevance,
            MinNovelty = file.MinNovelty,
            BatchSize = flags.BatchSize ?? file.BatchSize,
            Concurrency = flags.Concurrency ?? file.Concurrency,
            MaxCost = flags.MaxCost ?? file.MaxCost,
            Prescreen = flags.Prescreen ?? file.Prescreen,
            AutoTrain = flags.AutoTrain ?? file.AutoTrain ?? true,
            NoNewExitCode = flags.NoNewExitCode ?? file.NoNewExitCode ?? ExitCodes.NoNewAnnouncement,
            TitleScreen = file.TitleScreen ?? true,
            WaitSeconds = flags.Wait ?? file.Wait ?? 0,
            Date = date,
            Force = force,
            DryRun = dryRun,
            Arxiv = new ArxivTuning
            {
                RequestIntervalMs = flags.Arxiv?.RequestIntervalMs ?? file.Arxiv?.RequestIntervalMs,
                Retries = file.Arxiv?.Retries,
                RetryDelayMs = file.Arxiv?.RetryDelayMs,
                TimeoutMs = file.Arxiv?.TimeoutMs,
            },
            Llm = file.Llm ?? new LlmTuning(),
        };
    }

    private static List<string>? NonEmpty(List<string>? list) => list is { Count: > 0 } ? list : null;
}
