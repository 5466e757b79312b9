using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using ArxivRank.Sources.Xml;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace ArxivRank.Sources.Http;

/// <summary>Sends one GET to arXiv and parses the XML body as it streams in, turning every way it can fail into an <see cref="ArxivSourceException"/>.</summary>
internal static partial class ArxivHttp
{
    private const int ErrorBodyLimit = 64 * 1024;

    /// <summary>Fetches <paramref name="url"/> and parses its body with <paramref name="parse"/>.</summary>
    /// <param name="client">The client, with the resilience pipeline in its handlers.</param>
    /// <param name="url">The URL.</param>
    /// <param name="what">What is fetched, for messages (<c>the RSS feed for cs.LG</c>).</param>
    /// <param name="readTimeout">How long the body may take.</param>
    /// <param name="timeProvider">The clock of the read time-out.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="parse">Reads the document.</param>
    /// <param name="errorDetail">Extracts arXiv's message from an error body, when the format has one.</param>
    /// <param name="cancellationToken">Cancels the fetch.</param>
    public static async Task<T> GetXmlAsync<T>(
        HttpClient client,
        Uri url,
        string what,
        TimeSpan readTimeout,
        TimeProvider timeProvider,
        ILogger logger,
        Func<XmlReader, CancellationToken, Task<T>> parse,
        Func<string, string?>? errorDetail,
        CancellationToken cancellationToken)
    {
        Log.Fetching(logger, url);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (TimeoutRejectedException ex)
        {
            throw new ArxivSourceException($"{Capitalize(what)} did not answer in time ({url}): {ex.Message} Every retry timed out; try again later or raise the time-outs.", url, null, null, ex);
        }
        catch (BrokenCircuitException ex)
        {
            throw new ArxivSourceException($"{Capitalize(what)} was not requested ({url}): too many recent requests to arXiv failed, so the circuit breaker is open. Try again in a minute.", url, null, null, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new ArxivSourceException($"Could not reach {what} ({url}): {ex.Message}", url, ex.StatusCode, null, ex);
        }
        catch (OperationCanceledException ex)
        {
            throw new ArxivSourceException($"{Capitalize(what)} did not answer in time ({url}).", url, null, null, ex);
        }

        using (response)
        {
            using var timeout = new CancellationTokenSource(readTimeout, timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);

            // XmlReader's async reads take no token, and a read already pending on the socket may not see one:
            // disposing the response on cancellation or time-out ends any pending read for sure.
            using var abort = linked.Token.Register(static r => ((HttpResponseMessage)r!).Dispose(), response);
            var status = response.StatusCode;
            try
            {
                if (!response.IsSuccessStatusCode)
                {
                    string body = await ReadPrefixAsync(response, linked.Token).ConfigureAwait(false);
                    linked.Token.ThrowIfCancellationRequested();
                    string detail = errorDetail?.Invoke(body) ?? HtmlTitle(body) ?? FirstLine(body);
                    throw new ArxivSourceException(
                        string.Create(CultureInfo.InvariantCulture, $"{Capitalize(what)} answered HTTP {(int)status} {response.ReasonPhrase}{(detail.Length > 0 ? ": " + detail : ".")} ({url})"),
                        url,
                        status);
                }

                if (response.Content.Headers.ContentType?.MediaType is { } mediaType && mediaType.Contains("html", StringComparison.OrdinalIgnoreCase) && !mediaType.Contains("xhtml", StringComparison.OrdinalIgnoreCase))
                {
                    string body = await ReadPrefixAsync(response, linked.Token).ConfigureAwait(false);
                    linked.Token.ThrowIfCancellationRequested();
                    throw HtmlPage(what, url, status, HtmlTitle(body));
                }

                var stream = await response.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    var counting = new CountingStream(stream, linked.Token);
                    using var reader = XmlReader.Create(counting, ArxivXml.ReaderSettings);
                    try
                    {
                        return await parse(reader, linked.Token).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (linked.IsCancellationRequested && ex is not OperationCanceledException)
                    {
                        // The read failed because the response was disposed on cancellation or time-out.
                        linked.Token.ThrowIfCancellationRequested();
                        throw;
                    }
                    catch (XmlException ex) when (counting.BytesRead == 0)
                    {
                        throw new ArxivSourceException($"{Capitalize(what)} answered HTTP {(int)status} with an empty body; expected XML ({url}).", url, status, "byte 0", ex);
                    }
                    catch (XmlException ex)
                    {
                        string position = string.Create(CultureInfo.InvariantCulture, $"line {ex.LineNumber}, column {ex.LinePosition}");
                        throw new ArxivSourceException(
                            string.Create(CultureInfo.InvariantCulture, $"{Capitalize(what)} is not well-formed XML at {position} after {counting.BytesRead} bytes (a truncated or corrupted response): {ex.Message} ({url})"),
                            url,
                            status,
                            position,
                            ex);
                    }
                    catch (FeedFormatException ex) when (ex.IsHtml)
                    {
                        throw HtmlPage(what, url, status, ex.HtmlTitle, ex.Position);
                    }
                    catch (FeedFormatException ex)
                    {
                        throw new ArxivSourceException($"{Capitalize(what)} {ex.Message} ({url})", url, status, ex.Position, ex);
                    }
                    catch (IOException ex)
                    {
                        throw new ArxivSourceException(
                            string.Create(CultureInfo.InvariantCulture, $"{Capitalize(what)} ended prematurely after {counting.BytesRead} bytes (the connection closed mid-response): {ex.Message} ({url})"),
                            url,
                            status,
                            string.Create(CultureInfo.InvariantCulture, $"byte {counting.BytesRead}"),
                            ex);
                    }
                }
            }
            catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw ReadTimedOut(what, url, status, readTimeout, ex);
            }
            catch (Exception ex) when (linked.IsCancellationRequested && ex is ObjectDisposedException or IOException or HttpRequestException or XmlException)
            {
                // The response was disposed under a pending read by the cancellation registration above.
                cancellationToken.ThrowIfCancellationRequested();
                throw ReadTimedOut(what, url, status, readTimeout, ex);
            }
            catch (HttpRequestException ex)
            {
                throw new ArxivSourceException($"{Capitalize(what)} could not be read: {ex.Message} ({url})", url, status, null, ex);
            }
        }
    }

    private static ArxivSourceException ReadTimedOut(string what, Uri url, HttpStatusCode status, TimeSpan readTimeout, Exception inner)
        => new(
            string.Create(CultureInfo.InvariantCulture, $"{Capitalize(what)} did not arrive within the read time-out of {readTimeout} ({url})."),
            url,
            status,
            null,
            inner);

    private static ArxivSourceException HtmlPage(string what, Uri url, HttpStatusCode status, string? title, string? position = null)
        => new(
            string.Create(CultureInfo.InvariantCulture, $"{Capitalize(what)} answered HTTP {(int)status} with an HTML page{(string.IsNullOrEmpty(title) ? "" : $" (\"{title}\")")} instead of XML: arXiv or a proxy is showing an error or maintenance page ({url})."),
            url,
            status,
            position);

    private static async Task<string> ReadPrefixAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var buffer = new byte[ErrorBodyLimit];
                int total = 0;
                int read;
                while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    total += read;
                }

                return Encoding.UTF8.GetString(buffer, 0, total);
            }
        }
        catch (IOException)
        {
            return string.Empty;
        }
        catch (HttpRequestException)
        {
            return string.Empty;
        }
    }

    internal static string? HtmlTitle(string body)
    {
        var match = TitleRegex().Match(body);
        return match.Success ? ArxivXml.CollapseWhitespace(WebUtility.HtmlDecode(match.Groups[1].Value)) : null;
    }

    private static string FirstLine(string body)
    {
        var text = body.AsSpan().Trim();
        int newline = text.IndexOfAny('\r', '\n');
        var line = newline < 0 ? text : text[..newline];
        return line.Length > 200 ? string.Concat(line[..200], "…") : line.ToString();
    }

    internal static string Capitalize(string s) => s.Length == 0 || char.IsUpper(s[0]) ? s : char.ToUpperInvariant(s[0]) + s[1..];

    [GeneratedRegex(@"<title[^>]*>(.*?)</title>", RegexOptions.IgnoreCase | RegexOptions.Singleline, matchTimeoutMilliseconds: 1000)]
    private static partial Regex TitleRegex();
}
