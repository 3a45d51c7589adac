using Akka.Cluster.Sharding;

namespace ClaudeActors.Usage;

/// <summary>Routes a <see cref="IUsageCommand"/> to its tenant's ledger.</summary>
internal sealed class UsageMessageExtractor(int shards) : HashCodeMessageExtractor(shards)
{
    public override string? EntityId(object message) => (message as IUsageCommand)?.Tenant;
}
