using System.Text.Json.Serialization;
using ClaudeActors.Workers;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ClaudeActors.Server.Health;

/// <summary>
/// <c>GET /health</c>: liveness (always 200 while the server runs) with readiness in the body: whether the CLI binary
/// was found, its version, the server's folders, the journal as its last calls found it, and the workers' load.
/// <c>GET /health/ready</c> answers 503 until the CLI is usable, and whenever the folders are missing or the journal
/// does not take a write (it probes with one, so a journal that failed is ready again once it works).
/// </summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet(
            "/health",
            async (CliProbe probe, ReadinessCheck readiness, WorkerPool pool, CancellationToken cancellationToken) =>
                TypedResults.Ok(Report(probe, await readiness.CurrentAsync(cancellationToken), pool)));
        app.MapGet("/health/ready", ReadyAsync);
        return app;
    }

    private static async Task<Results<Ok<HealthReport>, JsonHttpResult<HealthReport>>> ReadyAsync(
        CliProbe probe, ReadinessCheck readiness, WorkerPool pool, CancellationToken cancellationToken)
    {
        var report = Report(probe, await readiness.CheckAsync(cancellationToken), pool);
        return report.Ready ? TypedResults.Ok(report) : TypedResults.Json(report, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static HealthReport Report(CliProbe probe, (ComponentStatus Workspace, ComponentStatus Journal) needs, WorkerPool pool)
    {
        var cli = probe.Status;
        var ready = cli.Found && needs.Workspace.Ok && needs.Journal.Ok;
        return new HealthReport(
            ready ? "ok" : "degraded", ready, cli, needs.Workspace, needs.Journal, new WorkerLoad(pool.MaxConcurrency, pool.Active, pool.Queued));
    }

    public sealed record HealthReport(
        [property: JsonPropertyName("status")] string Status,
        [property: JsonPropertyName("ready")] bool Ready,
        [property: JsonPropertyName("cli")] CliStatus Cli,
        [property: JsonPropertyName("workspace")] ComponentStatus Workspace,
        [property: JsonPropertyName("journal")] ComponentStatus Journal,
        [property: JsonPropertyName("workers")] WorkerLoad Workers);

    public sealed record WorkerLoad(
        [property: JsonPropertyName("max")] int Max,
        [property: JsonPropertyName("active")] int Active,
        [property: JsonPropertyName("queued")] int Queued);
}
