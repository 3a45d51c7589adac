using ClaudeActors.Conversations;

namespace ClaudeActors.Persistence.Legacy;

/// <summary>One conversation as the old release's journal stored it: its record, its turns and its transcript entries, in order.</summary>
internal sealed record LegacyConversation(ConversationRecord Record, IReadOnlyList<TurnRecord> Turns, IReadOnlyList<string> Transcript);
