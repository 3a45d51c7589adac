using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ClaudeActors.Server.Health;

/// <summary>Ready: the journal takes a write now (a probe write), and the conversation index has caught up with it.</summary>
internal sealed class JournalHealthCheck(ReadinessCheck readiness) : IHealthCheck
{
    public const string Name = "journal";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        ComponentHealth.Result(await readiness.JournalAsync(cancellationToken));
}
