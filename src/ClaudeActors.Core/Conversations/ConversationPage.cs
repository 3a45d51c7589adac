namespace ClaudeActors.Conversations;

/// <summary>A page of <c>GET /v1/sessions</c>; <see cref="HasMore"/> says whether another follows.</summary>
internal sealed record ConversationPage(IReadOnlyList<ConversationRecord> Items, bool HasMore);
