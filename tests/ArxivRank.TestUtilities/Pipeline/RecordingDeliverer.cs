using System.Collections.Concurrent;
using ArxivRank.Delivery;

namespace ArxivRank.TestUtilities.Pipeline;

/// <summary>A deliverer that records each request and answers through <see cref="DeliverAsyncCallback"/> (default: delivered in one part).</summary>
public sealed class RecordingDeliverer(string kind = "test", params string[] targets) : IDigestDeliverer
{
    private readonly ConcurrentQueue<DeliveryRequest> _requests = new();

    public string Kind { get; } = kind;

    public IReadOnlyList<string> Targets { get; } = targets.Length == 0 ? ["target-1"] : targets;

    /// <summary>Gets or sets how a request is answered.</summary>
    public Func<DeliveryRequest, DeliveryOutcome>? DeliverAsyncCallback { get; set; }

    /// <summary>Gets the requests received, in order.</summary>
    public IReadOnlyList<DeliveryRequest> Requests => [.. _requests];

    public Task<DeliveryOutcome> DeliverAsync(DeliveryRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        _requests.Enqueue(request);
        return Task.FromResult(DeliverAsyncCallback?.Invoke(request) ?? DeliveryOutcome.Delivered(Kind, request.Target, 1, "ref-" + _requests.Count));
    }
}
