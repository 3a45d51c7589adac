using System.Text.Json.Serialization;
using ClaudeActors.Workers;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ClaudeActors.Server.Health;

/// <summary>
/// ASP.NET Core health checks behind three endpoints. <c>GET /health/live</c>: liveness (the actor system runs).
/// <c>GET /health</c>: always 200 while the server runs, with readiness in the body: whether the CLI binary was found,
/// its version, the server's folders, the journal as its last calls found it, the cluster membership and the workers'
/// load. <c>GET /health/ready</c> runs the checks tagged <see cref="HealthTags.Ready"/> and answers 503 until the CLI is
/// usable, and whenever the folders are missing, the journal does not take a write (it probes with one, so a journal
/// that failed is ready again once it works) or this node is not an Up member of its cluster.
/// </summary>
internal static class HealthEndpoints
{
    /// <summary>Registers the checks: liveness and the four readiness components.</summary>
    public static IServiceCollection AddClaudeActorsHealthChecks(this IServiceCollection services)
    {
        services.AddSingleton<ClusterMemberHealthCheck>();
        services.AddHealthChecks()
            .AddCheck<ActorSystemHealthCheck>(ActorSystemHealthCheck.Name, tags: [HealthTags.Live])
            .AddCheck<CliHealthCheck>(CliHealthCheck.Name, tags: [HealthTags.Ready])
            .AddCheck<WorkspaceHealthCheck>(WorkspaceHealthCheck.Name, tags: [HealthTags.Ready])
            .AddCheck<JournalHealthCheck>(JournalHealthCheck.Name, tags: [HealthTags.Ready])
            .AddCheck<ClusterMemberHealthCheck>(ClusterMemberHealthCheck.Name, tags: [HealthTags.Ready]);
        return services;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet(
            "/health",
            async (CliProbe probe, ReadinessCheck readiness, ClusterMemberHealthCheck cluster, WorkerPool pool, CancellationToken cancellationToken) =>
            {
                var (workspace, journal) = await readiness.CurrentAsync(cancellationToken);
                return TypedResults.Ok(Report(probe.Status, CliHealthCheck.Status(probe.Status), workspace, journal, cluster.Status(), pool));
            });
        app.MapGet("/health/ready", ReadyAsync);
        // A handler, not MapHealthChecks: that reads the checks' options while the app is built, and Akka.Hosting's
        // part of them builds the actor system's configuration, so a bad setting would throw there instead of at start.
        app.MapGet("/health/live", LiveAsync);
        return app;
    }

    private static async Task<IResult> LiveAsync(HealthCheckService checks, CancellationToken cancellationToken)
    {
        var result = await checks.CheckHealthAsync(check => check.Tags.Contains(HealthTags.Live), cancellationToken);
        return TypedResults.Text(
            result.Status.ToString(),
            "text/plain",
            statusCode: result.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
    }

    private static async Task<Results<Ok<HealthReport>, JsonHttpResult<HealthReport>>> ReadyAsync(
        CliProbe probe, HealthCheckService checks, WorkerPool pool, CancellationToken cancellationToken)
    {
        var result = await checks.CheckHealthAsync(check => check.Tags.Contains(HealthTags.Ready), cancellationToken);
        ComponentStatus Component(string name) =>
            result.Entries.TryGetValue(name, out var entry) ? ComponentHealth.Of(entry) : new ComponentStatus(false, "not checked", null);

        var report = Report(
            probe.Status,
            Component(CliHealthCheck.Name),
            Component(WorkspaceHealthCheck.Name),
            Component(JournalHealthCheck.Name),
            Component(ClusterMemberHealthCheck.Name),
            pool);
        return report.Ready && result.Status == HealthStatus.Healthy
            ? TypedResults.Ok(report)
            : TypedResults.Json(report, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static HealthReport Report(CliStatus cli, ComponentStatus cliReady, ComponentStatus workspace, ComponentStatus journal, ComponentStatus cluster, WorkerPool pool)
    {
        var ready = cliReady.Ok && workspace.Ok && journal.Ok && cluster.Ok;
        return new HealthReport(
            ready ? "ok" : "degraded", ready, cli, workspace, journal, cluster, new WorkerLoad(pool.MaxConcurrency, pool.Active, pool.Queued));
    }

    public sealed record HealthReport(
        [property: JsonPropertyName("status")] string Status,
        [property: JsonPropertyName("ready")] bool Ready,
        [property: JsonPropertyName("cli")] CliStatus Cli,
        [property: JsonPropertyName("workspace")] ComponentStatus Workspace,
        [property: JsonPropertyName("journal")] ComponentStatus Journal,
        [property: JsonPropertyName("cluster")] ComponentStatus Cluster,
        [property: JsonPropertyName("workers")] WorkerLoad Workers);

    public sealed record WorkerLoad(
        [property: JsonPropertyName("max")] int Max,
        [property: JsonPropertyName("active")] int Active,
        [property: JsonPropertyName("queued")] int Queued);
}
