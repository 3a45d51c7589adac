namespace ClaudeActors.Usage;

/// <summary>The typed key of the usage ledgers' shard region (<c>IRequiredActor&lt;UsageRegion&gt;</c>).</summary>
internal sealed class UsageRegion;
