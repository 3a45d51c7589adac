namespace ClaudeActors.Persistence;

/// <summary>The persistence id of a conversation's entity: <c>conversation-</c> and the conversation id.</summary>
internal static class ConversationPersistenceIds
{
    public const string Prefix = "conversation-";

    public static string For(string conversationId) => Prefix + conversationId;

    /// <summary>The conversation id in <paramref name="persistenceId"/>, or null when it is not a conversation's.</summary>
    public static string? ConversationId(string persistenceId) =>
        persistenceId.StartsWith(Prefix, StringComparison.Ordinal) ? persistenceId[Prefix.Length..] : null;
}
