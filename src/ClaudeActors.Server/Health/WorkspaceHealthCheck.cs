using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ClaudeActors.Server.Health;

/// <summary>Ready: the server's folders exist (made again when they were removed).</summary>
internal sealed class WorkspaceHealthCheck(ReadinessCheck readiness) : IHealthCheck
{
    public const string Name = "workspace";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(ComponentHealth.Result(readiness.Folders()));
}
