using System.Diagnostics.Metrics;

namespace ArxivRank.TestUtilities.Pipeline;

/// <summary>An <see cref="IProgress{T}"/> that records every report synchronously (unlike <see cref="Progress{T}"/>, which posts).</summary>
public sealed class RecordingProgress<T> : IProgress<T>
{
    private readonly List<T> _reports = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<T> Reports
    {
        get
        {
            lock (_gate)
            {
                return [.. _reports];
            }
        }
    }

    public void Report(T value)
    {
        lock (_gate)
        {
            _reports.Add(value);
        }
    }
}

/// <summary>An <see cref="IMeterFactory"/> whose meters a test can listen to in isolation from other tests.</summary>
public sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public IReadOnlyList<Meter> Meters => _meters;

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options.Name, options.Version, options.Tags, scope: this);
        _meters.Add(meter);
        return meter;
    }

    public void Dispose()
    {
        foreach (var meter in _meters)
        {
            meter.Dispose();
        }
    }
}

/// <summary>Records the measurements of the instruments of one <see cref="IMeterFactory"/>'s meters.</summary>
public sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<(string Instrument, double Value, KeyValuePair<string, object?>[] Tags)> _measurements = [];
    private readonly Lock _gate = new();

    public MetricRecorder(IMeterFactory factory)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, v, tags));
        _listener.Start();
    }

    /// <summary>Sums the measurements of an instrument, optionally only those with a tag of the given value.</summary>
    public double Sum(string instrument, string? tag = null, object? value = null)
    {
        lock (_gate)
        {
            return _measurements
                .Where(m => m.Instrument == instrument && (tag is null || m.Tags.Any(t => t.Key == tag && Equals(t.Value, value))))
                .Sum(m => m.Value);
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        lock (_gate)
        {
            _measurements.Add((instrument.Name, value, tags.ToArray()));
        }
    }
}
