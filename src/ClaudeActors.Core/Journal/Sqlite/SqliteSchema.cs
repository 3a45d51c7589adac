namespace ClaudeActors.Journal.Sqlite;

/// <summary>
/// The SQLite schema. Timestamps are Unix time in milliseconds (UTC) in INTEGER columns: exact, and ordered as
/// numbers. Transcript entries can be megabytes (base64 images); a TEXT value holds up to 1 GB.
/// </summary>
internal static class SqliteSchema
{
    public const string Create = """
        CREATE TABLE IF NOT EXISTS conversations (
            id TEXT NOT NULL PRIMARY KEY,
            cli_session_id TEXT NOT NULL,
            model TEXT NULL,
            system_prompt TEXT NULL,
            created INTEGER NOT NULL,
            last_used INTEGER NOT NULL,
            turns INTEGER NOT NULL,
            state TEXT NOT NULL,
            history_hash TEXT NULL,
            origin TEXT NOT NULL,
            forked_from TEXT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_conversations_history_hash ON conversations (history_hash, last_used DESC);
        CREATE INDEX IF NOT EXISTS ix_conversations_created ON conversations (created DESC, id);

        CREATE TABLE IF NOT EXISTS turns (
            conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
            sequence INTEGER NOT NULL,
            request_json TEXT NOT NULL,
            answer TEXT NOT NULL,
            status TEXT NOT NULL,
            stop_reason TEXT NULL,
            input_tokens INTEGER NOT NULL,
            output_tokens INTEGER NOT NULL,
            cache_read_input_tokens INTEGER NOT NULL,
            cache_creation_input_tokens INTEGER NOT NULL,
            started INTEGER NOT NULL,
            duration_ms INTEGER NOT NULL,
            PRIMARY KEY (conversation_id, sequence)
        );

        CREATE TABLE IF NOT EXISTS transcript_entries (
            conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            entry TEXT NOT NULL,
            PRIMARY KEY (conversation_id, position)
        );

        CREATE TABLE IF NOT EXISTS journal_heartbeat (
            id INTEGER NOT NULL PRIMARY KEY,
            beats INTEGER NOT NULL
        );
        """;
}
