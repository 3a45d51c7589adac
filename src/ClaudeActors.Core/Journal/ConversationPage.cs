namespace ClaudeActors.Journal;

/// <summary>A page of <see cref="IConversationJournal.ListAsync"/>; <see cref="HasMore"/> says whether another follows.</summary>
internal sealed record ConversationPage(IReadOnlyList<ConversationRecord> Items, bool HasMore);
