using ClaudeActors.Chat;

namespace ClaudeActors.Sessions;

/// <summary>A turn for a conversation: the request, and whether its answer may extend the resend index.</summary>
internal sealed record SessionTurn(ChatTurnRequest Request, bool RecordContinuation);
