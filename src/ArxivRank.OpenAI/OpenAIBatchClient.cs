using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using ArxivRank.Scoring;
using Microsoft.Extensions.AI;

namespace ArxivRank.OpenAI;

/// <summary>
/// OpenAI's Batch API over plain HTTP (<c>POST /files</c> with purpose <c>batch</c>, <c>POST /batches</c>,
/// <c>GET /batches/{id}</c>, <c>GET /batches</c>, <c>GET /files/{id}/content</c>), through the same resilient
/// <see cref="HttpClient"/> as the chat client. Works with any server that implements these endpoints.
/// </summary>
internal sealed class OpenAIBatchClient : IChatBatchClient, IDisposable
{
    private const string ChatEndpoint = "/v1/chat/completions";
    private readonly HttpClient _http;
    private readonly Uri _base;
    private readonly string _model;

    public OpenAIBatchClient(HttpClient http, OpenAIChatClientOptions options)
    {
        _http = http;
        _model = options.Model;
        string endpoint = options.Endpoint.AbsoluteUri;
        _base = new Uri(endpoint.EndsWith('/') ? endpoint : endpoint + "/");
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("ArxivRank", null));
        if (options.OrganizationId is { Length: > 0 } organization)
        {
            _http.DefaultRequestHeaders.Add("OpenAI-Organization", organization);
        }

        if (options.ProjectId is { Length: > 0 } project)
        {
            _http.DefaultRequestHeaders.Add("OpenAI-Project", project);
        }
    }

    public async Task<string> UploadAsync(IReadOnlyList<ChatBatchRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var buffer = new MemoryStream();
        foreach (var request in requests)
        {
            WriteLine(buffer, request);
        }

        using var form = new MultipartFormDataContent();
        form.Add(new StringContent("batch"), "purpose");
        var file = new ByteArrayContent(buffer.ToArray());
        file.Headers.ContentType = new MediaTypeHeaderValue("application/jsonl");
        form.Add(file, "file", "arxivrank-batch.jsonl");
        using var document = await SendAsync(HttpMethod.Post, "files", form, "upload the batch input file", cancellationToken).ConfigureAwait(false);
        return RequiredString(document.RootElement, "id", "the uploaded file");
    }

    public async Task<ChatBatchJob> CreateAsync(string inputFileId, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(inputFileId);
        ArgumentNullException.ThrowIfNull(metadata);
        var body = new MemoryStream();
        using (var writer = new Utf8JsonWriter(body))
        {
            writer.WriteStartObject();
            writer.WriteString("input_file_id", inputFileId);
            writer.WriteString("endpoint", ChatEndpoint);
            writer.WriteString("completion_window", "24h");
            writer.WriteStartObject("metadata");
            foreach (var (key, value) in metadata)
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        using var content = new ByteArrayContent(body.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var document = await SendAsync(HttpMethod.Post, "batches", content, "create the batch", cancellationToken).ConfigureAwait(false);
        return ReadBatch(document.RootElement);
    }

    public async Task<ChatBatchJob> GetAsync(string batchId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(batchId);
        using var document = await SendAsync(HttpMethod.Get, "batches/" + Uri.EscapeDataString(batchId), null, $"read batch {batchId}", cancellationToken).ConfigureAwait(false);
        return ReadBatch(document.RootElement);
    }

    public async IAsyncEnumerable<ChatBatchJob> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? after = null;
        while (true)
        {
            string path = "batches?limit=100" + (after is null ? string.Empty : "&after=" + Uri.EscapeDataString(after));
            List<ChatBatchJob> page;
            bool more;
            using (var document = await SendAsync(HttpMethod.Get, path, null, "list the batches", cancellationToken).ConfigureAwait(false))
            {
                var root = document.RootElement;
                page = root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array ? [.. data.EnumerateArray().Select(ReadBatch)] : [];
                more = root.TryGetProperty("has_more", out var hasMore) && hasMore.ValueKind == JsonValueKind.True;
                after = root.TryGetProperty("last_id", out var last) && last.ValueKind == JsonValueKind.String ? last.GetString() : page.LastOrDefault()?.Id;
            }

            foreach (var batch in page)
            {
                yield return batch;
            }

            if (!more || page.Count == 0 || after is null)
            {
                yield break;
            }
        }
    }

    public async IAsyncEnumerable<ChatBatchResult> ReadResultsAsync(string fileId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileId);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_base, "files/" + Uri.EscapeDataString(fileId) + "/content"));
        using var response = await SendRawAsync(request, $"download file {fileId}", HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        int number = 0;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            number++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                yield return ReadResult(line, number);
            }
        }
    }

    public void Dispose() => _http.Dispose();

    private void WriteLine(MemoryStream buffer, ChatBatchRequest request)
    {
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("custom_id", request.CustomId);
            writer.WriteString("method", "POST");
            writer.WriteString("url", ChatEndpoint);
            writer.WriteStartObject("body");
            var options = request.Options;
            writer.WriteString("model", options?.ModelId ?? _model);
            writer.WriteStartArray("messages");
            foreach (var message in request.Messages)
            {
                writer.WriteStartObject();
                writer.WriteString("role", message.Role.Value);
                writer.WriteString("content", message.Text);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            if (options?.MaxOutputTokens is { } maxTokens)
            {
                writer.WriteNumber("max_completion_tokens", maxTokens);
            }

            if (options?.Temperature is { } temperature)
            {
                writer.WriteNumber("temperature", temperature);
            }

            if (options?.ResponseFormat is ChatResponseFormatJson json)
            {
                writer.WriteStartObject("response_format");
                if (json.Schema is { } schema)
                {
                    writer.WriteString("type", "json_schema");
                    writer.WriteStartObject("json_schema");
                    writer.WriteString("name", json.SchemaName ?? "answer");
                    if (json.SchemaDescription is { } description)
                    {
                        writer.WriteString("description", description);
                    }

                    writer.WritePropertyName("schema");
                    schema.WriteTo(writer);
                    writer.WriteEndObject();
                }
                else
                {
                    writer.WriteString("type", "json_object");
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
    }

    private static ChatBatchResult ReadResult(string line, int number)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            string? customId = root.TryGetProperty("custom_id", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                return new ChatBatchResult(customId, null, ErrorText(error));
            }

            if (!root.TryGetProperty("response", out var response) || response.ValueKind != JsonValueKind.Object)
            {
                return new ChatBatchResult(customId, null, "the result line has neither a response nor an error");
            }

            int status = response.TryGetProperty("status_code", out var s) && s.TryGetInt32(out int code) ? code : 200;
            var body = response.TryGetProperty("body", out var b) ? b : default;
            if (status is < 200 or > 299)
            {
                string why = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("error", out var bodyError) && bodyError.ValueKind == JsonValueKind.Object
                    ? ErrorText(bodyError)
                    : "no error message";
                return new ChatBatchResult(customId, null, string.Create(CultureInfo.InvariantCulture, $"HTTP {status}: {why}"));
            }

            return body.ValueKind == JsonValueKind.Object
                ? new ChatBatchResult(customId, ReadCompletion(body), null)
                : new ChatBatchResult(customId, null, "the response has no body");
        }
        catch (JsonException ex)
        {
            return new ChatBatchResult(null, null, string.Create(CultureInfo.InvariantCulture, $"line {number} of the result file is not JSON ({ex.Message})"));
        }
    }

    private static ChatResponse ReadCompletion(JsonElement body)
    {
        string text = string.Empty;
        ChatFinishReason? finish = null;
        if (body.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0)
        {
            var choice = choices[0];
            if (choice.TryGetProperty("message", out var message) && message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
            {
                text = content.GetString() ?? string.Empty;
            }

            if (choice.TryGetProperty("finish_reason", out var reason) && reason.ValueKind == JsonValueKind.String)
            {
                finish = new ChatFinishReason(reason.GetString()!);
            }
        }

        return new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
        {
            FinishReason = finish,
            ModelId = body.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String ? model.GetString() : null,
            Usage = body.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object ? OpenAIUsage.Read(usage) : null,
        };
    }

    private static ChatBatchJob ReadBatch(JsonElement batch)
    {
        string status = batch.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : string.Empty;
        var counts = batch.TryGetProperty("request_counts", out var rc) && rc.ValueKind == JsonValueKind.Object ? rc : default;
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (batch.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object)
        {
            foreach (var pair in m.EnumerateObject())
            {
                metadata[pair.Name] = pair.Value.ValueKind == JsonValueKind.String ? pair.Value.GetString()! : pair.Value.GetRawText();
            }
        }

        string? errors = null;
        if (batch.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object && e.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array)
        {
            errors = string.Join("; ", data.EnumerateArray().Select(ErrorText));
        }

        return new ChatBatchJob
        {
            Id = RequiredString(batch, "id", "the batch"),
            Status = status switch
            {
                "validating" => ChatBatchStatus.Validating,
                "failed" => ChatBatchStatus.Failed,
                "in_progress" => ChatBatchStatus.InProgress,
                "finalizing" => ChatBatchStatus.Finalizing,
                "completed" => ChatBatchStatus.Completed,
                "expired" => ChatBatchStatus.Expired,
                "cancelling" => ChatBatchStatus.Cancelling,
                "cancelled" => ChatBatchStatus.Cancelled,
                _ => throw new ChatBatchException($"The batch endpoint reported an unknown status '{status}'."),
            },
            InputFileId = OptionalString(batch, "input_file_id"),
            OutputFileId = OptionalString(batch, "output_file_id"),
            ErrorFileId = OptionalString(batch, "error_file_id"),
            Metadata = metadata,
            TotalRequests = Count(counts, "total"),
            CompletedRequests = Count(counts, "completed"),
            FailedRequests = Count(counts, "failed"),
            Errors = errors,
        };
    }

    private static string ErrorText(JsonElement error)
    {
        string? code = OptionalString(error, "code");
        string? message = OptionalString(error, "message");
        string? line = error.TryGetProperty("line", out var l) && l.ValueKind == JsonValueKind.Number ? " (line " + l.GetRawText() + ")" : null;
        return (code is null ? string.Empty : code + ": ") + (message ?? "no message") + line;
    }

    private static int Count(JsonElement counts, string name)
        => counts.ValueKind == JsonValueKind.Object && counts.TryGetProperty(name, out var v) && v.TryGetInt32(out int n) ? n : 0;

    private static string? OptionalString(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string RequiredString(JsonElement element, string name, string what)
        => OptionalString(element, name) is { Length: > 0 } value ? value : throw new ChatBatchException($"The batch endpoint's answer about {what} has no \"{name}\".");

    private async Task<JsonDocument> SendAsync(HttpMethod method, string path, HttpContent? content, string what, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(_base, path)) { Content = content };
        using var response = await SendRawAsync(request, what, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        string text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new ChatBatchException($"Could not {what}: the answer of {request.RequestUri} is not JSON ({ex.Message}).", ex);
        }
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, string what, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new ChatBatchException($"Could not {what}: {request.RequestUri} cannot be reached ({ex.Message}).", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ChatBatchException($"Could not {what}: {request.RequestUri} timed out.", ex);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            string detail;
            try
            {
                using var document = JsonDocument.Parse(body);
                detail = document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object ? ErrorText(error) : body;
            }
            catch (JsonException)
            {
                detail = body.Length > 300 ? body[..300] : body;
            }

            int status = (int)response.StatusCode;
            string hint = status is 401 or 403 ? " Check the API key." : status == 404 ? " Check the endpoint: does it offer the Batch API?" : string.Empty;
            throw new ChatBatchException(string.Create(CultureInfo.InvariantCulture, $"Could not {what}: HTTP {status} from {request.RequestUri}: {detail}.{hint}")) { StatusCode = status };
        }
    }
}
