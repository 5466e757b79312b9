using System.CommandLine;
using System.Globalization;
using ArxivRank.Cli.Daily;
using ArxivRank.Delivery;
using ArxivRank.Email;
using ArxivRank.Pipeline;
using ArxivRank.Profiles;
using ArxivRank.Sqlite;
using Microsoft.Extensions.Logging;

namespace ArxivRank.Cli.Commands;

/// <summary><c>arxivrank deliver --date D</c>: sends a day from the store again, on purpose, to every target of <c>deliver</c>.</summary>
internal static class DeliverCommand
{
    private const string Name = "deliver";

    public static Command Create(CliContext context)
    {
        var config = new Option<string?>("--config") { Description = "A JSON profile (docs/configuration.md); command-line flags win.", HelpName = "FILE" };
        var date = new Option<string>("--date") { Description = "The announcement day (yyyy-MM-dd) whose stored digest to send.", HelpName = "DAY", Required = true };
        var store = new Option<string?>("--store") { Description = $"The store file (default ${DigestCommand.StoreVariable}, else the default store).", HelpName = "PATH" };
        var pending = new Option<bool>("--pending-only") { Description = "Send only to targets that do not have the day yet (default: send to every target again)." };
        var delivery = new DeliveryFlags();
        var command = new Command("deliver", "Send a stored day's digest again (Slack, webhook, email), without fetching or scoring.");
        foreach (var option in new Option[] { config, date, store, pending }.Concat(delivery.All))
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var flags = delivery.Apply(parseResult.CommandResult, new ReaderProfile { Store = parseResult.GetValue(store) is { } s ? Path.GetFullPath(s) : null });
            return await RunAsync(context, flags, parseResult.GetValue(config), parseResult.GetValue(date)!, !parseResult.GetValue(pending), cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, ReaderProfile flags, string? configPath, string dateText, bool resend, CancellationToken cancellationToken)
    {
        var error = context.Error;
        ReaderProfile profile;
        DateOnly day;
        try
        {
            profile = await DigestRun.LoadProfileAsync(context, flags, configPath, cancellationToken);
            ReaderProfileValidator.ThrowIfInvalid(profile);
            if (!DateOnly.TryParseExact(dateText.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
            {
                throw new ReaderProfileException($"--date '{dateText}' is not a date in yyyy-MM-dd form.");
            }

            if (profile.Deliver is not { Count: > 0 })
            {
                throw new ReaderProfileException("nothing to deliver to: pass --deliver slack,email (or set deliver in the profile).");
            }
        }
        catch (ReaderProfileException ex)
        {
            await error.WriteLineAsync($"{Name}: {ex.Message} Flags and keys: docs/delivery.md, docs/configuration.md.");
            return ExitCodes.Usage;
        }

        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(new ErrorWriterLoggerProvider(error)).SetMinimumLevel(LogLevel.Warning));
        IDigestStore digestStore;
        try
        {
            digestStore = ReaderProfileStore.Open(profile);
        }
        catch (DigestStoreException ex)
        {
            await error.WriteLineAsync($"{Name}: error: the store cannot be opened: {ex.Message} Pass another file with --store PATH.");
            return ExitCodes.Failure;
        }

        using (digestStore as IDisposable)
        {
            try
            {
                var services = new ReaderPipelineServices { Environment = context.GetEnvironmentVariable, LoggerFactory = loggerFactory };
                if (ReaderProfileEmail.Create(profile, context.GetEnvironmentVariable, loggerFactory: loggerFactory) is { } email)
                {
                    services.Deliverers.Add(email);
                }

                var deliverers = ReaderPipelineFactory.CreateDeliverers(profile, services);
                var digest = await digestStore.LoadDigestAsync(day, cancellationToken);
                if (digest is null)
                {
                    await error.WriteLineAsync($"{Name}: error: the store has no digest of {dateText}: build it first (arxivrank digest --source api --date {dateText}).");
                    return ExitCodes.Failure;
                }

                var report = await new DigestDelivery(deliverers, digestStore as IDeliveryStore, logger: loggerFactory.CreateLogger<DigestDelivery>()).DeliverAsync(digest, resend, cancellationToken);
                int code = await DigestRun.ReportDeliveryAsync(context, Name, report);
                (deliverers as IEnumerable<IDigestDeliverer>).OfType<IDisposable>().ToList().ForEach(d => d.Dispose());
                return code;
            }
            catch (ReaderProfileException ex)
            {
                await error.WriteLineAsync($"{Name}: error: {ex.Message}");
                return ExitCodes.Failure;
            }
            catch (DigestStoreException ex)
            {
                await error.WriteLineAsync($"{Name}: error: the store failed: {ex.Message} Pass another file with --store PATH.");
                return ExitCodes.Failure;
            }
        }
    }
}
