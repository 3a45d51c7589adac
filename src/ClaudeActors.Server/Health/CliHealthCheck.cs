using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ClaudeActors.Server.Health;

/// <summary>Ready: the CLI binary was found and answered <c>--version</c> (<see cref="CliProbe"/>, at start-up).</summary>
internal sealed class CliHealthCheck(CliProbe probe) : IHealthCheck
{
    public const string Name = "cli";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(ComponentHealth.Result(Status(probe.Status)));

    public static ComponentStatus Status(CliStatus cli) => cli.Found ? ComponentStatus.Working : new ComponentStatus(false, cli.Error, null);
}
