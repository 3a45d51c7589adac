namespace ClaudeActors.Conversations;

/// <summary>The typed key of the conversations' shard region (<c>IRequiredActor&lt;ConversationRegion&gt;</c>).</summary>
internal sealed class ConversationRegion;
