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
