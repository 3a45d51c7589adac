using Microsoft.Data.Sqlite;

namespace ClaudeActors.Journal.Sqlite;

/// <summary>How SQLite stores a row and how its commands are made.</summary>
internal sealed partial class SqliteConversationJournal
{
    // Timestamps as Unix milliseconds: exact to the millisecond, read back as UTC.
    private static readonly JournalRows Rows = new(
        () => new SqliteParameter(),
        time => time.ToUnixTimeMilliseconds(),
        (reader, ordinal) => DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal)));

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}
