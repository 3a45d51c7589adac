using ClaudeActors.Conversations;
using Microsoft.Data.Sqlite;

namespace ClaudeActors.Journal.Sqlite;

internal sealed partial class SqliteConversationJournal
{
    /// <summary>The write steps inside one IMMEDIATE transaction of the journal's connection.</summary>
    private sealed class Writer(SqliteConnection connection) : IJournalWriter
    {
        public async Task<bool> InsertConversationAsync(ConversationRecord record, CancellationToken cancellationToken)
        {
            await using var insert = Command(connection, JournalSql.InsertConversation);
            return await Rows.InsertConversationAsync(insert, record, cancellationToken).ConfigureAwait(false);
        }

        public async Task UpdateConversationAsync(ConversationRecord record, CancellationToken cancellationToken)
        {
            await using var update = Command(connection, JournalSql.UpdateConversation);
            await Rows.UpdateConversationAsync(update, record, cancellationToken).ConfigureAwait(false);
        }

        public async Task<bool> LockConversationAsync(string id, CancellationToken cancellationToken)
        {
            await using var exists = Command(connection, "SELECT 1 FROM conversations WHERE id = @id;");
            exists.Parameters.AddWithValue("@id", id);
            return await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
        }

        public async Task<bool> DeleteConversationAsync(string id, CancellationToken cancellationToken)
        {
            await using var delete = Command(connection, JournalSql.DeleteConversation);
            delete.Parameters.AddWithValue("@id", id);
            return await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }

        public async Task WriteHeartbeatAsync(CancellationToken cancellationToken)
        {
            await using var beat = Command(connection, JournalSql.Heartbeat);
            await beat.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        public async Task InsertTurnsAsync(string id, IReadOnlyList<TurnRecord> turns, CancellationToken cancellationToken)
        {
            foreach (var turn in turns)
            {
                await using var insert = Command(connection, JournalSql.InsertTurn);
                Rows.AddTurn(insert.Parameters, id, turn);
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        public async Task AppendEntriesAsync(string id, IReadOnlyList<string> entries, CancellationToken cancellationToken)
        {
            if (entries.Count == 0)
            {
                return;
            }

            long position;
            await using (var next = Command(
                connection, "SELECT COALESCE(MAX(position) + 1, 0) FROM transcript_entries WHERE conversation_id = @id;"))
            {
                next.Parameters.AddWithValue("@id", id);
                position = (long)(await next.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            }

            await using var insert = Command(
                connection, "INSERT INTO transcript_entries (conversation_id, position, entry) VALUES (@id, @position, @entry);");
            insert.Parameters.AddWithValue("@id", id);
            var positionParameter = insert.Parameters.Add("@position", SqliteType.Integer);
            var entryParameter = insert.Parameters.Add("@entry", SqliteType.Text);
            foreach (var entry in entries)
            {
                positionParameter.Value = position++;
                entryParameter.Value = entry;
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
