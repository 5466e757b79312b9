using System.Diagnostics;
using System.Globalization;
using ArxivRank.Cluster.Benchmarks;
using ArxivRank.TestUtilities.PostgreSql;
using StackExchange.Redis;

// A measurement console app, not a timed test: it prints a table of one node making one day's digests (docs/scaling.md).
var (options, error) = BenchmarkOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(error is null ? BenchmarkOptions.Usage : $"{error}\n\n{BenchmarkOptions.Usage}");
    return error is null ? 0 : 2;
}

if (options.Postgres is not null)
{
    Environment.SetEnvironmentVariable("ARXIVRANK_TEST_POSTGRES", options.Postgres);
}

try
{
    return await RunAsync(options);
}
catch (InvalidOperationException ex) when (ex.InnerException is Npgsql.NpgsqlException or RedisException)
{
    Console.Error.WriteLine($"cluster benchmark: {ex.Message}");
    return 1;
}

static async Task<int> RunAsync(BenchmarkOptions options)
{
    if (options.Redis is { } redis)
    {
        await EnsureRedisAsync(redis);
    }

    Console.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} cores; load average {LoadAverage()}; .NET {Environment.Version}; server GC {System.Runtime.GCSettings.IsServerGC}");
    await using var world = await BenchWorld.StartAsync(options);
    Console.WriteLine($"day {options.Day:yyyy-MM-dd}: {world.Papers} papers (labeled day); {options.Readers} readers, {options.Criteria} distinct criteria; scorer {options.Scorer}"
        + (options.Scorer == "llm" ? $", model latency {options.ModelDelay.TotalMilliseconds:0} ms" : string.Empty)
        + (world.RankerPath is null ? string.Empty : $", one model for every reader trained on {world.TrainingPapers} labeled papers of the earlier days")
        + $"; clustering: {(options.Redis is null ? "Orleans localhost, in-memory reminders" : "Redis " + options.Redis)}");

    // The baseline: the single-reader path, without Orleans.
    var announcement = await SingleReaderBaseline.FetchAsync(world);
    var (memoryBaseline, expected) = await SingleReaderBaseline.RunAsync(world, announcement, options.BaselineCount, database: null);
    Measurement pgBaseline;
    await using (var baselineDatabase = await PostgreSqlTestDatabase.CreateAsync())
    {
        (pgBaseline, _) = await SingleReaderBaseline.RunAsync(world, announcement, options.BaselineCount, baselineDatabase);
    }

    // The node: readers PUT as the API does, then one day's run as POST /runs starts it.
    await using var database = await PostgreSqlTestDatabase.CreateAsync();
    var sample = Enumerable.Range(0, Math.Min(options.Readers, 2 * options.Criteria)).Select(i => world.Reader(i)).ToList();
    var run = await ClusterNodeMeasurement.RunAsync(world, database, options.Redis, [.. sample.Select(r => r.Id)]);

    Report(options, world, memoryBaseline, pgBaseline, run);
    int wrong = sample.Count(r => expected.TryGetValue(r.Criteria, out var ids) && !(run.Selections[r.Id]?.SequenceEqual(ids) ?? false));
    Console.WriteLine($"check: {sample.Count - wrong} of {sample.Count} sampled readers' digests equal the single-reader path's selection for their criteria; {run.Done} done, {run.Failed} failed; arXiv RSS requests {run.FeedFetches} (one fetch = one feed per category: {BenchWorld.Categories.Length})");
    return wrong == 0 && run.Failed == 0 ? 0 : 1;
}

static void Report(BenchmarkOptions options, BenchWorld world, Measurement memoryBaseline, Measurement pgBaseline, NodeRun run)
{
    Console.WriteLine();
    Console.WriteLine("| path | readers | wall | readers/min | CPU ms/reader (this process) | model calls |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|");
    foreach (var m in new[] { memoryBaseline, pgBaseline, run.Digests, run.Put })
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {m.Path} | {m.Readers:N0} | {m.Elapsed.TotalSeconds:0.0} s | {m.ReadersPerMinute:N0} | {m.CpuMsPerReader:0.0} | {m.ModelCalls:N0} |"));
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| node: {run.Fetch.Path}, before the digests | | {run.Fetch.Elapsed.TotalSeconds:0.0} s | | | |"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"\nPostgreSQL per reader (the run's database): single-reader path {pgBaseline.PostgresTransactionsPerReader:0.0} transactions, {pgBaseline.PostgresCpuMsPerReader:0.0} ms server CPU; node {run.Digests.PostgresTransactionsPerReader:0.0} transactions, {run.Digests.PostgresCpuMsPerReader:0.0} ms server CPU"));
    if (options.Scorer == "llm")
    {
        double oneReader = (double)memoryBaseline.ModelCalls / memoryBaseline.Readers;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"\nmodel calls: the node made {run.Digests.ModelCalls:N0} for {run.Digests.Readers:N0} readers = {run.Digests.ModelCalls / oneReader:0.0} × one reader's {oneReader:0.#} (distinct criteria: {options.Criteria}); without shared scores {run.Digests.Readers * oneReader:N0}"));
    }

    long n = run.Digests.Readers;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""

        | memory (this process) | managed heap | working set |
        |---|---:|---:|
        | node ready, no reader | {Mb(run.Empty.Heap)} | {Mb(run.Empty.WorkingSet)} |
        | {n:N0} readers PUT: {n:N0} reader grains activated, reminders armed | {Mb(run.BeforeRun.Heap)} | {Mb(run.BeforeRun.WorkingSet)} |
        | after the day's run ({run.ReaderActivations:N0} reader grains activated) | {Mb(run.AfterRun.Heap)} | {Mb(run.AfterRun.WorkingSet)} |
        | after deactivating idle grains ({run.ReaderActivationsLeft:N0} reader grains left) | {Mb(run.AfterDeactivation.Heap)} | {Mb(run.AfterDeactivation.WorkingSet)} |
        | **per activated reader** ((PUT − ready) ÷ {n:N0}) | **{Kb((run.BeforeRun.Heap - run.Empty.Heap) / (double)n)}** | **{Kb((run.BeforeRun.WorkingSet - run.Empty.WorkingSet) / (double)n)}** |
        | per reader after its run ((after the run − PUT) ÷ {n:N0}; includes the run path's one-time warm-up) | {Kb((run.AfterRun.Heap - run.BeforeRun.Heap) / (double)n)} | {Kb((run.AfterRun.WorkingSet - run.BeforeRun.WorkingSet) / (double)n)} |
        | peak working set during the run | | {Mb(run.PeakWorkingSet)} |
        """));
    Console.WriteLine($"load average at the end: {LoadAverage()}");
}

static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:N1} MB");

static string Kb(double bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:N1} KB");

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

static async Task EnsureRedisAsync(string redis)
{
    try
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(ConfigurationOptions.Parse(redis));
        await connection.GetDatabase().PingAsync();
    }
    catch (RedisException ex)
    {
        throw new InvalidOperationException($"Redis is not reachable at '{redis}' ({ex.Message}). Start one: redis-server --port 6379 --save '' --appendonly no, or leave out --redis for Orleans' localhost clustering.", ex);
    }
}
