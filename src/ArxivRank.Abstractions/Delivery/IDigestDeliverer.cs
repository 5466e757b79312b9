using ArxivRank.Rendering;

namespace ArxivRank.Delivery;

/// <summary>
/// Sends a day's digest to readers: a Slack channel, an incoming webhook, email recipients, or anything else. One
/// deliverer serves one kind of channel and one or more targets (a Slack channel id, one email address each).
/// </summary>
/// <remarks>
/// <para>A deliverer reports failures as a <see cref="DeliveryOutcome"/> with <see cref="DeliveryStatus.Failed"/> and a
/// message that says what to do; it throws only for programming errors and <see cref="OperationCanceledException"/>.</para>
/// <para>The pipeline records each outcome per day × target, so a target that was acknowledged is not sent again
/// (exactly once); deliverers that can look at what they already sent (Slack's history) use it to finish an interrupted
/// delivery instead of starting over.</para>
/// </remarks>
public interface IDigestDeliverer
{
    /// <summary>Gets the kind of channel (<c>slack</c>, <c>slack-webhook</c>, <c>email</c>), as in the profile's <c>deliver</c> list.</summary>
    string Kind { get; }

    /// <summary>Gets the targets this deliverer sends to (a channel id, email addresses); each gets its own delivery record.</summary>
    IReadOnlyList<string> Targets { get; }

    /// <summary>Sends a digest to one target.</summary>
    /// <param name="request">The digest, the target, and what an earlier attempt already sent.</param>
    /// <param name="cancellationToken">Cancels the delivery.</param>
    /// <returns>Whether the provider acknowledged the delivery, or why not.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The request's target is not one of <see cref="Targets"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    Task<DeliveryOutcome> DeliverAsync(DeliveryRequest request, CancellationToken cancellationToken = default);
}

/// <summary>What <see cref="IDigestDeliverer.DeliverAsync"/> is asked to send.</summary>
public sealed record DeliveryRequest
{
    /// <summary>Gets the digest to send.</summary>
    public required Digest Digest { get; init; }

    /// <summary>Gets the target (one of the deliverer's <see cref="IDigestDeliverer.Targets"/>).</summary>
    public required string Target { get; init; }

    /// <summary>Gets how many parts (messages) an earlier, failed attempt already got acknowledged, so a deliverer that cannot look its messages up (an incoming webhook) continues after them.</summary>
    public int PartsAlreadyDelivered { get; init; }

    /// <summary>Gets a value indicating whether to send the digest again on purpose, even when the target already has it (no duplicate check).</summary>
    public bool Resend { get; init; }
}

/// <summary>How a delivery to one target ended.</summary>
public enum DeliveryStatus
{
    /// <summary>The provider acknowledged every part.</summary>
    Delivered = 0,

    /// <summary>Nothing was sent: the target already had the digest (a delivery record, or the message found in the channel).</summary>
    AlreadyDelivered,

    /// <summary>The delivery failed; <see cref="DeliveryOutcome.Error"/> says why and what to do.</summary>
    Failed,
}

/// <summary>The typed outcome of delivering a digest to one target.</summary>
public sealed record DeliveryOutcome
{
    /// <summary>Gets the kind of channel (<c>slack</c>, <c>slack-webhook</c>, <c>email</c>).</summary>
    public required string Kind { get; init; }

    /// <summary>Gets the target (a channel id, an email address).</summary>
    public required string Target { get; init; }

    /// <summary>Gets how the delivery ended.</summary>
    public required DeliveryStatus Status { get; init; }

    /// <summary>Gets how many parts (messages) the provider acknowledged so far, this attempt and earlier ones together.</summary>
    public int PartsDelivered { get; init; }

    /// <summary>Gets the provider's reference of the delivery (a Slack message <c>ts</c>, an email Message-ID), when it gave one.</summary>
    public string? Reference { get; init; }

    /// <summary>Gets, for a failure, what went wrong and what to do; <see langword="null"/> otherwise.</summary>
    public string? Error { get; init; }

    /// <summary>Gets a value indicating whether the target has the digest (<see cref="DeliveryStatus.Delivered"/> or <see cref="DeliveryStatus.AlreadyDelivered"/>).</summary>
    public bool Succeeded => Status != DeliveryStatus.Failed;

    /// <summary>Creates a successful outcome.</summary>
    /// <param name="kind">The kind of channel.</param>
    /// <param name="target">The target.</param>
    /// <param name="parts">The parts acknowledged.</param>
    /// <param name="reference">The provider's reference, if any.</param>
    /// <returns>The outcome.</returns>
    public static DeliveryOutcome Delivered(string kind, string target, int parts, string? reference = null)
        => new() { Kind = kind, Target = target, Status = DeliveryStatus.Delivered, PartsDelivered = parts, Reference = reference };

    /// <summary>Creates a failed outcome.</summary>
    /// <param name="kind">The kind of channel.</param>
    /// <param name="target">The target.</param>
    /// <param name="error">What went wrong and what to do.</param>
    /// <param name="partsDelivered">The parts acknowledged before the failure.</param>
    /// <param name="reference">The provider's reference of what was sent, if any.</param>
    /// <returns>The outcome.</returns>
    public static DeliveryOutcome Failed(string kind, string target, string error, int partsDelivered = 0, string? reference = null)
        => new() { Kind = kind, Target = target, Status = DeliveryStatus.Failed, Error = error, PartsDelivered = partsDelivered, Reference = reference };
}
