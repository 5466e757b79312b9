using System.Globalization;
using ArxivRank.Pipeline;
using ArxivRank.PostgreSql;
using ArxivRank.Rendering;
using ArxivRank.Service.Grains;

namespace ArxivRank.Service;

/// <summary>The HTTP API: any node answers any request.</summary>
public static class ServiceApi
{
    /// <summary>Maps the API.</summary>
    /// <param name="app">The application.</param>
    /// <returns>The application.</returns>
    public static WebApplication MapArxivRankApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/healthz", (NodeReadiness readiness) => readiness.IsReady ? Results.Text("ok") : Results.Text("starting", statusCode: 503));
        app.MapPut("/readers/{id}", PutReaderAsync);
        app.MapPost("/runs", StartRunAsync);
        app.MapGet("/runs/{date}", GetRunAsync);
        app.MapGet("/readers/{id}/digests/{date}", GetDigestAsync);
        return app;
    }

    private static async Task<IResult> PutReaderAsync(string id, HttpRequest request, ServiceNode node, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (!ReaderIds.IsValid(id))
        {
            return Problem(400, $"'{id}' is not a valid reader id: 1–{ReaderIds.MaxLength} ASCII letters, digits, '.', '_' or '-', not starting with '.'.");
        }

        using var reader = new StreamReader(request.Body);
        string body = await reader.ReadToEndAsync(cancellationToken);
        var (profile, error) = ServiceProfiles.ParseForPut(body);
        if (profile is null)
        {
            return Problem(400, error!);
        }

        var problems = ServiceProfiles.Problems(node.Defaults.With(profile));
        if (problems.Count > 0)
        {
            return Problem(400, string.Join(" ", problems));
        }

        bool created = await node.Database.PutReaderProfileAsync(id, body, cancellationToken);
        await grains.GetGrain<IReaderGrain>(id).ScheduleAsync();
        return created ? Results.Created($"/readers/{id}", null) : Results.Ok();
    }

    private static async Task<IResult> StartRunAsync(ServiceNode node, IGrainFactory grains)
    {
        var started = await grains.GetGrain<IRunsGrain>(0).StartAsync(node.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        return started.Date is null
            ? Results.Json(new RunStarted(null, "no-announcement"), ServiceJsonContext.Default.RunStarted)
            : Results.Json(started, ServiceJsonContext.Default.RunStarted, statusCode: 202);
    }

    private static async Task<IResult> GetRunAsync(string date, IGrainFactory grains)
    {
        if (!TryDay(date, out _))
        {
            return Problem(400, $"'{date}' is not a date as YYYY-MM-DD.");
        }

        var progress = await grains.GetGrain<IRunGrain>(date).GetProgressAsync();
        return Results.Json(progress, ServiceJsonContext.Default.RunProgress);
    }

    private static async Task<IResult> GetDigestAsync(string id, string date, ServiceNode node, CancellationToken cancellationToken)
    {
        if (!ReaderIds.IsValid(id) || !TryDay(date, out var day) || await node.Database.GetReaderProfileAsync(id, cancellationToken) is null)
        {
            return Problem(404, $"No reader '{id}', or '{date}' is not a date as YYYY-MM-DD.");
        }

        if (await node.Database.ForReader(id).LoadDigestAsync(day, cancellationToken) is { } digest)
        {
            using var json = new MemoryStream();
            await DigestJson.WriteAsync(digest, json, cancellationToken: cancellationToken);
            return Results.Bytes(json.ToArray(), "application/json");
        }

        var run = (await node.Database.GetReaderRunsAsync(day, cancellationToken)).FirstOrDefault(r => r.ReaderId == id);
        return run?.Status switch
        {
            ReaderRunStatus.Pending => Results.Json(new RunStarted(date, "pending"), ServiceJsonContext.Default.RunStarted, statusCode: 202),
            ReaderRunStatus.Failed => Problem(500, $"The digest of {date} failed: {run.Error}"),
            _ => Problem(404, $"Reader '{id}' has no digest for {date} (no run that day, or nothing announced in its categories)."),
        };
    }

    private static bool TryDay(string text, out DateOnly day) => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);

    private static IResult Problem(int status, string message) => Results.Json(new ProblemBody(message), ServiceJsonContext.Default.ProblemBody, statusCode: status);
}
