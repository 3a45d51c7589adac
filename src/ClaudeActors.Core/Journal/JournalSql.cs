namespace ClaudeActors.Journal;

/// <summary>
/// The SQL text both journals run as it is: the same tables, columns and parameter names on SQLite and PostgreSQL.
/// What only one of them runs (its schema, the SQLite transcript numbering, the PostgreSQL row lock and array insert)
/// stays with that journal.
/// </summary>
internal static class JournalSql
{
    /// <summary>The columns <see cref="JournalRows.ReadConversation"/> reads, in its order.</summary>
    public const string ConversationColumns =
        "id, cli_session_id, model, system_prompt, created, last_used, turns, state, history_hash, origin, forked_from";

    /// <summary>The columns <see cref="JournalRows.ReadTurn"/> reads, in its order.</summary>
    public const string TurnColumns =
        "sequence, request_json, answer, status, stop_reason, input_tokens, output_tokens, cache_read_input_tokens, " +
        "cache_creation_input_tokens, started, duration_ms";

    public const string SelectConversation = $"SELECT {ConversationColumns} FROM conversations WHERE id = @id;";

    public const string InsertConversation =
        $"INSERT INTO conversations ({ConversationColumns}) VALUES (@id, @cli_session_id, @model, @system_prompt, @created, " +
        "@last_used, @turns, @state, @history_hash, @origin, @forked_from) ON CONFLICT (id) DO NOTHING;";

    // Everything but the id and how the conversation began (created, origin, forked_from).
    public const string UpdateConversation =
        "UPDATE conversations SET cli_session_id = @cli_session_id, model = @model, system_prompt = @system_prompt, " +
        "last_used = @last_used, turns = @turns, state = @state, history_hash = @history_hash WHERE id = @id;";

    public const string DeleteConversation = "DELETE FROM conversations WHERE id = @id;";

    public const string FindByHistoryHash =
        "SELECT id FROM conversations WHERE history_hash = @hash ORDER BY last_used DESC, id LIMIT 1;";

    public const string InsertTurn =
        $"INSERT INTO turns (conversation_id, {TurnColumns}) VALUES (@conversation_id, @sequence, @request_json, @answer, " +
        "@status, @stop_reason, @input_tokens, @output_tokens, @cache_read_input_tokens, @cache_creation_input_tokens, " +
        "@started, @duration_ms);";

    public const string SelectTurns = $"SELECT {TurnColumns} FROM turns WHERE conversation_id = @id ORDER BY sequence;";

    /// <summary>The readiness probe's write: one row, counting up.</summary>
    public const string Heartbeat =
        "INSERT INTO journal_heartbeat (id, beats) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET beats = journal_heartbeat.beats + 1;";

    public const string SelectTranscript = "SELECT entry FROM transcript_entries WHERE conversation_id = @id ORDER BY position;";

    public const string ListFirstPage =
        $"SELECT {ConversationColumns} FROM conversations ORDER BY created DESC, id LIMIT @take;";

    // Keyset paging: the rows after the anchor in (created DESC, id) order; none when the anchor is gone.
    public const string ListPageAfter =
        $"SELECT {ConversationColumns} FROM conversations " +
        "WHERE created < (SELECT created FROM conversations WHERE id = @after) " +
        "OR (created = (SELECT created FROM conversations WHERE id = @after) AND id > @after) " +
        "ORDER BY created DESC, id LIMIT @take;";

    /// <summary>The page query for <see cref="IConversationJournal.ListAsync"/>: the first page, or the one after an id.</summary>
    public static string ListPage(string? after) => after is null ? ListFirstPage : ListPageAfter;
}
