using Microsoft.Extensions.AI;

namespace ArxivRank.Scoring;

/// <summary>
/// A provider's batch endpoint for chat requests: upload many requests as one file, let the provider run them within a
/// completion window at a lower price, and collect the answers later. The steps are separate calls so a caller can
/// persist each id as soon as it has it and resume after a crash. <c>ArxivRank.OpenAI</c> implements it for any
/// OpenAI-compatible <c>/v1/files</c> + <c>/v1/batches</c> endpoint over plain HTTP.
/// </summary>
public interface IChatBatchClient
{
    /// <summary>Uploads the requests as one batch input file.</summary>
    /// <param name="requests">The requests; their <see cref="ChatBatchRequest.CustomId"/> values must be unique.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>The provider's id of the uploaded file.</returns>
    /// <exception cref="ChatBatchException">The provider refused the file or could not be reached.</exception>
    Task<string> UploadAsync(IReadOnlyList<ChatBatchRequest> requests, CancellationToken cancellationToken = default);

    /// <summary>Creates a batch over an uploaded file, with a 24-hour completion window.</summary>
    /// <param name="inputFileId">The id <see cref="UploadAsync"/> returned.</param>
    /// <param name="metadata">Short key/value pairs kept with the batch (at most 16; keys up to 64, values up to 512 characters), used to find it again.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The created batch.</returns>
    /// <exception cref="ChatBatchException">The provider refused the batch or could not be reached.</exception>
    Task<ChatBatchJob> CreateAsync(string inputFileId, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken = default);

    /// <summary>Reads a batch's current state.</summary>
    /// <param name="batchId">The batch id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The batch.</returns>
    /// <exception cref="ChatBatchException">The provider does not know the batch or could not be reached.</exception>
    Task<ChatBatchJob> GetAsync(string batchId, CancellationToken cancellationToken = default);

    /// <summary>Lists the account's batches, newest first (to find a batch whose id was lost, by its metadata).</summary>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The batches, page by page.</returns>
    /// <exception cref="ChatBatchException">The provider could not be reached.</exception>
    IAsyncEnumerable<ChatBatchJob> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Reads an output or error file, one result per line, as it streams in.</summary>
    /// <param name="fileId">The <see cref="ChatBatchJob.OutputFileId"/> or <see cref="ChatBatchJob.ErrorFileId"/>.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns>The results; a line that cannot be read is returned as a result with an <see cref="ChatBatchResult.Error"/>.</returns>
    /// <exception cref="ChatBatchException">The file cannot be downloaded.</exception>
    IAsyncEnumerable<ChatBatchResult> ReadResultsAsync(string fileId, CancellationToken cancellationToken = default);
}

/// <summary>One chat request of a batch.</summary>
/// <param name="CustomId">The caller's key of the request, returned with its result.</param>
/// <param name="Messages">The messages, as for <see cref="IChatClient.GetResponseAsync"/>.</param>
/// <param name="Options">The model, token limit, temperature and response format.</param>
public sealed record ChatBatchRequest(string CustomId, IReadOnlyList<ChatMessage> Messages, ChatOptions? Options);

/// <summary>The result of one request of a batch: the response, or why there is none.</summary>
/// <param name="CustomId">The request's key (<see langword="null"/> when the line did not say).</param>
/// <param name="Response">The response (text, finish reason, usage, model) when the request succeeded.</param>
/// <param name="Error">Why the request failed, for a person, when it did.</param>
public sealed record ChatBatchResult(string? CustomId, ChatResponse? Response, string? Error);

/// <summary>The state of a batch, as the provider reports it.</summary>
public enum ChatBatchStatus
{
    /// <summary>The input file is being validated.</summary>
    Validating,

    /// <summary>The input file failed validation, or the batch failed as a whole.</summary>
    Failed,

    /// <summary>The requests are being run.</summary>
    InProgress,

    /// <summary>The requests ran; the result files are being prepared.</summary>
    Finalizing,

    /// <summary>Done: the output and error files are ready.</summary>
    Completed,

    /// <summary>The completion window passed; the requests that ran are in the output file.</summary>
    Expired,

    /// <summary>Being cancelled.</summary>
    Cancelling,

    /// <summary>Cancelled; the requests that ran are in the output file.</summary>
    Cancelled,
}

/// <summary>A batch at the provider.</summary>
public sealed record ChatBatchJob
{
    /// <summary>Gets the provider's batch id.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the state.</summary>
    public required ChatBatchStatus Status { get; init; }

    /// <summary>Gets the id of the input file.</summary>
    public string? InputFileId { get; init; }

    /// <summary>Gets the id of the file of answers, once there is one.</summary>
    public string? OutputFileId { get; init; }

    /// <summary>Gets the id of the file of failed requests, once there is one.</summary>
    public string? ErrorFileId { get; init; }

    /// <summary>Gets the metadata given at creation.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the number of requests in the batch.</summary>
    public int TotalRequests { get; init; }

    /// <summary>Gets the number of requests that completed.</summary>
    public int CompletedRequests { get; init; }

    /// <summary>Gets the number of requests that failed.</summary>
    public int FailedRequests { get; init; }

    /// <summary>Gets the provider's explanation of a failed batch (validation errors), when it gave one.</summary>
    public string? Errors { get; init; }

    /// <summary>Gets a value indicating whether the batch will not change any more (completed, failed, expired or cancelled).</summary>
    public bool IsFinished => Status is ChatBatchStatus.Completed or ChatBatchStatus.Failed or ChatBatchStatus.Expired or ChatBatchStatus.Cancelled;
}

/// <summary>A call to a batch endpoint failed (the request was refused, the provider could not be reached, or its answer was unusable).</summary>
public class ChatBatchException : ArxivRankException
{
    /// <summary>Initializes a new instance of the <see cref="ChatBatchException"/> class.</summary>
    public ChatBatchException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ChatBatchException"/> class.</summary>
    /// <param name="message">What failed and what to do.</param>
    public ChatBatchException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ChatBatchException"/> class.</summary>
    /// <param name="message">What failed and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public ChatBatchException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the HTTP status of the refused call, when there was one.</summary>
    public int? StatusCode { get; init; }
}

/// <summary>
/// A batch was submitted but had not finished when <see cref="BatchApiOptions.MaxWait"/> ran out. Nothing is lost: the
/// batch ids are in the <see cref="Pipeline.IBatchJobStore"/>, and the next run with the same store collects the answers
/// instead of asking again. Hosts report it as "batch pending" (the CLI exits with code 5).
/// </summary>
public class BatchPendingException : ScoringException
{
    /// <summary>Initializes a new instance of the <see cref="BatchPendingException"/> class.</summary>
    public BatchPendingException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="BatchPendingException"/> class.</summary>
    /// <param name="message">What is pending and what to do.</param>
    public BatchPendingException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="BatchPendingException"/> class.</summary>
    /// <param name="message">What is pending and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public BatchPendingException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the ids of the batches still running.</summary>
    public IReadOnlyList<string> BatchIds { get; init; } = [];

    /// <summary>Gets the number of papers whose answers are still pending.</summary>
    public int PendingPapers { get; init; }
}
