using ClaudeActors.Conversations;
namespace ClaudeActors.Journal;

/// <summary>
/// The writes of several rows that both journals make, as the same steps in the same order. Each method checks its
/// arguments at once, so a bad call throws before any connection is opened, and returns the write for the journal
/// to run in one transaction with its own <see cref="IJournalWriter"/>.
/// </summary>
internal static class JournalWrites
{
    /// <summary>See <see cref="IConversationJournal.CreateAsync"/>.</summary>
    public static Func<IJournalWriter, Task<bool>> Create(
        ConversationRecord record, IReadOnlyList<string> transcript, IReadOnlyList<TurnRecord> turns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(transcript);
        ArgumentNullException.ThrowIfNull(turns);
        return async writer =>
        {
            if (!await writer.InsertConversationAsync(record, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            await writer.InsertTurnsAsync(record.Id, turns, cancellationToken).ConfigureAwait(false);
            await writer.AppendEntriesAsync(record.Id, transcript, cancellationToken).ConfigureAwait(false);
            return true;
        };
    }

    /// <summary>See <see cref="IConversationJournal.AppendTurnAsync"/>.</summary>
    public static Func<IJournalWriter, Task<bool>> AppendTurn(
        ConversationRecord updated, TurnRecord turn, IReadOnlyList<string> transcript, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(updated);
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(transcript);
        return async writer =>
        {
            // The UPDATE comes first: on PostgreSQL it locks the row, so concurrent appends to this conversation wait here.
            await writer.UpdateConversationAsync(updated, cancellationToken).ConfigureAwait(false);
            await writer.InsertTurnsAsync(updated.Id, [turn], cancellationToken).ConfigureAwait(false);
            await writer.AppendEntriesAsync(updated.Id, transcript, cancellationToken).ConfigureAwait(false);
            return true;
        };
    }

    /// <summary>See <see cref="IConversationJournal.ProbeAsync"/>.</summary>
    public static Func<IJournalWriter, Task<bool>> Heartbeat(CancellationToken cancellationToken) =>
        async writer =>
        {
            await writer.WriteHeartbeatAsync(cancellationToken).ConfigureAwait(false);
            return true;
        };

    /// <summary>See <see cref="IConversationJournal.AppendTranscriptAsync"/>.</summary>
    public static Func<IJournalWriter, Task<bool>> AppendTranscript(string id, IReadOnlyList<string> transcript, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        return async writer =>
        {
            if (!await writer.LockConversationAsync(id, cancellationToken).ConfigureAwait(false))
            {
                throw JournalErrors.NotFound(id);
            }

            await writer.AppendEntriesAsync(id, transcript, cancellationToken).ConfigureAwait(false);
            return true;
        };
    }
}
