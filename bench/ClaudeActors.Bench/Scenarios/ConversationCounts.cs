using ClaudeActors.Conversations;

namespace ClaudeActors.Bench.Scenarios;

/// <summary>The gateway's warm processes and live conversations, read from its actors for the memory scenario's log.</summary>
internal sealed class ConversationCounts(ConversationClient conversations)
{
    public int WarmProcesses => conversations.ProcessesAsync(CancellationToken.None).GetAwaiter().GetResult().Warm;

    public int LiveConversations => conversations.LiveConversationsAsync(CancellationToken.None).GetAwaiter().GetResult();
}
