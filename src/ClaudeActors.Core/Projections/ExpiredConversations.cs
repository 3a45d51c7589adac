using ClaudeActors.Retention;

namespace ClaudeActors.Projections;

/// <summary>
/// Ask the index for the conversations <see cref="Expiry"/> covers, at most <see cref="Limit"/>, the longest unused
/// first. Answered with <see cref="ExpiredConversations"/>.
/// </summary>
internal sealed record FindExpired(Expiry Expiry, int Limit);

/// <summary>The answer to <see cref="FindExpired"/>.</summary>
internal sealed record ExpiredConversations(IReadOnlyList<string> ConversationIds);
