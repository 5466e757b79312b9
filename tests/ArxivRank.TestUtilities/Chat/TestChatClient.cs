using System.Collections.Concurrent;
using Microsoft.Extensions.AI;

namespace ArxivRank.TestUtilities.Chat;

/// <summary>One call a <see cref="TestChatClient"/> received.</summary>
/// <param name="Messages">The messages, as sent.</param>
/// <param name="Options">The options, as sent.</param>
public sealed record TestChatCall(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)
{
    /// <summary>Gets the text of the last message (the papers, in ArxivRank's prompts).</summary>
    public string LastText => Messages.Count == 0 ? string.Empty : Messages[^1].Text;

    /// <summary>Gets the paper ids in the last message.</summary>
    public IReadOnlyList<string> PaperIds => FakeScoringModel.PaperIds(Messages);
}

/// <summary>
/// A hand-written <see cref="IChatClient"/> whose behaviour each test sets through callbacks, in the style of
/// Microsoft.Extensions.AI's own tests. Records every call. Thread-safe as long as the callbacks are.
/// </summary>
public sealed class TestChatClient : IChatClient
{
    private readonly ConcurrentQueue<TestChatCall> _calls = new();
    private int _inFlight;
    private int _maxInFlight;

    /// <summary>Gets or sets what <see cref="GetResponseAsync"/> does.</summary>
    public Func<IEnumerable<ChatMessage>, ChatOptions?, CancellationToken, Task<ChatResponse>>? GetResponseAsyncCallback { get; set; }

    /// <summary>Gets or sets what <see cref="GetStreamingResponseAsync"/> does.</summary>
    public Func<IEnumerable<ChatMessage>, ChatOptions?, CancellationToken, IAsyncEnumerable<ChatResponseUpdate>>? GetStreamingResponseAsyncCallback { get; set; }

    /// <summary>Gets or sets what <see cref="GetService"/> returns for a type other than <see cref="ChatClientMetadata"/> and this class.</summary>
    public Func<Type, object?, object?> GetServiceCallback { get; set; } = (_, _) => null;

    /// <summary>Gets or sets the metadata returned by <see cref="GetService"/> (the default model id).</summary>
    public ChatClientMetadata? Metadata { get; set; }

    /// <summary>Gets the calls received, in order of arrival.</summary>
    public IReadOnlyList<TestChatCall> Calls => [.. _calls];

    /// <summary>Gets the number of calls received.</summary>
    public int CallCount => _calls.Count;

    /// <summary>Gets the highest number of calls that were in flight at once.</summary>
    public int MaxConcurrentCalls => Volatile.Read(ref _maxInFlight);

    /// <summary>Gets a value indicating whether <see cref="Dispose"/> was called.</summary>
    public bool IsDisposed { get; private set; }

    /// <inheritdoc/>
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        _calls.Enqueue(new TestChatCall(list, options));
        var callback = GetResponseAsyncCallback ?? throw new InvalidOperationException("TestChatClient.GetResponseAsyncCallback is not set.");
        int now = Interlocked.Increment(ref _inFlight);
        int max;
        while (now > (max = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, max) != max)
        {
        }

        try
        {
            return await callback(list, options, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        _calls.Enqueue(new TestChatCall(list, options));
        var callback = GetStreamingResponseAsyncCallback ?? throw new InvalidOperationException("TestChatClient.GetStreamingResponseAsyncCallback is not set.");
        return callback(list, options, cancellationToken);
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is null && serviceType == typeof(ChatClientMetadata))
        {
            return Metadata;
        }

        if (serviceKey is null && serviceType.IsInstanceOfType(this))
        {
            return this;
        }

        return GetServiceCallback(serviceType, serviceKey);
    }

    /// <inheritdoc/>
    public void Dispose() => IsDisposed = true;
}
