using Microsoft.Data.Sqlite;

namespace ClaudeActors.Journal.Sqlite;

/// <summary>How SQLite stores a row.</summary>
internal sealed partial class SqliteConversationJournal
{
    // Timestamps as Unix milliseconds: exact to the millisecond, read back as UTC.
    private static readonly JournalRows Rows = new(
        () => new SqliteParameter(),
        time => time.ToUnixTimeMilliseconds(),
        (reader, ordinal) => DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal)));

    private static SqliteCommand Command(SqliteConnection connection, string sql) => SqliteJournalFile.Command(connection, sql);
}
