using System.Globalization;
using ArxivRank.TestUtilities;

namespace ArxivRank.Cluster.Benchmarks;

/// <summary>The command line: <c>--readers 1000 --scorer lexical</c> and the rest (see <see cref="Usage"/>).</summary>
internal sealed record BenchmarkOptions
{
    public const string Usage = """
        Measures one ArxivRank service node making one announcement day's digests for many readers (docs/scaling.md).

        dotnet run -c Release --project benchmarks/ArxivRank.Cluster.Benchmarks -- [options]

          --scorer lexical|learned|llm   the readers' scorer (default lexical)
          --readers N                    readers on the node (default 1000)
          --criteria K                   distinct criteria among them, reader i has criteria i mod K (default 10)
          --day YYYY-MM-DD               the labeled day served as the announcement (default 2025-07-08, 646 papers)
          --model-delay-ms MS            the loopback model's latency per request, llm only (default 200)
          --concurrency N                Service:MaxConcurrentRuns, digests the node makes at once (default 4, as the service)
          --baseline-readers N           readers run through the single-reader path first (default 40; llm: K)
          --redis HOST:PORT              Orleans clustering and reminders on this Redis, as the service does
                                         (default: Orleans' localhost clustering and in-memory reminders)
          --postgres CONNECTION          a PostgreSQL server whose user may create databases (default: the
                                         ARXIVRANK_TEST_POSTGRES variable, else Host=127.0.0.1;Username=postgres;Password=arxivrank);
                                         a database is created for the run and dropped after it

        Needs a running PostgreSQL (and the Redis given by --redis); arXiv and the model are loopback doubles.
        """;

    public string Scorer { get; init; } = "lexical";

    public int Readers { get; init; } = 1000;

    public int Criteria { get; init; } = 10;

    public DateOnly Day { get; init; } = new(2025, 7, 8);

    public TimeSpan ModelDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    public int Concurrency { get; init; } = 4;

    public int? BaselineReaders { get; init; }

    public string? Redis { get; init; }

    public string? Postgres { get; init; }

    public int BaselineCount => BaselineReaders ?? (Scorer == "llm" ? Criteria : Math.Min(40, Readers));

    /// <summary>Parses the arguments; <see langword="null"/> with an error message when they are wrong.</summary>
    public static (BenchmarkOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        var options = new BenchmarkOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            if (name is "-h" or "--help")
            {
                return (null, null);
            }

            if (i + 1 >= args.Count)
            {
                return (null, $"{name} needs a value.");
            }

            string value = args[++i];
            bool ok = true;
            switch (name)
            {
                case "--scorer":
                    ok = value is "lexical" or "learned" or "llm";
                    options = options with { Scorer = value };
                    break;
                case "--readers":
                    ok = Positive(value, out int readers);
                    options = options with { Readers = readers };
                    break;
                case "--criteria":
                    ok = Positive(value, out int criteria);
                    options = options with { Criteria = criteria };
                    break;
                case "--day":
                    ok = DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) && LabeledDays.Days.Contains(day);
                    options = options with { Day = day };
                    break;
                case "--model-delay-ms":
                    ok = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int delay);
                    options = options with { ModelDelay = TimeSpan.FromMilliseconds(delay) };
                    break;
                case "--concurrency":
                    ok = Positive(value, out int concurrency);
                    options = options with { Concurrency = concurrency };
                    break;
                case "--baseline-readers":
                    ok = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int baseline);
                    options = options with { BaselineReaders = baseline };
                    break;
                case "--redis":
                    options = options with { Redis = value };
                    break;
                case "--postgres":
                    options = options with { Postgres = value };
                    break;
                default:
                    return (null, $"Unknown option {name}.");
            }

            if (!ok)
            {
                return (null, name == "--day"
                    ? $"--day must be one of the labeled days: {string.Join(", ", LabeledDays.Days.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))}."
                    : $"{name} '{value}' is not valid.");
            }
        }

        return options.Criteria > options.Readers ? (null, "--criteria may not exceed --readers.") : (options, null);
    }

    private static bool Positive(string text, out int value) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0;
}
