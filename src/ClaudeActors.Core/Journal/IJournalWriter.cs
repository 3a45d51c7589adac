using ClaudeActors.Conversations;
namespace ClaudeActors.Journal;

/// <summary>
/// The steps <see cref="JournalWrites"/> builds its writes from, run inside one open write transaction of a journal,
/// each with that journal's own statements.
/// </summary>
internal interface IJournalWriter
{
    /// <summary>Inserts the conversation's row; false, and nothing written, when the id is taken.</summary>
    Task<bool> InsertConversationAsync(ConversationRecord record, CancellationToken cancellationToken);

    /// <summary>Updates the conversation's row; throws <see cref="KeyNotFoundException"/> when there is none.</summary>
    Task UpdateConversationAsync(ConversationRecord record, CancellationToken cancellationToken);

    /// <summary>Whether the conversation exists; when it does, no other write changes it before this one commits.</summary>
    Task<bool> LockConversationAsync(string id, CancellationToken cancellationToken);

    Task InsertTurnsAsync(string id, IReadOnlyList<TurnRecord> turns, CancellationToken cancellationToken);

    /// <summary>Appends the entries after the conversation's last one.</summary>
    Task AppendEntriesAsync(string id, IReadOnlyList<string> entries, CancellationToken cancellationToken);

    /// <summary>Counts one more heartbeat (<see cref="JournalSql.Heartbeat"/>).</summary>
    Task WriteHeartbeatAsync(CancellationToken cancellationToken);
}
