using System.Diagnostics;

namespace ArxivRank.Cluster.Benchmarks;

/// <summary>One row of the result table.</summary>
internal sealed record Measurement(string Path, int Readers, TimeSpan Elapsed, TimeSpan Cpu, int ModelCalls)
{
    public double PostgresCpuMsPerReader { get; init; }

    public double PostgresTransactionsPerReader { get; init; }

    public double ReadersPerMinute => Readers / Elapsed.TotalMinutes;

    public double CpuMsPerReader => Cpu.TotalMilliseconds / Readers;
}

/// <summary>Wall and CPU time of this process, and the model calls made, over a stretch of work.</summary>
internal sealed class Stopwatches(BenchWorld world)
{
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private readonly TimeSpan _cpu = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly int _calls = world.Chat.RequestCount;

    public Measurement Stop(string path, int readers)
        => new(path, readers, _wall.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - _cpu, world.Chat.RequestCount - _calls);
}

/// <summary>The managed heap (after a full, compacting collection) and the working set of this process.</summary>
internal readonly record struct MemorySnapshot(long Heap, long WorkingSet)
{
    public static MemorySnapshot Take()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        using var process = Process.GetCurrentProcess();
        return new MemorySnapshot(GC.GetTotalMemory(forceFullCollection: false), process.WorkingSet64);
    }
}
