using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace ClaudeActors.Usage;

internal static class UsageHostingExtensions
{
    /// <summary>Shards of the usage ledgers; a fixed number, the same on every node.</summary>
    public const int ShardCount = 20;

    /// <summary>
    /// The usage ledgers' shard region: one persistent entity per tenant, passivated when idle. Attached to the node's
    /// <see cref="UsageClient"/> once started.
    /// </summary>
    public static AkkaConfigurationBuilder WithUsageLedgers(this AkkaConfigurationBuilder builder, IServiceProvider services)
    {
        var client = services.GetRequiredService<UsageClient>();
        return builder
            .WithShardRegion<UsageRegion>(
                "usage",
                UsageLedger.Props,
                new UsageMessageExtractor(ShardCount),
                new ShardOptions
                {
                    RememberEntities = false,
                    StateStoreMode = StateStoreMode.DData,
                    PassivateIdleEntityAfter = TimeSpan.FromMinutes(10),
                })
            .WithActors((_, registry) => client.Attach(registry.Get<UsageRegion>()));
    }
}
