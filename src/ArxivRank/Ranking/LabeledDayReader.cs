using System.Globalization;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text.Json;
using ArxivRank.Serialization;

namespace ArxivRank.Ranking;

/// <summary>
/// Reads labeled-day files: one announcement day's candidates, one JSON object per line with the paper's metadata and the
/// LLM's verdict (<c>{"id", "title", "abstract", "authors", "categories", "selected", "relevance", "novelty"}</c>; the
/// format is described in docs/learned-ranker.md). Each line becomes a <see cref="LabeledExample"/> (selected → positive).
/// </summary>
public static class LabeledDayReader
{
    /// <summary>Reads labeled papers, one per line. A line that is not one becomes an error entry, never an exception; blank lines are skipped.</summary>
    /// <param name="reader">Where to read.</param>
    /// <param name="day">The announcement day of the file, stored as each paper's <see cref="Paper.AnnouncedOn"/>; <see langword="null"/> when unknown.</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    /// <returns>Each line's example, or its line number and error.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> is <see langword="null"/>.</exception>
    /// <exception cref="IOException">The reader failed.</exception>
    public static async IAsyncEnumerable<LabeledDayLine> ReadAsync(TextReader reader, DateOnly? day = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        int lineNumber = 0;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            lineNumber++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                yield return ParseLine(lineNumber, line, day);
            }
        }
    }

    /// <summary>
    /// Reads a labeled-day file, plain or gzip-compressed (recognized by its content, not its name). When the file name
    /// starts with the day (<c>2025-06-17.jsonl</c>), that day becomes each paper's <see cref="Paper.AnnouncedOn"/>.
    /// A gzip file that ends early (its size does not match the size its trailer announces) gets a last error entry
    /// saying so, after the lines that could be read.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    /// <returns>Each line's example, or its line number and error.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is <see langword="null"/> or empty.</exception>
    /// <exception cref="IOException">The file cannot be read (<see cref="FileNotFoundException"/> when it does not exist).</exception>
    /// <exception cref="InvalidDataException">The file starts like gzip but its compressed data is corrupt.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    public static async IAsyncEnumerable<LabeledDayLine> ReadFileAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true);
        await using (file.ConfigureAwait(false))
        {
            byte[] head = new byte[4];
            int read = await file.ReadAtLeastAsync(head.AsMemory(0, 2), 2, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            bool gzip = read == 2 && head[0] == 0x1f && head[1] == 0x8b;
            uint? expectedSize = null;
            if (gzip && file.Length >= 18)
            {
                // The gzip trailer ends with the uncompressed size modulo 2^32: .NET stops quietly at a truncated
                // stream, so this is how a cut-off download is told from a complete file.
                file.Position = file.Length - 4;
                await file.ReadExactlyAsync(head, cancellationToken).ConfigureAwait(false);
                expectedSize = BitConverter.ToUInt32(head);
            }

            file.Position = 0;
            var content = gzip ? new CountingStream(new GZipStream(file, CompressionMode.Decompress, leaveOpen: true)) : null;
            using var reader = new StreamReader(content ?? (Stream)file);
            int lastLine = 0;
            await foreach (var line in ReadAsync(reader, DayFromFileName(path), cancellationToken).ConfigureAwait(false))
            {
                lastLine = line.LineNumber;
                yield return line;
            }

            if (content is not null && (expectedSize is null || (uint)content.BytesRead != expectedSize))
            {
                yield return new LabeledDayLine(lastLine + 1, null, string.Create(
                    CultureInfo.InvariantCulture,
                    $"the gzip stream ended after {content.BytesRead} bytes but its trailer announces {(expectedSize is { } size ? size.ToString(CultureInfo.InvariantCulture) : "none")}: the file looks truncated, and papers after line {lastLine} may be missing"));
            }
        }
    }

    /// <summary>The day a file name starts with (<c>2025-06-17.jsonl.gz</c> → 2025-06-17), or <see langword="null"/>.</summary>
    internal static DateOnly? DayFromFileName(string path)
    {
        string name = Path.GetFileName(path);
        return name.Length >= 10 && DateOnly.TryParseExact(name.AsSpan(0, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;
    }

    private static LabeledDayLine ParseLine(int lineNumber, string line, DateOnly? day)
    {
        LabeledDayRecord? record;
        try
        {
            record = JsonSerializer.Deserialize(line, RankingJsonContext.Default.LabeledDayRecord);
        }
        catch (JsonException ex)
        {
            return Error(lineNumber, $"not a labeled paper: {ex.Message}");
        }

        if (record is null)
        {
            return Error(lineNumber, "the line is JSON null, not a labeled paper");
        }

        if (string.IsNullOrWhiteSpace(record.Id))
        {
            return Error(lineNumber, "the paper has no \"id\"");
        }

        if (!ArxivId.TryParse(record.Id.AsSpan(), out var id, out string? idError))
        {
            return Error(lineNumber, $"\"{record.Id}\" is not an arXiv id: {idError}");
        }

        if (string.IsNullOrWhiteSpace(record.Title))
        {
            return Error(lineNumber, $"paper {id} has no \"title\"");
        }

        if (record.Selected is not { } selected)
        {
            return Error(lineNumber, $"paper {id} has no \"selected\" verdict (true or false)");
        }

        var categories = record.Categories?.OfType<string>().Where(c => c.Length > 0).ToArray() ?? [];
        var paper = new Paper
        {
            Id = id,
            Title = record.Title,
            Abstract = record.Abstract ?? string.Empty,
            Authors = record.Authors?.OfType<string>().ToArray() ?? [],
            Categories = categories,
            PrimaryCategory = categories.FirstOrDefault(),
            AnnouncedOn = day,
        };
        return new LabeledDayLine(lineNumber, new LabeledExample(paper, selected), null)
        {
            Relevance = record.Relevance,
            Novelty = record.Novelty,
        };
    }

    private static LabeledDayLine Error(int lineNumber, string error) => new(lineNumber, null, error);
}

/// <summary>A read-only stream that counts the bytes read through it.</summary>
internal sealed class CountingStream(Stream inner) : Stream
{
    public long BytesRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Count(int read)
    {
        BytesRead += read;
        return read;
    }
}

/// <summary>One line of a labeled-day file: a labeled paper, or why the line is not one.</summary>
/// <param name="LineNumber">The 1-based line number.</param>
/// <param name="Example">The labeled paper (weight 1), when the line is one.</param>
/// <param name="Error">Why the line is not a labeled paper, when it is not.</param>
public sealed record LabeledDayLine(int LineNumber, LabeledExample? Example, string? Error)
{
    /// <summary>Gets the LLM's relevance score (1–10) when the line gives one (selected papers only, in the shared data).</summary>
    public int? Relevance { get; init; }

    /// <summary>Gets the LLM's novelty score (1–10) when the line gives one.</summary>
    public int? Novelty { get; init; }
}
