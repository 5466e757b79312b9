using ArxivRank.OpenAI;
using ArxivRank.Pipeline;
using ArxivRank.PostgreSql;
using ArxivRank.Profiles;
using ArxivRank.Rendering;
using ArxivRank.Sources;
using ArxivRank.TestUtilities.PostgreSql;

namespace ArxivRank.Cluster.Benchmarks;

/// <summary>
/// The baseline: the single-reader path (<see cref="ReaderPipelineFactory"/>, what <c>arxivrank digest</c> runs), one
/// reader after another in one process, without Orleans: with its own in-memory store (nothing shared), and with the
/// reader's view of the PostgreSQL store (what a node writes, without the cluster's leases, locks and messages).
/// </summary>
internal static class SingleReaderBaseline
{
    /// <summary>Fetches the day once through the real RSS source, as the cluster's fetch grain does.</summary>
    public static async Task<SourceResult> FetchAsync(BenchWorld world)
    {
        var source = ArxivSources.CreateRss(new ArxivSourceOptions { BaseUrl = world.Arxiv.BaseUrl });
        try
        {
            return await source.FetchAsync(new ArxivQuery { Categories = BenchWorld.Categories });
        }
        finally
        {
            (source as IDisposable)?.Dispose();
        }
    }

    /// <summary>Runs <paramref name="count"/> readers; returns the measurement and each criteria's selection (paper ids).</summary>
    public static async Task<(Measurement Result, Dictionary<int, IReadOnlyList<string>> Selections)> RunAsync(
        BenchWorld world, SourceResult announcement, int count, PostgreSqlTestDatabase? database = null)
    {
        // Warm-up (not timed; the node's 1,000 readers are warm too): readers with criteria no measured reader has, so
        // they share no score with them; one for the LLM scorer, whose model calls take a while.
        var (_, _, warmup) = world.Reader(0, BenchWorld.CriteriaText(world.Options.Criteria));
        for (int i = world.Options.Scorer == "llm" ? 1 : 5; i > 1; i--)
        {
            await RunOneAsync(world, world.MergedProfile(warmup), announcement, store: null);
        }

        await using var store = database is null ? null : new PostgreSqlArxivRankDatabase(database.ConnectionString);
        if (store is not null)
        {
            await store.InitializeAsync();
        }

        await RunOneAsync(world, world.MergedProfile(warmup), announcement, store?.ForReader("warmup"));

        var selections = new Dictionary<int, IReadOnlyList<string>>();
        long transactionsBefore = database is null ? 0 : await PostgresCpu.TransactionsAsync(database.ConnectionString, database.Name);
        var postgresBefore = database is null ? TimeSpan.Zero : PostgresCpu.Of(database.Name);
        var clock = new Stopwatches(world);
        for (int i = 0; i < count; i++)
        {
            var (id, criteria, json) = world.Reader(i);
            var ids = await RunOneAsync(world, world.MergedProfile(json), announcement, store?.ForReader("baseline-" + id));
            selections.TryAdd(criteria, ids);
        }

        string path = database is null ? "single-reader path, in-memory store" : "single-reader path, PostgreSQL store";
        var result = clock.Stop(path + ", one at a time", count);
        if (database is null)
        {
            return (result, selections);
        }

        var postgres = PostgresCpu.Of(database.Name) - postgresBefore;
        long transactions = await PostgresCpu.TransactionsAsync(database.ConnectionString, database.Name) - transactionsBefore;
        return (result with { PostgresCpuMsPerReader = postgres.TotalMilliseconds / count, PostgresTransactionsPerReader = transactions / (double)count }, selections);
    }

    private static async Task<IReadOnlyList<string>> RunOneAsync(BenchWorld world, ReaderProfile profile, SourceResult announcement, IDigestStore? store)
    {
        profile = profile.With(new ReaderProfile { Formats = ["json"] });
        using var chat = profile.Scorer == "llm" ? ReaderProfileChatClient.Create(profile) : null;
        using var reader = await ReaderPipelineFactory.CreateAsync(profile, new ReaderPipelineServices { Source = new FixedSource(announcement), ChatClient = chat, Store = store });
        var result = await reader.RunAsync(new MemoryDigestOutput());
        return result.Run.Digest is { } digest
            ? [.. digest.Papers.Select(p => p.Paper.Id.ToString())]
            : throw new InvalidOperationException($"The single-reader path made no digest ({result.Run.Status}).");
    }

    /// <summary>A source that answers with an announcement already fetched.</summary>
    private sealed class FixedSource(SourceResult announcement) : IArxivSource
    {
        public Task<SourceResult> FetchAsync(ArxivQuery query, CancellationToken cancellationToken = default) => Task.FromResult(announcement);
    }
}
