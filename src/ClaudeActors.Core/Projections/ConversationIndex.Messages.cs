using ClaudeActors.Conversations;
using ClaudeActors.Tenants;

namespace ClaudeActors.Projections;

/// <summary>
/// A page of conversations, most recently created first (ties by id); <see cref="After"/> is the last id of the previous
/// page (a page after an id the index does not have is empty); only <see cref="Tenant"/>'s conversations, or every
/// tenant's when it is null (an admin key). Answered with a <see cref="ConversationPageReply"/>.
/// </summary>
internal sealed record ListConversations(int Limit, string? After, string? Tenant = null);

/// <summary>The answer to <see cref="ListConversations"/>.</summary>
internal sealed record ConversationPageReply(ConversationPage Page);

/// <summary>
/// The most recently used conversation of <see cref="Tenant"/> whose history hash is <see cref="Hash"/> (never another
/// tenant's); answered with <see cref="HistoryHashMatch"/>.
/// </summary>
internal sealed record FindByHistoryHash(string Hash, string Tenant = ConversationKey.DefaultTenant);

/// <summary>The answer to <see cref="FindByHistoryHash"/>: the conversation's id, or null.</summary>
internal sealed record HistoryHashMatch(string? ConversationId);

/// <summary>Ask the index whether it has caught up with the journal; answered with <see cref="IndexStatus"/>.</summary>
internal sealed record GetIndexStatus
{
    public static readonly GetIndexStatus Instance = new();
}

/// <summary>
/// Whether the index has read every tagged event the journal held when it started (before that, list and lookup
/// requests wait), and how many conversations it holds.
/// </summary>
internal sealed record IndexStatus(bool CaughtUp, int Conversations);
