using ClaudeActors.Conversations;
namespace ClaudeActors.Journal;

/// <summary>
/// The durable record of every conversation: its record, its turns and the CLI transcript entries that let a CLI
/// process resume it anywhere. SQLite (embedded, the default) and PostgreSQL (shared by a cluster) implement it with
/// the same behaviour; every write that belongs together is one transaction.
/// </summary>
internal interface IConversationJournal
{
    /// <summary>Creates the schema when missing. Called once at start-up.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Commits a write of its own (the journal's heartbeat row), proving the journal stores writes now. Readiness
    /// calls it; a journal that failed recovers through it.
    /// </summary>
    Task ProbeAsync(CancellationToken cancellationToken);

    /// <summary>The conversation, or null.</summary>
    Task<ConversationRecord?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Creates a conversation with its first transcript entries and turns (both may be empty; a fork copies them).
    /// Returns false, writing nothing, when the id exists.
    /// </summary>
    Task<bool> CreateAsync(ConversationRecord record, IReadOnlyList<string> transcript, IReadOnlyList<TurnRecord> turns, CancellationToken cancellationToken);

    /// <summary>
    /// Records a finished turn in one transaction: adds the turn (its <see cref="TurnRecord.Sequence"/> is the next
    /// one), appends the transcript entries in order, and updates the record (<see cref="ConversationRecord.Turns"/>,
    /// <see cref="ConversationRecord.LastUsed"/>, <see cref="ConversationRecord.HistoryHash"/>, model).
    /// </summary>
    Task AppendTurnAsync(ConversationRecord updated, TurnRecord turn, IReadOnlyList<string> transcript, CancellationToken cancellationToken);

    /// <summary>Appends transcript entries that arrived outside a turn (the CLI writes some after a turn's result).</summary>
    Task AppendTranscriptAsync(string id, IReadOnlyList<string> transcript, CancellationToken cancellationToken);

    /// <summary>Updates the record alone (state, last use, history hash).</summary>
    Task UpdateAsync(ConversationRecord updated, CancellationToken cancellationToken);

    /// <summary>The transcript entries in the order they were appended (one JSON object each).</summary>
    Task<IReadOnlyList<string>> ReadTranscriptAsync(string id, CancellationToken cancellationToken);

    /// <summary>The turns, oldest first.</summary>
    Task<IReadOnlyList<TurnRecord>> ReadTurnsAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// A page of conversations, most recently created first (ties by id); <paramref name="after"/> is the last id
    /// of the previous page.
    /// </summary>
    Task<ConversationPage> ListAsync(int limit, string? after, CancellationToken cancellationToken);

    /// <summary>Removes the conversation, its turns and its transcript. False when it did not exist.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>The most recently used conversation whose history hash is <paramref name="historyHash"/>, or null.</summary>
    Task<string?> FindByHistoryHashAsync(string historyHash, CancellationToken cancellationToken);
}
