using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ArxivRank.TestUtilities.Chat;

/// <summary>A batch the <see cref="ChatCompletionsServer"/> holds (its Batch API), as tests inspect it.</summary>
public sealed class ServerBatch
{
    internal ServerBatch(string id, string inputFileId, IReadOnlyDictionary<string, string> metadata, int index)
    {
        Id = id;
        InputFileId = inputFileId;
        Metadata = metadata;
        Index = index;
    }

    /// <summary>Gets the batch id.</summary>
    public string Id { get; }

    /// <summary>Gets the input file id.</summary>
    public string InputFileId { get; }

    /// <summary>Gets the metadata given at creation.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Gets the status (<c>validating</c>, <c>in_progress</c>, <c>completed</c>, <c>failed</c>, <c>expired</c>, <c>cancelled</c>).</summary>
    public string Status { get; internal set; } = "validating";

    /// <summary>Gets the number of times the batch was read.</summary>
    public int Polls { get; internal set; }

    /// <summary>Gets the custom ids of the input file.</summary>
    public IReadOnlyList<string> CustomIds { get; internal set; } = [];

    internal int Index { get; }

    internal string? OutputFileId { get; set; }

    internal string? ErrorFileId { get; set; }

    internal JsonArray? Errors { get; set; }

    /// <summary>Gets the number of lines that ran and succeeded.</summary>
    public int Completed { get; internal set; }

    internal int Failed { get; set; }
}

/// <summary>The server's OpenAI-compatible Batch API: <c>/v1/files</c> and <c>/v1/batches</c>.</summary>
public sealed partial class ChatCompletionsServer
{
    private readonly ConcurrentDictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ServerBatch> _batches = new(StringComparer.Ordinal);
    private int _fileCounter;
    private int _batchCounter;

    /// <summary>Gets or sets how many reads of a batch see it still running before it ends (the first read sees <c>validating</c>).</summary>
    public int BatchPollsUntilDone { get; set; } = 1;

    /// <summary>Gets or sets the status a batch ends with: <c>completed</c>, <c>expired</c> (the first half of its lines ran), <c>cancelled</c> (likewise) or <c>failed</c> (none ran).</summary>
    public string BatchFinalStatus { get; set; } = "completed";

    /// <summary>Gets or sets which lines fail (they go to the error file with HTTP 500); <see langword="null"/> for none.</summary>
    public Func<string, bool>? BatchLineFails { get; set; }

    /// <summary>Gets the batches created, oldest first.</summary>
    public IReadOnlyList<ServerBatch> Batches => [.. _batches.Values.OrderBy(b => b.Index)];

    /// <summary>Gets the number of files uploaded.</summary>
    public int UploadCount => _fileCounter;

    private void MapBatchApi(WebApplication app)
    {
        app.MapPost("/v1/files", (Delegate)UploadAsync);
        app.MapGet("/v1/files/{id}/content", (string id) => _files.TryGetValue(id, out var bytes) ? Results.Bytes(bytes, "application/octet-stream") : ErrorResult(404, $"No such File object: {id}"));
        app.MapPost("/v1/batches", (Delegate)CreateBatchAsync);
        app.MapGet("/v1/batches/{id}", (Delegate)ReadBatchAsync);
        app.MapGet("/v1/batches", (Delegate)ListBatches);
    }

    private static IResult ErrorResult(int status, string message)
        => Results.Json(new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = "invalid_request_error", ["code"] = null } }, statusCode: status);

    private async Task<IResult> UploadAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType)
        {
            return ErrorResult(400, "The upload must be multipart/form-data with 'purpose' and 'file'.");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (form["purpose"] != "batch")
        {
            return ErrorResult(400, "'purpose' must be 'batch' for a batch input file.");
        }

        var file = form.Files.GetFile("file");
        if (file is null)
        {
            return ErrorResult(400, "'file' is required.");
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, context.RequestAborted);
        string id = "file-" + Interlocked.Increment(ref _fileCounter).ToString(CultureInfo.InvariantCulture);
        _files[id] = buffer.ToArray();
        return Results.Json(new JsonObject
        {
            ["id"] = id,
            ["object"] = "file",
            ["bytes"] = buffer.Length,
            ["created_at"] = 1_750_000_000,
            ["filename"] = file.FileName,
            ["purpose"] = "batch",
        });
    }

    private async Task<IResult> CreateBatchAsync(HttpContext context)
    {
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException ex)
        {
            return ErrorResult(400, "Malformed JSON: " + ex.Message);
        }

        string? inputFileId = body?["input_file_id"]?.GetValue<string>();
        if (inputFileId is null || !_files.ContainsKey(inputFileId))
        {
            return ErrorResult(400, $"Invalid 'input_file_id': {inputFileId}.");
        }

        if (body?["endpoint"]?.GetValue<string>() != "/v1/chat/completions" || body?["completion_window"]?.GetValue<string>() != "24h")
        {
            return ErrorResult(400, "'endpoint' must be /v1/chat/completions and 'completion_window' must be 24h.");
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (body?["metadata"] is JsonObject m)
        {
            if (m.Count > 16)
            {
                return ErrorResult(400, "'metadata' may hold at most 16 pairs.");
            }

            foreach (var (key, value) in m)
            {
                metadata[key] = value?.GetValue<string>() ?? string.Empty;
            }
        }

        int index = Interlocked.Increment(ref _batchCounter);
        var batch = new ServerBatch("batch_" + index.ToString(CultureInfo.InvariantCulture), inputFileId, metadata, index);
        Validate(batch);
        _batches[batch.Id] = batch;
        return Results.Json(BatchJson(batch));
    }

    private void Validate(ServerBatch batch)
    {
        var ids = new List<string>();
        var errors = new JsonArray();
        string[] lines = Encoding.UTF8.GetString(_files[batch.InputFileId]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < lines.Length; i++)
        {
            try
            {
                var line = JsonNode.Parse(lines[i])!;
                string id = line["custom_id"]!.GetValue<string>();
                if (ids.Contains(id) || line["method"]?.GetValue<string>() != "POST" || line["url"]?.GetValue<string>() != "/v1/chat/completions" || line["body"] is not JsonObject)
                {
                    errors.Add(new JsonObject { ["code"] = "invalid_request", ["message"] = "Duplicate custom_id, or a method, url or body that is not a chat completion.", ["line"] = i + 1 });
                }

                ids.Add(id);
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or NullReferenceException)
            {
                errors.Add(new JsonObject { ["code"] = "invalid_json_line", ["message"] = "This line is not parseable as valid JSON.", ["line"] = i + 1 });
            }
        }

        batch.CustomIds = ids;
        if (errors.Count > 0 || BatchFinalStatus == "failed")
        {
            batch.Errors = errors.Count > 0 ? errors : [new JsonObject { ["code"] = "batch_failed", ["message"] = "Simulated failure.", ["line"] = null }];
        }
    }

    private async Task<IResult> ReadBatchAsync(string id, HttpContext context)
    {
        if (!_batches.TryGetValue(id, out var batch))
        {
            return ErrorResult(404, $"No batch found with id '{id}'.");
        }

        bool finish;
        lock (batch)
        {
            batch.Polls++;
            finish = batch.Status is "validating" or "in_progress" && batch.Polls > BatchPollsUntilDone;
            if (!finish && batch.Status == "validating")
            {
                batch.Status = batch.Errors is not null ? "failed" : "in_progress";
            }
        }

        if (finish && batch.Errors is null)
        {
            await RunBatchAsync(batch, context.Request.Headers.Authorization.FirstOrDefault(), context.RequestAborted);
        }
        else if (finish)
        {
            batch.Status = "failed";
        }

        return Results.Json(BatchJson(batch));
    }

    private IResult ListBatches(HttpRequest request)
    {
        int limit = int.TryParse(request.Query["limit"], out int l) ? Math.Clamp(l, 1, 100) : 20;
        string? after = request.Query["after"];
        var all = _batches.Values.OrderByDescending(b => b.Index).ToList();
        int start = after is null ? 0 : all.FindIndex(b => b.Id == after) + 1;
        var page = all.Skip(start).Take(limit).ToList();
        return Results.Json(new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray([.. page.Select(b => (JsonNode)BatchJson(b))]),
            ["first_id"] = page.FirstOrDefault()?.Id,
            ["last_id"] = page.LastOrDefault()?.Id,
            ["has_more"] = start + page.Count < all.Count,
        });
    }

    private async Task RunBatchAsync(ServerBatch batch, string? authorization, CancellationToken cancellationToken)
    {
        string final = BatchFinalStatus;
        var output = new StringBuilder();
        var errors = new StringBuilder();
        string[] lines = Encoding.UTF8.GetString(_files[batch.InputFileId]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        int runs = final is "expired" or "cancelled" ? lines.Length / 2 : lines.Length;
        for (int i = 0; i < lines.Length; i++)
        {
            var line = JsonNode.Parse(lines[i])!;
            string customId = line["custom_id"]!.GetValue<string>();
            string requestId = "batch_req_" + batch.Index.ToString(CultureInfo.InvariantCulture) + "_" + i.ToString(CultureInfo.InvariantCulture);
            if (i >= runs)
            {
                string code = final == "expired" ? "batch_expired" : "batch_cancelled";
                errors.Append(new JsonObject { ["id"] = requestId, ["custom_id"] = customId, ["response"] = null, ["error"] = new JsonObject { ["code"] = code, ["message"] = "This request could not be executed before the batch " + final + "." } }.ToJsonString()).Append('\n');
                batch.Failed++;
                continue;
            }

            if (BatchLineFails?.Invoke(customId) == true)
            {
                var failure = new JsonObject { ["error"] = new JsonObject { ["message"] = "Simulated server error.", ["type"] = "server_error" } };
                errors.Append(new JsonObject { ["id"] = requestId, ["custom_id"] = customId, ["response"] = new JsonObject { ["status_code"] = 500, ["request_id"] = requestId, ["body"] = failure }, ["error"] = null }.ToJsonString()).Append('\n');
                batch.Failed++;
                continue;
            }

            string body = line["body"]!.ToJsonString();
            var request = ParseChatRequest(body, "/v1/chat/completions", authorization);
            Record(request);
            var reply = await Handler(request);
            int prompt = Billing is null ? Math.Max(1, body.Length / 4) : OpenAIBilling.PromptTokens(request.Messages).Count;
            int completion = Billing is null ? Math.Max(1, reply.Content.Length / 4) : OpenAIBilling.CountTokens(reply.Content);
            Billing?.BillBatch(prompt, completion);
            var completionJson = new JsonObject
            {
                ["id"] = "chatcmpl-" + requestId,
                ["object"] = "chat.completion",
                ["created"] = 1_750_000_000,
                ["model"] = reply.Model ?? request.Model,
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0,
                    ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = reply.Content },
                    ["finish_reason"] = reply.FinishReason,
                }),
                ["usage"] = UsageJson(new ChatCompletionsUsage(prompt, completion)),
            };
            output.Append(new JsonObject { ["id"] = requestId, ["custom_id"] = customId, ["response"] = new JsonObject { ["status_code"] = 200, ["request_id"] = requestId, ["body"] = completionJson }, ["error"] = null }.ToJsonString()).Append('\n');
            batch.Completed++;
        }

        cancellationToken.ThrowIfCancellationRequested();
        batch.OutputFileId = StoreFile(output);
        batch.ErrorFileId = errors.Length > 0 ? StoreFile(errors) : null;
        batch.Status = final == "failed" ? "completed" : final;
    }

    private string StoreFile(StringBuilder content)
    {
        string id = "file-" + Interlocked.Increment(ref _fileCounter).ToString(CultureInfo.InvariantCulture);
        _files[id] = Encoding.UTF8.GetBytes(content.ToString());
        return id;
    }

    private static JsonObject BatchJson(ServerBatch batch)
    {
        var metadata = new JsonObject();
        foreach (var (key, value) in batch.Metadata)
        {
            metadata[key] = value;
        }

        return new JsonObject
        {
            ["id"] = batch.Id,
            ["object"] = "batch",
            ["endpoint"] = "/v1/chat/completions",
            ["errors"] = batch.Errors is null ? null : new JsonObject { ["object"] = "list", ["data"] = batch.Errors.DeepClone() },
            ["input_file_id"] = batch.InputFileId,
            ["completion_window"] = "24h",
            ["status"] = batch.Status,
            ["output_file_id"] = batch.OutputFileId,
            ["error_file_id"] = batch.ErrorFileId,
            ["created_at"] = 1_750_000_000 + batch.Index,
            ["metadata"] = metadata,
            ["request_counts"] = new JsonObject { ["total"] = batch.CustomIds.Count, ["completed"] = batch.Completed, ["failed"] = batch.Failed },
        };
    }
}
