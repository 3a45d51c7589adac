using Akka.Actor;
using Akka.Cluster;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ClaudeActors.Server.Health;

/// <summary>
/// Ready: this node is an <c>Up</c> member of its cluster (a node alone joins itself at start-up; a node of a cluster
/// is not ready until its seed nodes let it in, nor once it is leaving). Reads the cluster's read view, no mailbox.
/// </summary>
internal sealed class ClusterMemberHealthCheck(IServiceProvider services) : IHealthCheck
{
    public const string Name = "cluster";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(ComponentHealth.Result(Status()));

    public ComponentStatus Status()
    {
        var system = services.GetService<ActorSystem>();
        if (system is null || system.WhenTerminated.IsCompleted)
        {
            return new ComponentStatus(false, "the actor system is not running", null);
        }

        var self = Akka.Cluster.Cluster.Get(system).SelfMember;
        return self.Status == MemberStatus.Up
            ? ComponentStatus.Working
            : new ComponentStatus(false, $"this node is not an Up member of its cluster (it is {self.Status})", null);
    }
}
