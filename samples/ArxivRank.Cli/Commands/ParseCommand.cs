using System.Buffers;
using System.CommandLine;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ArxivRank.Parsing;
using ArxivRank.Scoring;

namespace ArxivRank.Cli.Commands;

/// <summary>
/// <c>arxivrank parse [--ids FILE] [FILE|-]</c>: a raw model answer in, one clean score per line out (stdout), one
/// diagnostic per line (stderr). Reads as a stream, so scores appear while a model's answer is still being piped in.
/// </summary>
internal static class ParseCommand
{
    private const int ChunkSize = 16 * 1024;
    private const int MaxRawExcerpt = 160;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create(CliContext context)
    {
        var input = new Argument<string>("answer")
        {
            Description = "The file holding the model's raw answer, or - (the default) to read standard input.",
            Arity = ArgumentArity.ZeroOrOne,
            DefaultValueFactory = _ => "-",
        };
        var ids = new Option<string?>("--ids")
        {
            Description = "A file listing the batch's arXiv ids, one per line (# starts a comment). Records for other ids are rejected, and ids the answer did not cover are reported as missing.",
            HelpName = "FILE",
        };
        var command = new Command("parse", "Parse a model's raw JSONL answer into one JSON score per line (stdout) and one diagnostic per line (stderr). Exit code 0 when the answer was read, even with diagnostics.");
        command.Arguments.Add(input);
        command.Options.Add(ids);
        command.SetAction((parseResult, cancellationToken) => RunAsync(context, parseResult.GetValue(input) ?? "-", parseResult.GetValue(ids), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, string input, string? idsPath, CancellationToken cancellationToken)
    {
        IReadOnlyList<ArxivId>? batch = null;
        if (idsPath is not null)
        {
            var (read, error) = await ReadIdsAsync(idsPath, cancellationToken);
            if (error is not null)
            {
                await context.Error.WriteLineAsync($"arxivrank parse: {error}");
                return ExitCodes.Failure;
            }

            batch = read;
        }

        TextReader reader;
        bool ownsReader = input != "-";
        try
        {
            reader = ownsReader ? new StreamReader(input, Encoding.UTF8, detectEncodingFromByteOrderMarks: true) : context.OpenStdin();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            await context.Error.WriteLineAsync($"arxivrank parse: cannot read the answer file '{input}': {ex.Message}");
            return ExitCodes.Failure;
        }

        try
        {
            var parser = new ScoreResponseParser();
            await foreach (var item in parser.ParseStreamingAsync(ReadChunksAsync(reader, cancellationToken), batch, cancellationToken))
            {
                switch (item.Kind)
                {
                    case ScoreParseEventKind.Score:
                        await context.Out.WriteLineAsync(FormatScore(item.Score!));
                        break;
                    case ScoreParseEventKind.Diagnostic:
                        await context.Error.WriteLineAsync(FormatDiagnostic(item.Diagnostic!));
                        break;
                    default:
                        foreach (var missing in item.MissingIds!)
                        {
                            await context.Error.WriteLineAsync($"missing: {missing}: the answer has no usable score for this batch paper");
                        }

                        break;
                }
            }

            await context.Out.FlushAsync(cancellationToken);
            return ExitCodes.Success;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DecoderFallbackException)
        {
            await context.Error.WriteLineAsync($"arxivrank parse: cannot read the answer{(ownsReader ? $" file '{input}'" : " from standard input")}: {ex.Message}");
            return ExitCodes.Failure;
        }
        finally
        {
            if (ownsReader)
            {
                reader.Dispose();
            }
        }
    }

    /// <summary>Writes <c>{"arxivId":"2502.12851","version":2,"relevance":10,"novelty":9,"comment":"…"}</c>; version, novelty and comment only when known.</summary>
    internal static string FormatScore(PaperScore score)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("arxivId", score.PaperId.Id);
            if (score.PaperId.Version is { } version)
            {
                json.WriteNumber("version", version);
            }

            if (score.Relevance is { } relevance)
            {
                json.WriteNumber("relevance", relevance);
            }

            if (score.Novelty is { } novelty)
            {
                json.WriteNumber("novelty", novelty);
            }

            if (score.Comment is { } comment)
            {
                json.WriteString("comment", comment);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes <c>line 7: duplicate-id: reason | raw text</c> on one line (the raw text shortened, its line breaks folded).</summary>
    internal static string FormatDiagnostic(ScoreParseDiagnostic diagnostic)
    {
        var raw = new StringBuilder(Math.Min(diagnostic.RawText.Length, MaxRawExcerpt + 1));
        bool space = false;
        foreach (char c in diagnostic.RawText)
        {
            if (raw.Length >= MaxRawExcerpt)
            {
                raw.Append('…');
                break;
            }

            if (char.IsWhiteSpace(c))
            {
                space = raw.Length > 0;
                continue;
            }

            if (space)
            {
                raw.Append(' ');
                space = false;
            }

            raw.Append(c);
        }

        return raw.Length == 0
            ? $"line {diagnostic.LineNumber}: {diagnostic.Code}: {diagnostic.Reason}"
            : $"line {diagnostic.LineNumber}: {diagnostic.Code}: {diagnostic.Reason} | {raw}";
    }

    private static async Task<(IReadOnlyList<ArxivId>? Ids, string? Error)> ReadIdsAsync(string path, CancellationToken cancellationToken)
    {
        string[] lines;
        try
        {
            lines = await File.ReadAllLinesAsync(path, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return (null, $"cannot read the --ids file '{path}': {ex.Message}");
        }

        var ids = new List<ArxivId>(lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i].AsSpan().Trim();
            if (line.IsEmpty || line[0] == '#')
            {
                continue;
            }

            if (!ArxivId.TryParse(line, out var id, out string? error))
            {
                return (null, $"the --ids file '{path}' line {i + 1} is not an arXiv id: {error}");
            }

            ids.Add(id);
        }

        return (ids, null);
    }

    private static async IAsyncEnumerable<string> ReadChunksAsync(TextReader reader, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = new char[ChunkSize];
        int read;
        while ((read = await reader.ReadAsync(buffer.AsMemory(), cancellationToken)) > 0)
        {
            yield return new string(buffer, 0, read);
        }
    }
}
