using ArxivRank.Cli.Snapshot;
using ArxivRank.Pipeline;
using ArxivRank.Rendering;
using ArxivRank.Scoring;
using ArxivRank.Sources;
using Microsoft.Extensions.FileProviders;

namespace ArxivRank.Host;

/// <summary>Builds the host: ArxivRank services, the daily scheduler, and the archive served as static files.</summary>
public static class HostApp
{
    /// <summary>Builds the web application; <paramref name="configure"/> lets tests override settings and services.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);

        var options = builder.Configuration.GetSection("Digest").Get<DigestHostOptions>() ?? new DigestHostOptions();
        options.ArchiveDirectory = Path.GetFullPath(options.ArchiveDirectory, builder.Environment.ContentRootPath);
        options.StorePath = Path.GetFullPath(options.StorePath, builder.Environment.ContentRootPath);
        Directory.CreateDirectory(options.ArchiveDirectory);
        builder.Services.AddSingleton(options);

        // ArxivRank: sources (typed HttpClients with resilience), the pipeline, the SQLite store and score cache.
        builder.Services.AddArxivSources();
        builder.Services.AddArxivRank(o =>
            {
                o.Categories = options.Categories;
                o.SkipProcessedCheck = options.Source == "snapshot"; // the snapshot is always the same day
            })
            .UseSource(sp => options.Source switch
            {
                "snapshot" => new SnapshotSource(),
                "rss" => sp.GetRequiredKeyedService<IArxivSource>(ArxivSourceKind.Rss),
                "api" => sp.GetRequiredKeyedService<IArxivSource>(ArxivSourceKind.Api),
                _ => throw new InvalidOperationException($"Digest:Source must be snapshot, rss or api, not '{options.Source}'."),
            })
            .UseScorer(_ => PaperScorers.CreateLexical(ScoringCriteria.Example))
            .AddRenderer(_ => DigestRenderers.Html())
            .AddRenderer(_ => DigestRenderers.Markdown())
            .AddRenderer(_ => DigestRenderers.Json());
        builder.Services.AddArxivRankSqlite(o => o.Path = options.StorePath);

        // The daily schedule.
        builder.Services.AddSingleton<DigestJob>();
        builder.Services.AddSingleton(new DailySchedule(options.RunAt, TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone)));
        builder.Services.AddHostedService(sp => new DigestScheduler(
            sp.GetRequiredService<DailySchedule>(),
            ct => sp.GetRequiredService<DigestJob>().RunAsync(ct),
            options.CheckInterval,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<DigestScheduler>>()));

        var app = builder.Build();
        var files = new PhysicalFileProvider(options.ArchiveDirectory);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        app.MapPost("/run", async (DigestJob job, CancellationToken ct) =>
        {
            try
            {
                var result = await job.RunAsync(ct);
                return Results.Ok(new { status = result.Status.ToString(), date = result.AnnouncementDate, selected = result.Statistics.Selected });
            }
            catch (RunLeaseHeldException ex)
            {
                // Another run (the CLI from cron, the schedule) holds the store: one run at a time.
                return Results.Conflict(new { status = "StoreBusy", message = ex.Message });
            }
        });
        if (options.RunOnStart)
        {
            app.Lifetime.ApplicationStarted.Register(() => _ = app.Services.GetRequiredService<DigestJob>().RunAsync(app.Lifetime.ApplicationStopping));
        }

        return app;
    }
}
