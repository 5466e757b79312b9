using System.Globalization;
using ArxivRank.Pipeline;
using ArxivRank.Rendering;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArxivRank.Delivery;

/// <summary>
/// Delivers a day's digest through every configured deliverer, exactly once per target: a target with a delivered
/// record is skipped, a failed one is retried from where it stopped, and every outcome is recorded in the store.
/// </summary>
/// <remarks>The pipeline's deliver stage uses it after the day is stored; <c>arxivrank deliver</c> uses it to send a stored day again.</remarks>
public sealed class DigestDelivery
{
    private readonly IReadOnlyList<IDigestDeliverer> _deliverers;
    private readonly IDeliveryStore? _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="DigestDelivery"/> class.</summary>
    /// <param name="deliverers">The deliverers, in the order to use them.</param>
    /// <param name="store">Where delivery records are kept; <see langword="null"/> for none (every call then delivers).</param>
    /// <param name="timeProvider">The clock of the records (default: <see cref="TimeProvider.System"/>).</param>
    /// <param name="logger">Receives one line per outcome; may be <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="deliverers"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A deliverer is <see langword="null"/>, or two deliverers share a kind and a target.</exception>
    public DigestDelivery(IEnumerable<IDigestDeliverer> deliverers, IDeliveryStore? store = null, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(deliverers);
        _deliverers = [.. deliverers.Select(d => d ?? throw new ArgumentException("The deliverers contain null.", nameof(deliverers)))];
        var duplicate = _deliverers.SelectMany(d => d.Targets.Select(t => (d.Kind, Target: t))).GroupBy(k => k).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"The target '{duplicate.Key.Target}' of '{duplicate.Key.Kind}' is configured twice.", nameof(deliverers));
        }

        _store = store;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Gets the deliverers.</summary>
    public IReadOnlyList<IDigestDeliverer> Deliverers => _deliverers;

    /// <summary>Lists the targets that do not have a day's digest yet (no record, or a failed one).</summary>
    /// <param name="day">The announcement day.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The pending targets as <c>kind:target</c>; empty when every target has the digest.</returns>
    /// <exception cref="DigestStoreException">The store cannot be read.</exception>
    public async Task<IReadOnlyList<string>> GetPendingAsync(DateOnly day, CancellationToken cancellationToken = default)
    {
        var records = _store is null ? [] : await _store.GetDeliveriesAsync(day, cancellationToken).ConfigureAwait(false);
        return
        [
            .. _deliverers.SelectMany(d => d.Targets.Where(t => Find(records, d.Kind, t)?.Status != DeliveryStatus.Delivered).Select(t => d.Kind + ":" + t)),
        ];
    }

    /// <summary>Delivers a digest to every target that does not have it yet (or to every target, with <paramref name="resend"/>).</summary>
    /// <param name="digest">The digest.</param>
    /// <param name="resend">Send again on purpose, even to targets that have it.</param>
    /// <param name="cancellationToken">Cancels the delivery; outcomes recorded before it stay.</param>
    /// <returns>One outcome per target.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="digest"/> is <see langword="null"/>.</exception>
    /// <exception cref="DigestStoreException">The store cannot be read or written.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public async Task<DeliveryReport> DeliverAsync(Digest digest, bool resend = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(digest);
        var records = _store is null ? [] : await _store.GetDeliveriesAsync(digest.Date, cancellationToken).ConfigureAwait(false);
        var outcomes = new List<DeliveryOutcome>();
        string day = digest.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        foreach (var deliverer in _deliverers)
        {
            foreach (string target in deliverer.Targets)
            {
                var record = Find(records, deliverer.Kind, target);
                if (!resend && record is { Status: DeliveryStatus.Delivered })
                {
                    outcomes.Add(new DeliveryOutcome { Kind = deliverer.Kind, Target = target, Status = DeliveryStatus.AlreadyDelivered, PartsDelivered = record.PartsDelivered, Reference = record.Reference });
                    Log.DeliverySkipped(_logger, deliverer.Kind, target, day);
                    continue;
                }

                var request = new DeliveryRequest
                {
                    Digest = digest,
                    Target = target,
                    Resend = resend,
                    PartsAlreadyDelivered = !resend && record is { Status: DeliveryStatus.Failed } ? record.PartsDelivered : 0,
                };
                DeliveryOutcome outcome;
                try
                {
                    outcome = await deliverer.DeliverAsync(request, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception ex)
                {
                    // A deliverer's bug or an unexpected error must not lose the digest or crash the run: record it as a failure.
                    outcome = DeliveryOutcome.Failed(deliverer.Kind, target, $"{ex.GetType().Name}: {ex.Message}");
                }

                outcomes.Add(outcome);
                if (outcome.Succeeded)
                {
                    Log.Delivered(_logger, deliverer.Kind, target, day, outcome.PartsDelivered, outcome.Status == DeliveryStatus.AlreadyDelivered);
                }
                else
                {
                    Log.DeliveryFailed(_logger, deliverer.Kind, target, day, outcome.Error ?? "unknown error");
                }

                if (_store is not null)
                {
                    await _store.RecordDeliveryAsync(
                        new DeliveryRecord
                        {
                            Date = digest.Date,
                            Kind = deliverer.Kind,
                            Target = target,
                            Status = outcome.Succeeded ? DeliveryStatus.Delivered : DeliveryStatus.Failed,
                            PartsDelivered = outcome.PartsDelivered,
                            Reference = outcome.Reference ?? record?.Reference,
                            Error = outcome.Error,
                            Attempts = (record?.Attempts ?? 0) + 1,
                            RecordedAt = _time.GetUtcNow(),
                        },
                        CancellationToken.None).ConfigureAwait(false); // an acknowledged delivery is recorded even when the run is being canceled
                }
            }
        }

        return new DeliveryReport(outcomes);
    }

    private static DeliveryRecord? Find(IReadOnlyList<DeliveryRecord> records, string kind, string target)
        => records.FirstOrDefault(r => r.Kind == kind && r.Target == target);
}

/// <summary>The outcomes of delivering one day's digest, one per target.</summary>
/// <param name="Outcomes">The outcomes, in the order of the deliverers and their targets.</param>
public sealed record DeliveryReport(IReadOnlyList<DeliveryOutcome> Outcomes)
{
    /// <summary>Gets a value indicating whether every target has the digest.</summary>
    public bool Succeeded => Outcomes.All(o => o.Succeeded);

    /// <summary>Gets the failed deliveries.</summary>
    public IReadOnlyList<DeliveryOutcome> Failures => [.. Outcomes.Where(o => !o.Succeeded)];

    /// <summary>Gets the number of targets that received the digest in this call.</summary>
    public int Delivered => Outcomes.Count(o => o.Status == DeliveryStatus.Delivered);
}
