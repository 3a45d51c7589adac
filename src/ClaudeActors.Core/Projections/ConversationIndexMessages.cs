using ClaudeActors.Conversations;

namespace ClaudeActors.Projections;

// Provisional: replaced by the index's own messages when the projection lands.
internal sealed record ListConversations(int Limit, string? After);

internal sealed record FindByHistoryHash(string Hash);

internal sealed record HistoryHashMatch(string? ConversationId);

internal sealed class ConversationIndex;

internal sealed record ConversationPageReply(ConversationPage Page);
