using System.Buffers;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ArxivRank.Delivery.Slack;

/// <summary>
/// Posts a digest to a Slack incoming webhook, for users without a bot: webhooks have no threads, so the digest goes as
/// several messages in a row (the header message, then the papers). A failed delivery resumes after the last message
/// Slack acknowledged.
/// </summary>
internal sealed class SlackWebhookDeliverer : IDigestDeliverer, IDisposable
{
    public const string KindName = "slack-webhook";
    private readonly SlackWebhookOptions _options;
    private readonly HttpClient _client;
    private readonly string _target;

    public SlackWebhookDeliverer(SlackWebhookOptions options, HttpClient client)
    {
        _options = options;
        _client = client;
        _target = TargetName(options.WebhookUrl!);
        Targets = [_target];
    }

    public string Kind => KindName;

    public IReadOnlyList<string> Targets { get; }

    /// <summary>The webhook's name in records and messages: its host and a short hash, never the secret URL.</summary>
    internal static string TargetName(Uri url)
        => url.Host + "#" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url.AbsoluteUri)))[..12];

    public async Task<DeliveryOutcome> DeliverAsync(DeliveryRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Digest);
        if (request.Target != _target)
        {
            throw new ArgumentException($"This deliverer posts to '{_target}', not '{request.Target}'.", nameof(request));
        }

        var messages = await SlackHttp.RenderAsync(request.Digest, _options.Renderer, cancellationToken).ConfigureAwait(false);
        int done = Math.Clamp(request.PartsAlreadyDelivered, 0, messages.Count);
        try
        {
            for (int i = done; i < messages.Count; i++)
            {
                await PostAsync(messages[i], i + 1, messages.Count, cancellationToken).ConfigureAwait(false);
                done = i + 1;
            }
        }
        catch (SlackDeliveryException ex)
        {
            return DeliveryOutcome.Failed(Kind, _target, ex.Message, done);
        }

        return DeliveryOutcome.Delivered(Kind, _target, messages.Count);
    }

    public void Dispose() => _client.Dispose();

    private async Task PostAsync(SlackMessage message, int part, int parts, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            SlackHttp.WriteMessage(writer, message);
            writer.WriteEndObject();
        }

        string what = string.Create(CultureInfo.InvariantCulture, $"message {part} of {parts} to the incoming webhook {_target}");
        using var request = new HttpRequestMessage(HttpMethod.Post, _options.WebhookUrl) { Content = new ByteArrayContent(buffer.WrittenSpan.ToArray()) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        using var response = await SlackHttp.SendAsync(_client, request, what, _options.WebhookUrl!.Host, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        if (SlackHttp.IsRateLimited(response))
        {
            throw new SlackDeliveryException(SlackHttp.RateLimited(what, _options.MaxRetryAttempts));
        }

        string body = await SlackHttp.ReadPrefixAsync(response, cancellationToken).ConfigureAwait(false);
        string fix = body switch
        {
            "invalid_token" or "no_service" or "no_team" or "team_disabled" => $"the webhook was removed or is wrong: create a new incoming webhook and set {_options.UrlName} to its URL",
            "channel_not_found" or "channel_is_archived" => $"the webhook's channel is gone or archived: create a webhook for another channel and set {_options.UrlName}",
            "action_prohibited" or "posting_to_general_channel_denied" => "the workspace does not let this webhook post there: ask a workspace admin",
            "invalid_payload" or "invalid_blocks" or "invalid_blocks_format" or "too_many_blocks" => "lower the Slack renderer's limits (maxTextLength, maxBlocksPerMessage) or leave abstracts out, and report the digest that caused it",
            _ => "try again later; the next run resumes after the last message Slack acknowledged",
        };
        throw new SlackDeliveryException(string.Create(CultureInfo.InvariantCulture, $"Slack answered HTTP {(int)response.StatusCode} '{body}' to {what}: {fix}."));
    }
}
