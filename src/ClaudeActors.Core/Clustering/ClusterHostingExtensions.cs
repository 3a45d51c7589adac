using System.Globalization;
using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Hosting;
using Akka.Remote.Hosting;

namespace ClaudeActors.Clustering;

internal static class ClusterHostingExtensions
{
    /// <summary>
    /// Remoting and cluster membership from <see cref="ClusterNodeOptions"/>: the node's address, its seed nodes (none:
    /// it joins itself and forms a cluster of one), Akka's split-brain resolver with the keep-majority strategy (never
    /// auto-down), and coordinated-shutdown phases long enough for a draining node to hand its conversations over.
    /// Akka's own SIGTERM hook is off: the host runs the coordinated shutdown when it stops Akka, after Kestrel has let
    /// the node's running requests finish (up to the drain time). With the hook on, SIGTERM started the shutdown at
    /// once, alongside that drain, and the node left the cluster (4 s) while its clients still read turns from other
    /// nodes: those streams ended as <c>node_left</c> and their turns were stored as interrupted.
    /// </summary>
    public static AkkaConfigurationBuilder WithClaudeActorsCluster(this AkkaConfigurationBuilder builder, ClusterNodeOptions options)
    {
        var drain = options.Drain.TotalSeconds;
        var stableAfter = options.StableAfterSeconds;
        builder
            .WithRemoting(new RemoteOptions
            {
                HostName = options.Hostname,
                Port = options.Port,
                PublicHostName = string.IsNullOrWhiteSpace(options.PublicHostname) ? null : options.PublicHostname,
            })
            .WithClustering(new ClusterOptions
            {
                SeedNodes = [.. options.SeedNodes],
                SplitBrainResolver = new KeepMajorityOption(),
            })
            .AddHocon(
                $$"""
                akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
                akka.cluster.split-brain-resolver.stable-after = {{Seconds(stableAfter)}}
                akka.cluster.sharding.handoff-timeout = {{Seconds(Math.Max(60, drain + 10))}}
                akka.coordinated-shutdown.phases.cluster-sharding-shutdown-region.timeout = {{Seconds(drain + 10)}}
                """,
                HoconAddMode.Prepend)
            .WithActors((system, _) =>
            {
                if (!options.Clustered)
                {
                    // A node alone forms a cluster of one (sharding needs a member to place shards on).
                    var cluster = Cluster.Get(system);
                    cluster.Join(cluster.SelfAddress);
                }
            });
        return builder;
    }

    private static string Seconds(double seconds) => seconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
}
