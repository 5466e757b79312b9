using System.Globalization;
using System.Text;
using System.Text.Json;
using ArxivRank.Cli;
using ArxivRank.Tests.Cli;
using ArxivRank.Tests.EndToEnd;
using ArxivRank.Tests.Sqlite;
using ArxivRank.TestUtilities;
using ArxivRank.TestUtilities.Arxiv;
using ArxivRank.TestUtilities.Chat;
using Xunit.Abstractions;

namespace ArxivRank.Tests.Reliability;

/// <summary>
/// The soak: announcement days (the labeled days replayed under successive dates, with holiday and stale feeds) through
/// the loopback arXiv and chat servers with every fault they inject, one <c>digest</c> process per day as cron runs it
/// (re-run up to three times when a day fails, as an hourly cron would). CI runs 10 days; by hand:
/// <c>ARXIVRANK_SOAK_DAYS=260 dotnet test tests/ArxivRank.Tests --filter FullyQualifiedName~Soak</c>
/// (<c>ARXIVRANK_SOAK_REPORT=FILE</c> keeps the report). Numbers: docs/reliability.md.
/// </summary>
public sealed class SoakTests(ITestOutputHelper output) : LoopbackRunTest("arxivrank-soak-")
{
    private int _dayRequests;
    private bool _faults;

    protected override int? LlmTimeoutMs => 5000;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Chat.Handler = request => ValueTask.FromResult(Reply(request, Interlocked.Increment(ref _dayRequests)));
    }

    [Fact]
    [Trait("Category", "Soak")]
    public async Task Soak_DaysWithEveryFault_LoseNoPaperAndWriteNoSilentEmptyDigest()
    {
        int days = int.TryParse(Environment.GetEnvironmentVariable("ARXIVRANK_SOAK_DAYS"), out int n) && n > 0 ? n : 10;

        // The fault-free reference: the same days, no faults, in-process (only its model calls matter).
        var clean = await RunYearAsync(days, faults: false, childProcess: false);
        var faulty = await RunYearAsync(days, faults: true, childProcess: true);

        string report = Report(days, clean, faulty);
        output.WriteLine(report);
        if (Environment.GetEnvironmentVariable("ARXIVRANK_SOAK_REPORT") is { Length: > 0 } file)
        {
            await File.WriteAllTextAsync(file, report);
        }

        faulty.PapersLost.Should().Be(0, report);
        faulty.SilentEmpty.Should().Be(0, report);
        faulty.IntegrityFailures.Should().Be(0, report);
        faulty.Written.Should().Be(clean.Written, "every announcement day got its digest: " + report);
        faulty.Written.Should().BeGreaterThan(0);
        faulty.NoNew.Should().Be(clean.NoNew, "holidays and stale feeds are told apart from failures");
    }

    private async Task<YearResult> RunYearAsync(int days, bool faults, bool childProcess)
    {
        var year = new YearResult();
        string name = faults ? "faulty" : "clean";
        string store = Path.Combine(Root, name + ".db");
        string outDir = Path.Combine(Root, name);
        var date = new DateOnly(2026, 1, 5);
        DateOnly? lastAnnounced = null;
        for (int day = 0; day < days; day++, date = NextWeekday(date))
        {
            var kind = day % 9 == 8 ? DayKind.Holiday : day % 13 == 12 ? DayKind.Stale : DayKind.Normal;
            Arxiv.Catalog = kind == DayKind.Holiday ? [] : [.. Papers(day)];
            Arxiv.AnnouncementDate = kind == DayKind.Stale && lastAnnounced is { } previous ? previous : date;
            if (kind != DayKind.Holiday && kind != DayKind.Stale)
            {
                lastAnnounced = date;
            }

            _faults = faults;
            if (faults)
            {
                Arxiv.Enqueue(ArxivEndpoint.Rss, Fault(day));
            }

            int exit = -1;
            string stderr = string.Empty;
            for (int attempt = 1; attempt <= 3 && exit is not (0 or 3); attempt++)
            {
                Interlocked.Exchange(ref _dayRequests, 0);
                string[] args = ["digest", "--config", ConfigPath, "--base-url", Arxiv.BaseUrl.ToString(), "--llm-base-url", Chat.BaseUri.ToString(), "--out", outDir, "--store", store, "--batch-size", "20", "--no-auto-train"];
                var env = new Dictionary<string, string?> { ["OPENAI_API_KEY"] = "sk-soak" };
                if (childProcess)
                {
                    using var run = await CliProcess.RunAsync(args, env);
                    (exit, stderr) = (run.ExitCode, run.Stderr);
                }
                else
                {
                    var run = await CliRunner.RunAsync(args, environment: env);
                    (exit, stderr) = (run.ExitCode, run.Stderr);
                }

                year.Attempts++;
                year.ModelCalls += Volatile.Read(ref _dayRequests);
            }

            year.Log.AppendLine(CultureInfo.InvariantCulture, $"{date:yyyy-MM-dd} {kind,-7} exit {exit}");
            if (exit == 0)
            {
                year.Written++;
                Account(year, Path.Combine(outDir, $"{Arxiv.AnnouncementDate:yyyy-MM-dd}.json"));
            }
            else if (exit == 3)
            {
                year.NoNew++;
            }
            else
            {
                year.Failed++;
                year.Log.AppendLine(stderr);
            }

            if (File.Exists(store) && !"ok".Equals(TempFolder.Query(store, "PRAGMA integrity_check;")))
            {
                year.IntegrityFailures++;
            }
        }

        return year;
    }

    private static void Account(YearResult year, string file)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(file));
        var totals = json.RootElement.GetProperty("totals");
        int scanned = totals.GetProperty("scannedPapers").GetInt32();
        int scored = totals.GetProperty("scoredPapers").GetInt32();
        int unscored = json.RootElement.GetProperty("unscored").GetArrayLength();
        int selected = json.RootElement.GetProperty("papers").GetArrayLength();
        year.Fetched += scanned;
        year.Unscored += unscored;
        year.PapersLost += scanned - scored - unscored;
        if (selected == 0 && scanned > 0 && scored == 0)
        {
            year.SilentEmpty++;
        }
    }

    /// <summary>The labeled days in turn; each pass over them gets fresh ids (another month), so nothing is "seen before".</summary>
    private static IEnumerable<Paper> Papers(int day)
    {
        var labeled = LabeledDays.Days[day % LabeledDays.Days.Count];
        int cycle = day / LabeledDays.Days.Count;
        foreach (var p in LabeledDays.Load(labeled).Select(l => l.Paper))
        {
            var id = cycle == 0 ? p.Id : ArxivId.Parse(string.Create(CultureInfo.InvariantCulture, $"{40 + cycle:00}{p.Id.Id[2..]}"));
            yield return p with { Id = id, Categories = p.Categories.Contains("cs.LG") ? p.Categories : [.. p.Categories, "cs.LG"] };
        }
    }

    private static ArxivFault Fault(int day) => (day % 6) switch
    {
        0 => ArxivFault.ServiceUnavailable(TimeSpan.Zero),
        1 => ArxivFault.TooManyRequests(TimeSpan.Zero),
        2 => ArxivFault.Status(500, "Internal Server Error"),
        3 => ArxivFault.TruncatedBody(0.4),
        4 => ArxivFault.StalledBody(0.3),
        _ => ArxivFault.TruncatedBody(0.6, abortConnection: false),
    };

    /// <summary>The model: on faulty days the first requests fail, ramble, stop short or skip papers; then it behaves.</summary>
    private ChatCompletionsReply Reply(ChatCompletionsRequest request, int number)
    {
        if (request.IsTitleScreen)
        {
            return ChatCompletionsReply.Completion(string.Join('\n', request.PaperIds.Where(id => id.EndsWith('3'))) is { Length: > 0 } dropped ? dropped : "NONE");
        }

        string lines = FakeScoringModel.JsonLines(request.PaperIds);
        return !_faults ? ChatCompletionsReply.Completion(lines) : number switch
        {
            2 => ChatCompletionsReply.Failure(429, "slow down", TimeSpan.Zero),
            3 => ChatCompletionsReply.Failure(500, "upstream error"),
            4 => ChatCompletionsReply.Completion("Sure! Here are the scores you asked for:\n```json\n" + lines + "\n```\nLet me know if you need more."),
            5 => ChatCompletionsReply.Completion(lines[..(lines.Length / 3)], finishReason: "length"),
            6 => ChatCompletionsReply.Completion(string.Join('\n', lines.Split('\n').SkipLast(3))),
            _ => ChatCompletionsReply.Completion(lines),
        };
    }

    private static DateOnly NextWeekday(DateOnly date)
    {
        do
        {
            date = date.AddDays(1);
        }
        while (date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday);
        return date;
    }

    private static string Report(int days, YearResult clean, YearResult faulty)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"soak: {days} announcement days, one process per day (re-run up to 3 times on failure)");
        sb.AppendLine(CultureInfo.InvariantCulture, $"digests written: {faulty.Written} (fault-free: {clean.Written}); no new announcement: {faulty.NoNew}; days failed after 3 runs: {faulty.Failed}; processes: {faulty.Attempts}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"papers scanned: {faulty.Fetched}; unscored with a reason: {faulty.Unscored}; papers lost: {faulty.PapersLost}; silent empty digests: {faulty.SilentEmpty}; integrity failures: {faulty.IntegrityFailures}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"model calls: {faulty.ModelCalls} with faults vs {clean.ModelCalls} fault-free ({(clean.ModelCalls == 0 ? 0 : 100.0 * (faulty.ModelCalls - clean.ModelCalls) / clean.ModelCalls):+0.0;-0.0}%)");
        sb.Append(faulty.Log);
        return sb.ToString();
    }

    private enum DayKind
    {
        Normal,
        Holiday,
        Stale,
    }

    private sealed class YearResult
    {
        public int Written { get; set; }

        public int NoNew { get; set; }

        public int Failed { get; set; }

        public int Attempts { get; set; }

        public int Fetched { get; set; }

        public int Unscored { get; set; }

        public int PapersLost { get; set; }

        public int SilentEmpty { get; set; }

        public int IntegrityFailures { get; set; }

        public int ModelCalls { get; set; }

        public StringBuilder Log { get; } = new();
    }
}
