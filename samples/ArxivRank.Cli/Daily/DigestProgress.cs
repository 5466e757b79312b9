using System.Globalization;
using ArxivRank.Pipeline;
using Spectre.Console;

namespace ArxivRank.Cli.Daily;

/// <summary>Plain progress lines on stderr (redirected output, cron, tests): one when a stage starts, then scoring every 25%.</summary>
internal sealed class PlainProgress(TextWriter error) : IProgress<PipelineProgress>
{
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
