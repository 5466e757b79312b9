using ArxivRank.Pipeline;
using ArxivRank.Profiles;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace ArxivRank.Host;

/// <summary>Builds the host: the reader profile (section <c>ArxivRank</c>), the daily scheduler, and the archive served as static files.</summary>
public static class HostApp
{
    /// <summary>Builds the web application; <paramref name="configure"/> lets tests override settings and services.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);

        // The reader: one profile, validated at start; relative paths are relative to the content root.
        string root = builder.Environment.ContentRootPath;
        builder.Services.AddReaderProfile(builder.Configuration.GetSection(ReaderProfile.SectionName)).PostConfigure(p =>
        {
            p.Out = Path.GetFullPath(p.Out ?? ReaderProfile.DefaultOut, root);
            p.Store = Path.GetFullPath(p.Store ?? "data/arxivrank.db", root);
            p.Criteria = p.Criteria is null ? null : Path.GetFullPath(p.Criteria, root);
            p.Ranker = p.Ranker is null ? null : Path.GetFullPath(p.Ranker, root);
        });
        var host = builder.Configuration.GetSection("Host").Get<DigestHostOptions>() ?? new DigestHostOptions();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<DigestJob>();
        builder.Services.AddSingleton(sp => DailySchedule.FromProfile(sp.GetRequiredService<IOptions<ReaderProfile>>().Value.Schedule));
        builder.Services.AddHostedService(sp => new DigestScheduler(
            sp.GetRequiredService<DailySchedule>(),
            ct => sp.GetRequiredService<DigestJob>().RunAsync(ct),
            host.CheckInterval,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<DigestScheduler>>()));

        var app = builder.Build();
        string archive = app.Services.GetRequiredService<IOptions<ReaderProfile>>().Value.Out!;
        Directory.CreateDirectory(archive);
        var files = new PhysicalFileProvider(archive);
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
        if (host.RunOnStart)
        {
            app.Lifetime.ApplicationStarted.Register(() => _ = app.Services.GetRequiredService<DigestJob>().RunAsync(app.Lifetime.ApplicationStopping));
        }

        return app;
    }
}
