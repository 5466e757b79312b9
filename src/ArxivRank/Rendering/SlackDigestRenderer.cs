using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ArxivRank.Scoring;

namespace ArxivRank.Rendering;

/// <summary>
/// Renders a digest as Slack Block Kit messages: a header message with the day's numbers and top titles
/// (<c>slack/yyyy-MM-dd-001.json</c>), then thread replies with the full entries (<c>-002</c>, <c>-003</c>…), each within
/// Slack's limits: at most 50 blocks per message, 3,000 characters per text, 150 per header.
/// </summary>
internal sealed class SlackDigestRenderer : IDigestRenderer
{
    internal const int HeaderMaxLength = 150;
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly SlackRendererOptions _options;

    public SlackDigestRenderer(SlackRendererOptions options)
    {
        _options = options;
    }

    public string Format => "slack";

    public async Task RenderAsync(Digest digest, IDigestOutput output, CancellationToken cancellationToken = default)
    {
        DigestGuard.Check(digest);
        ArgumentNullException.ThrowIfNull(output);
        cancellationToken.ThrowIfCancellationRequested();

        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        int sequence = 1;
        await WriteMessageAsync(output, buffer, digest.Date, sequence++, HeaderFallback(digest), HeaderBlocks(digest), cancellationToken).ConfigureAwait(false);

        var blocks = new List<Block>(_options.MaxBlocksPerMessage);
        int firstInMessage = 1;
        for (int i = 0; i < digest.Papers.Count; i++)
        {
            var paperBlocks = PaperBlocks(digest.Papers[i], i + 1);
            if (blocks.Count + paperBlocks.Count > _options.MaxBlocksPerMessage)
            {
                await WriteMessageAsync(output, buffer, digest.Date, sequence++, ThreadFallback(firstInMessage, i, digest.Papers.Count), blocks, cancellationToken).ConfigureAwait(false);
                blocks.Clear();
                firstInMessage = i + 1;
            }

            blocks.AddRange(paperBlocks);
        }

        if (blocks.Count > 0)
        {
            await WriteMessageAsync(output, buffer, digest.Date, sequence++, ThreadFallback(firstInMessage, digest.Papers.Count, digest.Papers.Count), blocks, cancellationToken).ConfigureAwait(false);
            blocks.Clear();
        }

        if (_options.IncludeCriteria && !string.IsNullOrWhiteSpace(digest.CriteriaText))
        {
            blocks.Add(Block.Header("Selection criteria"));
            foreach (string chunk in Chunks(SlackText.EscapeKeepingLines(digest.CriteriaText.Trim()), _options.MaxTextLength))
            {
                if (blocks.Count == _options.MaxBlocksPerMessage)
                {
                    await WriteMessageAsync(output, buffer, digest.Date, sequence++, "Selection criteria", blocks, cancellationToken).ConfigureAwait(false);
                    blocks.Clear();
                }

                blocks.Add(Block.Section(chunk));
            }

            await WriteMessageAsync(output, buffer, digest.Date, sequence, "Selection criteria", blocks, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string HeaderFallback(Digest digest)
        => string.Create(CultureInfo.InvariantCulture, $"arXiv digest {RenderText.Date(digest.Date)}: {digest.Papers.Count} papers");

    private static string ThreadFallback(int from, int to, int total)
        => string.Create(CultureInfo.InvariantCulture, $"Papers {from}–{to} of {total}");

    private List<Block> HeaderBlocks(Digest digest)
    {
        var blocks = new List<Block>
        {
            Block.Header(TruncatePlain(RenderText.CollapseWhitespace(_options.Title) + " · " + RenderText.Date(digest.Date) + " · " + RenderText.Integer(digest.Papers.Count) + " papers", HeaderMaxLength)),
        };

        var facts = new StringBuilder();
        facts.Append('*').Append(RenderText.Grouped(digest.Papers.Count)).Append("* selected");
        if (digest.Totals.ScannedPapers > 0)
        {
            facts.Append(" of ").Append(RenderText.Grouped(digest.Totals.ScannedPapers)).Append(" scanned");
        }

        if (digest.Totals.TotalPapers > 0)
        {
            facts.Append(" (").Append(RenderText.Grouped(digest.Totals.TotalPapers)).Append(" announced)");
        }

        if (_options.IncludeUsage && digest.Usage.Count > 0)
        {
            var total = RenderText.Total(digest.Usage) ?? digest.Usage[0];
            facts.Append(" · ").AppendSlack(string.Join(", ", digest.Usage.Select(u => RenderText.Display(u.ModelId))))
                 .Append(' ').Append(RenderText.Grouped(total.TotalTokens)).Append(" tokens, ").AppendSlack(RenderText.Cost(total.TotalCost));
        }

        blocks.Add(Block.Context(Truncate(facts.ToString(), _options.MaxTextLength)));

        int top = Math.Min(_options.TopTitles, digest.Papers.Count);
        var list = new StringBuilder();
        for (int i = 0; i < top; i++)
        {
            var entry = digest.Papers[i];
            var line = new StringBuilder();
            line.Append(RenderText.Integer(i + 1)).Append(". <").Append(entry.Paper.AbsUri.AbsoluteUri).Append('|')
                .Append(Truncate(SlackText.Escape(RenderText.Display(entry.Paper.Title)), 400)).Append('>');
            string summary = RenderText.ScoreSummary(entry.Score);
            if (summary.Length > 0)
            {
                line.Append(" — ").Append(SlackText.Escape(summary));
            }

            if (list.Length + line.Length + 1 > _options.MaxTextLength)
            {
                blocks.Add(Block.Section(list.ToString()));
                list.Clear();
            }

            list.Append(line).Append('\n');
        }

        if (list.Length > 0)
        {
            blocks.Add(Block.Section(list.ToString().TrimEnd('\n')));
        }

        if (digest.Papers.Count == 0)
        {
            blocks.Add(Block.Section("No paper was selected today."));
        }
        else
        {
            blocks.Add(Block.Context("Full entries with abstracts in the thread."));
        }

        return blocks;
    }

    private List<Block> PaperBlocks(DigestEntry entry, int rank)
    {
        var paper = entry.Paper;
        var blocks = new List<Block>(4);
        var head = new StringBuilder();
        head.Append("*").Append(RenderText.Integer(rank)).Append(". <").Append(paper.AbsUri.AbsoluteUri).Append('|')
            .Append(Truncate(SlackText.Escape(RenderText.Display(paper.Title)), 600)).Append(">*\n")
            .Append(Truncate(SlackText.Escape(RenderText.Authors(paper.Authors)), 1500));
        string summary = RenderText.ScoreSummary(entry.Score);
        if (summary.Length > 0)
        {
            head.Append('\n').Append(SlackText.Escape(summary)).Append(" · arXiv:").Append(paper.Id.Id);
        }

        blocks.Add(Block.Section(Truncate(head.ToString(), _options.MaxTextLength)));
        string? comment = entry.Score.Origin == ScoreOrigin.AuthorMatch ? null : entry.Score.Comment;
        if (!string.IsNullOrWhiteSpace(comment))
        {
            blocks.Add(Block.Context(Truncate(SlackText.Escape(RenderText.Display(comment)), _options.MaxTextLength)));
        }

        if (_options.IncludeAbstracts && !string.IsNullOrWhiteSpace(paper.Abstract))
        {
            blocks.Add(Block.Section(Truncate(SlackText.Escape(RenderText.Display(paper.Abstract)), _options.MaxTextLength)));
        }

        blocks.Add(Block.Divider);
        return blocks;
    }

    private static async Task WriteMessageAsync(IDigestOutput output, ArrayBufferWriter<byte> buffer, DateOnly date, int sequence, string fallback, List<Block> blocks, CancellationToken cancellationToken)
    {
        var stream = await output.CreateAsync(DigestOutputNames.SlackMessage(date, sequence), "application/json", cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            // One buffer serves every message of the digest; it is written to the stream asynchronously.
            buffer.ResetWrittenCount();
            using var writer = new Utf8JsonWriter(buffer, WriterOptions);
            writer.WriteStartObject();
            writer.WriteString("text", SlackText.Escape(fallback));
            writer.WriteStartArray("blocks");
            foreach (var block in blocks)
            {
                block.Write(writer);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.Flush();
            await stream.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Cuts escaped mrkdwn to <paramref name="max"/> characters with an ellipsis, never inside an entity, a link or a surrogate pair.</summary>
    internal static string Truncate(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        int cut = max - 1;
        if (char.IsLowSurrogate(text[cut]))
        {
            cut--;
        }

        int amp = text.LastIndexOf('&', cut - 1, Math.Min(cut, 6));
        if (amp >= 0 && text.IndexOf(';', amp, cut - amp) < 0)
        {
            cut = amp;
        }

        int open = text.LastIndexOf('<', cut - 1);
        if (open >= 0 && text.IndexOf('>', open, cut - open) < 0)
        {
            cut = open;
        }

        return string.Concat(text.AsSpan(0, cut).TrimEnd(), "…");
    }

    /// <summary>Cuts plain text (a header) to <paramref name="max"/> characters with an ellipsis, never inside a surrogate pair.</summary>
    internal static string TruncatePlain(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        int cut = max - 1;
        if (char.IsLowSurrogate(text[cut]))
        {
            cut--;
        }

        return string.Concat(text.AsSpan(0, cut).TrimEnd(), "…");
    }

    private static IEnumerable<string> Chunks(string text, int max)
    {
        int start = 0;
        while (start < text.Length)
        {
            int length = Math.Min(max, text.Length - start);
            if (start + length < text.Length)
            {
                int newline = text.LastIndexOf('\n', start + length - 1, length);
                if (newline > start + (max / 2))
                {
                    length = newline - start + 1;
                }
                else if (char.IsHighSurrogate(text[start + length - 1]))
                {
                    length--;
                }

                int amp = text.LastIndexOf('&', start + length - 1, Math.Min(length, 6));
                if (amp > start && text.IndexOf(';', amp, start + length - amp) < 0)
                {
                    length = amp - start;
                }
            }

            yield return text.Substring(start, length);
            start += length;
        }
    }

    private sealed record Block(string Type, string? Text)
    {
        public static Block Divider { get; } = new("divider", null);

        public static Block Header(string text) => new("header", text);

        public static Block Section(string text) => new("section", text);

        public static Block Context(string text) => new("context", text);

        public void Write(Utf8JsonWriter writer)
        {
            writer.WriteStartObject();
            writer.WriteString("type", Type);
            switch (Type)
            {
                case "header":
                    writer.WriteStartObject("text");
                    writer.WriteString("type", "plain_text");
                    writer.WriteString("text", Text);
                    writer.WriteBoolean("emoji", false);
                    writer.WriteEndObject();
                    break;
                case "section":
                    writer.WriteStartObject("text");
                    writer.WriteString("type", "mrkdwn");
                    writer.WriteString("text", Text);
                    writer.WriteEndObject();
                    break;
                case "context":
                    writer.WriteStartArray("elements");
                    writer.WriteStartObject();
                    writer.WriteString("type", "mrkdwn");
                    writer.WriteString("text", Text);
                    writer.WriteEndObject();
                    writer.WriteEndArray();
                    break;
            }

            writer.WriteEndObject();
        }
    }
}
