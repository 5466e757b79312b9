using System.Globalization;
using ArxivRank.Pipeline;
using Spectre.Console;

namespace ArxivRank.Cli.Daily;

/// <summary>Plain progress lines on stderr (redirected output, cron, tests): one when a stage starts, then scoring every 25%.</summary>
/// <param name="error">Where the lines go.</param>
/// <param name="pauseAtStage">
/// For the crash tests only (environment variable <c>ARXIVRANK_TEST_PAUSE_AT</c>): the stage (render, store) at whose
/// start the run stops forever, so a test can kill the process at a known point instead of by timing luck.
/// </param>
internal sealed class PlainProgress(TextWriter error, string? pauseAtStage = null) : IProgress<PipelineProgress>
{
    internal const string PauseVariable = "ARXIVRANK_TEST_PAUSE_AT";

    private readonly Lock _lock = new();
    private PipelineStage? _stage;
    private int _lastQuarter;

    public void Report(PipelineProgress value)
    {
        lock (_lock)
        {
            if (_stage != value.Stage)
            {
                _stage = value.Stage;
                _lastQuarter = 0;
                error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"digest: {value.StageName}…{(value.Total > 0 ? $" ({value.Total} papers)" : string.Empty)}"));
                if (string.Equals(pauseAtStage, value.StageName, StringComparison.OrdinalIgnoreCase))
                {
                    error.WriteLine($"digest: paused at {value.StageName} ({PauseVariable})");
                    error.Flush();
                    Thread.Sleep(Timeout.Infinite);
                }

                return;
            }

            if (value.Stage == PipelineStage.Score && value.Total > 0)
            {
                int quarter = value.Completed * 4 / value.Total;
                if (quarter > _lastQuarter && quarter < 4)
                {
                    _lastQuarter = quarter;
                    error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"digest: score {value.Completed}/{value.Total}"));
                }
            }
        }
    }
}

/// <summary>Spectre.Console progress bars, one per stage, on an interactive terminal (stderr).</summary>
internal sealed class SpectreProgress(ProgressContext context) : IProgress<PipelineProgress>
{
    private readonly Lock _lock = new();
    private readonly Dictionary<PipelineStage, ProgressTask> _tasks = [];

    public void Report(PipelineProgress value)
    {
        lock (_lock)
        {
            if (!_tasks.TryGetValue(value.Stage, out var task))
            {
                foreach (var previous in _tasks.Values)
                {
                    previous.Value = previous.MaxValue;
                    previous.StopTask();
                }

                task = context.AddTask(value.StageName, autoStart: true, maxValue: Math.Max(1, value.Total));
                _tasks[value.Stage] = task;
            }

            task.MaxValue = Math.Max(1, value.Total);
            task.Value = Math.Min(task.MaxValue, value.Completed);
        }
    }

    public void Complete()
    {
        lock (_lock)
        {
            foreach (var task in _tasks.Values)
            {
                task.Value = task.MaxValue;
                task.StopTask();
            }
        }
    }
}
