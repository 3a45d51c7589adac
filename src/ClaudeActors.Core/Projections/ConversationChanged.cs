using ClaudeActors.Conversations;

namespace ClaudeActors.Projections;

/// <summary>
/// Published by a conversation's entity on its node's <c>EventStream</c> right after each persist: the conversation's
/// record after event <see cref="SequenceNr"/> (null: deleted). The <see cref="ConversationIndex"/> applies it at once,
/// without waiting for the journal query to poll the event; it ignores whatever it has already seen (by sequence number).
/// </summary>
internal sealed record ConversationChanged(string ConversationId, long SequenceNr, ConversationRecord? Record);
