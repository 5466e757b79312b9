using System.Runtime.CompilerServices;
using System.Text.Json;
using ArxivRank.Serialization;

namespace ArxivRank;

/// <summary>
/// Reads and writes papers as JSON lines: one <see cref="Paper"/> object per line, camelCase, the shape
/// <c>arxivrank fetch</c> writes and <c>arxivrank score --papers</c> reads (documented in docs/formats.md).
/// </summary>
public static class PaperJsonLines
{
    /// <summary>Serializes one paper as a single line of JSON (no trailing newline).</summary>
    /// <param name="paper">The paper.</param>
    /// <returns>The JSON text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="paper"/> is <see langword="null"/>.</exception>
    public static string Serialize(Paper paper)
    {
        ArgumentNullException.ThrowIfNull(paper);
        return JsonSerializer.Serialize(paper, ArxivRankJsonContext.Default.Paper);
    }

    /// <summary>Writes papers, one JSON object per line.</summary>
    /// <param name="papers">The papers.</param>
    /// <param name="writer">Where to write.</param>
    /// <param name="cancellationToken">Cancels the writing.</param>
    /// <returns>A task that completes when every paper is written.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="papers"/> or <paramref name="writer"/> is <see langword="null"/>.</exception>
    public static async Task WriteAsync(IEnumerable<Paper> papers, TextWriter writer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(papers);
        ArgumentNullException.ThrowIfNull(writer);
        foreach (var paper in papers)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await writer.WriteLineAsync(Serialize(paper).AsMemory(), cancellationToken).ConfigureAwait(false);
        }

        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads papers written one per line. A line that is not a paper becomes an error entry, never an exception; blank lines are skipped.</summary>
    /// <param name="reader">Where to read.</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    /// <returns>Each line's paper, or its line number and error.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> is <see langword="null"/>.</exception>
    public static async IAsyncEnumerable<PaperLine> ReadAsync(TextReader reader, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        int lineNumber = 0;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            Paper? paper = null;
            string? error = null;
            try
            {
                paper = JsonSerializer.Deserialize(line, ArxivRankJsonContext.Default.Paper);
                if (paper is null)
                {
                    error = "the line is JSON null, not a paper object";
                }
                else if (paper.Id.IsEmpty)
                {
                    error = "the paper has no id";
                }
            }
            catch (JsonException ex)
            {
                error = ex.Message;
            }

            yield return error is null ? new PaperLine(lineNumber, paper, null) : new PaperLine(lineNumber, null, error);
        }
    }
}

/// <summary>One line of a papers file: a paper, or why the line is not one.</summary>
/// <param name="LineNumber">The 1-based line number.</param>
/// <param name="Paper">The paper, when the line is one.</param>
/// <param name="Error">Why the line is not a paper, when it is not.</param>
public sealed record PaperLine(int LineNumber, Paper? Paper, string? Error);
