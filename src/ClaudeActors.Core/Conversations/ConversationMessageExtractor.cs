using Akka.Cluster.Sharding;

namespace ClaudeActors.Conversations;

/// <summary>Routes a <see cref="IConversationCommand"/> to its conversation's entity, spread over a fixed number of shards.</summary>
internal sealed class ConversationMessageExtractor(int shards) : HashCodeMessageExtractor(shards)
{
    public override string? EntityId(object message) => (message as IConversationCommand)?.ConversationId;
}
