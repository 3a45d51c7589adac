using System.Text.Json.Serialization;
using ClaudeActors.Workers;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ClaudeActors.Server.Health;

/// <summary>
/// <c>GET /health</c>: liveness (always 200 while the server runs) with readiness in the body: whether the CLI binary
/// was found, its version, and the workers' load. <c>GET /health/ready</c> answers 503 until the CLI is usable.
/// </summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", (CliProbe probe, WorkerPool pool) => TypedResults.Ok(Report(probe, pool)));
        app.MapGet("/health/ready", Ready);
        return app;
    }

    private static Results<Ok<HealthReport>, JsonHttpResult<HealthReport>> Ready(CliProbe probe, WorkerPool pool)
    {
        var report = Report(probe, pool);
        return report.Ready ? TypedResults.Ok(report) : TypedResults.Json(report, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static HealthReport Report(CliProbe probe, WorkerPool pool)
    {
        var cli = probe.Status;
        return new HealthReport(cli.Found ? "ok" : "degraded", cli.Found, cli, new WorkerLoad(pool.MaxConcurrency, pool.Active, pool.Queued));
    }

    public sealed record HealthReport(
        [property: JsonPropertyName("status")] string Status,
        [property: JsonPropertyName("ready")] bool Ready,
        [property: JsonPropertyName("cli")] CliStatus Cli,
        [property: JsonPropertyName("workers")] WorkerLoad Workers);

    public sealed record WorkerLoad(
        [property: JsonPropertyName("max")] int Max,
        [property: JsonPropertyName("active")] int Active,
        [property: JsonPropertyName("queued")] int Queued);
}
