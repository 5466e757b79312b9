using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ArxivRank.Import;
using ArxivRank.Rendering;

namespace ArxivRank.Cli.Commands;

/// <summary>
/// <c>arxivrank render --input FILE --format markdown|html|json|slack [--out PATH] [--date YYYY-MM-DD]</c>: renders a
/// digest (our JSON, or a day file of the Python tool, detected) to stdout, a file, or a folder.
/// </summary>
internal static class RenderCommand
{
    public static Command Create(CliContext context)
    {
        var input = new Option<string>("--input", "-i")
        {
            Description = "The digest: our JSON (schemaVersion) or a Python tool day file (YYYY-MM-DD-output.json); '-' reads stdin.",
            Required = true,
        };
        var format = new Option<string>("--format", "-f")
        {
            Description = "The output format.",
            Required = true,
        };
        format.AcceptOnlyFromAmong([.. DigestRenderers.Formats]);
        var output = new Option<string?>("--out", "-o")
        {
            Description = "A file for markdown/html/json, or a folder (existing, ending with '/', or for slack). Without it the result goes to stdout (slack: one message per line).",
        };
        var date = new Option<string?>("--date")
        {
            Description = "The digest's day, YYYY-MM-DD; for a Python day file it defaults to the date in the file name.",
        };

        var command = new Command("render", "Render a digest as Markdown, HTML, JSON or Slack Block Kit messages.") { input, format, output, date };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            context,
            parseResult.GetValue(input)!,
            parseResult.GetValue(format)!,
            parseResult.GetValue(output),
            parseResult.GetValue(date),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, string input, string format, string? outPath, string? dateText, CancellationToken cancellationToken)
    {
        DateOnly? date = null;
        if (dateText is not null)
        {
            if (!DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                await context.Error.WriteLineAsync($"render: --date '{dateText}' is not a date written YYYY-MM-DD.");
                return ExitCodes.Usage;
            }

            date = parsed;
        }

        byte[] bytes;
        try
        {
            bytes = input == "-" ? Encoding.UTF8.GetBytes(await context.OpenStdin().ReadToEndAsync(cancellationToken)) : await File.ReadAllBytesAsync(input, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await context.Error.WriteLineAsync($"render: cannot read '{input}': {ex.Message}");
            return ExitCodes.Failure;
        }

        Digest digest;
        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            if (DigestJson.IsDigest(root))
            {
                digest = DigestJson.Read(root);
                if (date is { } d)
                {
                    digest = digest with { Date = d };
                }
            }
            else if (PythonDayFile.IsDayFile(root))
            {
                if (date is null && PythonDayFile.TryGetDate(input, out var fromName))
                {
                    date = fromName;
                }

                if (date is not { } day)
                {
                    await context.Error.WriteLineAsync($"render: '{input}' is a day file of the Python tool, but its name does not start with the day; name it YYYY-MM-DD-output.json or pass --date YYYY-MM-DD.");
                    return ExitCodes.Usage;
                }

                var import = PythonDayFile.Read(root, day);
                foreach (var diagnostic in import.Diagnostics)
                {
                    await context.Error.WriteLineAsync($"render: warning: {diagnostic.Key}: {diagnostic.Message}");
                }

                digest = import.Digest;
            }
            else
            {
                await context.Error.WriteLineAsync($"render: '{input}' is neither an ArxivRank digest (an object with schemaVersion) nor a day file of the Python tool ({{arxivId: {{ARXIVID, COMMENT, RELEVANCE, NOVELTY, title, authors, abstract}}}}).");
                return ExitCodes.Failure;
            }
        }
        catch (JsonException ex)
        {
            await context.Error.WriteLineAsync($"render: '{input}' is not valid JSON: {ex.Message}");
            return ExitCodes.Failure;
        }
        catch (DigestFormatException ex)
        {
            await context.Error.WriteLineAsync($"render: '{input}': {ex.Message}");
            return ExitCodes.Failure;
        }

        var renderer = DigestRenderers.Create(format);
        try
        {
            if (outPath is null)
            {
                var memory = new MemoryDigestOutput();
                await renderer.RenderAsync(digest, memory, cancellationToken);
                await WriteToStdoutAsync(context, memory, format);
                return ExitCodes.Success;
            }

            bool toFolder = format == "slack" || Directory.Exists(outPath) || outPath.EndsWith('/') || outPath.EndsWith(Path.DirectorySeparatorChar);
            if (toFolder)
            {
                var folder = new DirectoryDigestOutput(outPath);
                await renderer.RenderAsync(digest, folder, cancellationToken);
                await context.Error.WriteLineAsync($"render: wrote {folder.WrittenFiles.Count} file(s) under {Path.GetFullPath(outPath)}");
                return ExitCodes.Success;
            }

            var single = new MemoryDigestOutput();
            await renderer.RenderAsync(digest, single, cancellationToken);
            string full = Path.GetFullPath(outPath);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllBytesAsync(full, single.GetBytes(single.Names.Single()), cancellationToken);
            await context.Error.WriteLineAsync($"render: wrote {full}");
            return ExitCodes.Success;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await context.Error.WriteLineAsync($"render: cannot write '{outPath}': {ex.Message}");
            return ExitCodes.Failure;
        }
    }

    private static async Task WriteToStdoutAsync(CliContext context, MemoryDigestOutput memory, string format)
    {
        if (format != "slack")
        {
            await context.Out.WriteAsync(memory.GetText(memory.Names.Single()));
            return;
        }

        // Slack: one compact message per line (JSON lines), header message first.
        foreach (string name in memory.Names)
        {
            using var message = JsonDocument.Parse(memory.GetBytes(name));
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                message.RootElement.WriteTo(writer);
            }

            await context.Out.WriteLineAsync(Encoding.UTF8.GetString(buffer.ToArray()));
        }
    }
}
