namespace ClaudeActors.Journal.PostgreSql;

/// <summary>
/// The PostgreSQL schema. Ids use the "C" collation, so ids order bytewise as in SQLite and paging ties break the
/// same way on both. Timestamps are timestamptz, written at millisecond precision.
/// </summary>
internal static class PostgreSqlSchema
{
    /// <summary>
    /// Held (for the transaction) around the schema creation: <c>CREATE TABLE IF NOT EXISTS</c> is not safe when
    /// several nodes start at once (two may both create the table's type and one then fails).
    /// </summary>
    public const long LockKey = 0x436C_6175_6465_4A6E; // "ClaudeJn"

    public const string Create = """
        CREATE TABLE IF NOT EXISTS conversations (
            id text COLLATE "C" NOT NULL PRIMARY KEY,
            cli_session_id text NOT NULL,
            model text NULL,
            system_prompt text NULL,
            created timestamptz NOT NULL,
            last_used timestamptz NOT NULL,
            turns integer NOT NULL,
            state text NOT NULL,
            history_hash text NULL,
            origin text NOT NULL,
            forked_from text COLLATE "C" NULL
        );
        CREATE INDEX IF NOT EXISTS ix_conversations_history_hash ON conversations (history_hash, last_used DESC);
        CREATE INDEX IF NOT EXISTS ix_conversations_created ON conversations (created DESC, id);

        CREATE TABLE IF NOT EXISTS turns (
            conversation_id text COLLATE "C" NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
            sequence integer NOT NULL,
            request_json text NOT NULL,
            answer text NOT NULL,
            status text NOT NULL,
            stop_reason text NULL,
            input_tokens bigint NOT NULL,
            output_tokens bigint NOT NULL,
            cache_read_input_tokens bigint NOT NULL,
            cache_creation_input_tokens bigint NOT NULL,
            started timestamptz NOT NULL,
            duration_ms bigint NOT NULL,
            PRIMARY KEY (conversation_id, sequence)
        );

        CREATE TABLE IF NOT EXISTS transcript_entries (
            conversation_id text COLLATE "C" NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
            position integer NOT NULL,
            entry text NOT NULL,
            PRIMARY KEY (conversation_id, position)
        );

        CREATE TABLE IF NOT EXISTS journal_heartbeat (
            id integer NOT NULL PRIMARY KEY,
            beats bigint NOT NULL
        );
        """;
}
