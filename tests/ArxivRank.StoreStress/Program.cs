// One of several writer processes that hit one PostgreSQL database at once (the store's concurrency test).
// Usage: ArxivRank.StoreStress <connection string> <worker index> <rounds>
// Every worker migrates the (fresh) database at start, then each round, all at the same time as the other workers:
// writes the shared score cache (the same keys for every worker, in a shuffled order), records a day for its own reader
// and a day for the reader every worker shares, and records judged papers. Exit code 0 only when every write succeeded.
using System.Globalization;
using ArxivRank;
using ArxivRank.Pipeline;
using ArxivRank.PostgreSql;
using ArxivRank.Ranking;
using ArxivRank.Scoring;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: ArxivRank.StoreStress <connection string> <worker index> <rounds>");
    return 2;
}

string connectionString = args[0];
int worker = int.Parse(args[1], CultureInfo.InvariantCulture);
int rounds = int.Parse(args[2], CultureInfo.InvariantCulture);
var random = new Random(worker);

await using var database = new PostgreSqlArxivRankDatabase(connectionString);
await database.InitializeAsync();
var own = database.ForReader($"worker-{worker}");
var shared = database.ForReader("shared");
var first = new DateOnly(2025, 1, 1);

for (int round = 0; round < rounds; round++)
{
    var keys = Enumerable.Range(0, 200).Select(i => new ScoreCacheKey(ArxivId.Parse($"2501.{i:00000}v1"), "criteria", "model")).ToArray();
    random.Shuffle(keys);
    await database.SetManyAsync([.. keys.Select(k => new KeyValuePair<ScoreCacheKey, PaperScore>(k, new PaperScore { PaperId = k.PaperId, Relevance = 1 + (worker % 10), ScoredBy = $"worker-{worker}" }))]);

    var day = first.AddDays(round);
    var ids = Enumerable.Range(0, 50).Select(i => ArxivId.Parse($"2501.{(round * 50) + i:00000}")).ToArray();
    await own.MarkProcessedAsync(new DigestRecord { Date = day, SeenPaperIds = ids, TotalPapers = 50, SelectedPapers = 5, ProcessedAt = DateTimeOffset.UtcNow });
    await shared.MarkProcessedAsync(new DigestRecord { Date = first.AddDays((worker * 1000) + round), SeenPaperIds = ids, TotalPapers = 50, ProcessedAt = DateTimeOffset.UtcNow });
    await shared.RecordJudgmentsAsync([.. ids.Select(id => new JudgedPaper(new Paper { Id = id, Title = $"Paper {id}", Abstract = "An abstract." }, day, worker, null, false, $"worker-{worker}"))]);
}

Console.WriteLine($"worker {worker}: {rounds} rounds written");
return 0;
