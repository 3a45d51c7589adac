using Akka.Actor;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ClaudeActors.Server.Health;

/// <summary>Live: the actor system runs (it stops only when the server shuts down or failed beyond repair).</summary>
internal sealed class ActorSystemHealthCheck(IServiceProvider services) : IHealthCheck
{
    public const string Name = "actor-system";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var system = services.GetService<ActorSystem>();
        return Task.FromResult(system is not null && !system.WhenTerminated.IsCompleted
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("the actor system is not running"));
    }
}
