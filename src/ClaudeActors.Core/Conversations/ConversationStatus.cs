namespace ClaudeActors.Conversations;

/// <summary>Where a conversation's CLI process stands.</summary>
internal enum ConversationStatus
{
    /// <summary>No process; the next turn starts one with <c>--resume</c>.</summary>
    Idle,

    /// <summary>A warm CLI process waits for the next turn.</summary>
    Warm,

    /// <summary>Passivated: its process was ended (idle time-out or the warm-process cap); the history is kept.</summary>
    Passivated,
}
