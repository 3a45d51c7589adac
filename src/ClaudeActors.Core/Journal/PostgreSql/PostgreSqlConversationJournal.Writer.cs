using ClaudeActors.Conversations;
using Npgsql;
using NpgsqlTypes;

namespace ClaudeActors.Journal.PostgreSql;

internal sealed partial class PostgreSqlConversationJournal
{
    /// <summary>
    /// The write steps inside one transaction. Whatever touches an existing conversation locks its row first (the UPDATE
    /// or <c>SELECT ... FOR UPDATE</c>), so writes to the same conversation from several nodes queue.
    /// </summary>
    private sealed class Writer(NpgsqlConnection connection, NpgsqlTransaction transaction) : IJournalWriter
    {
        // All entries in one statement, numbered on from the conversation's last position.
        private const string AppendEntries =
            "INSERT INTO transcript_entries (conversation_id, position, entry) " +
            "SELECT @id, next.position + entries.ordinal::integer - 1, entries.entry " +
            "FROM (SELECT COALESCE(MAX(position) + 1, 0) AS position FROM transcript_entries WHERE conversation_id = @id) AS next, " +
            "unnest(@entries) WITH ORDINALITY AS entries (entry, ordinal);";

        public async Task<bool> InsertConversationAsync(ConversationRecord record, CancellationToken cancellationToken)
        {
            await using var insert = new NpgsqlCommand(JournalSql.InsertConversation, connection, transaction);
            return await Rows.InsertConversationAsync(insert, record, cancellationToken).ConfigureAwait(false);
        }

        public Task UpdateConversationAsync(ConversationRecord record, CancellationToken cancellationToken) =>
            PostgreSqlConversationJournal.UpdateConversationAsync(connection, transaction, record, cancellationToken);

        public async Task<bool> LockConversationAsync(string id, CancellationToken cancellationToken)
        {
            await using var lockRow = new NpgsqlCommand("SELECT 1 FROM conversations WHERE id = @id FOR UPDATE;", connection, transaction);
            lockRow.Parameters.AddWithValue("id", id);
            return await lockRow.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
        }

        public async Task InsertTurnsAsync(string id, IReadOnlyList<TurnRecord> turns, CancellationToken cancellationToken)
        {
            if (turns.Count == 0)
            {
                return;
            }

            await using var batch = new NpgsqlBatch(connection, transaction);
            foreach (var turn in turns)
            {
                var insert = new NpgsqlBatchCommand(JournalSql.InsertTurn);
                Rows.AddTurn(insert.Parameters, id, turn);
                batch.BatchCommands.Add(insert);
            }

            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        public async Task WriteHeartbeatAsync(CancellationToken cancellationToken)
        {
            await using var beat = new NpgsqlCommand(JournalSql.Heartbeat, connection, transaction);
            await beat.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Appends after the conversation's last entry; the caller holds the conversation's row lock.</summary>
        public async Task AppendEntriesAsync(string id, IReadOnlyList<string> entries, CancellationToken cancellationToken)
        {
            if (entries.Count == 0)
            {
                return;
            }

            await using var insert = new NpgsqlCommand(AppendEntries, connection, transaction);
            insert.Parameters.AddWithValue("id", id);
            insert.Parameters.AddWithValue("entries", NpgsqlDbType.Array | NpgsqlDbType.Text, entries as string[] ?? [.. entries]);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
