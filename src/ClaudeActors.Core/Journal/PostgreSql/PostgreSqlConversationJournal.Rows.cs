using Npgsql;
using NpgsqlTypes;

namespace ClaudeActors.Journal.PostgreSql;

/// <summary>The SQL text and the mapping between rows and records.</summary>
internal sealed partial class PostgreSqlConversationJournal
{
    private const string ConversationColumns =
        "id, cli_session_id, model, system_prompt, created, last_used, turns, state, history_hash, origin, forked_from";

    private const string TurnColumns =
        "sequence, request_json, answer, status, stop_reason, input_tokens, output_tokens, cache_read_input_tokens, " +
        "cache_creation_input_tokens, started, duration_ms";

    private const string InsertConversation =
        $"INSERT INTO conversations ({ConversationColumns}) VALUES (@id, @cli_session_id, @model, @system_prompt, @created, " +
        "@last_used, @turns, @state, @history_hash, @origin, @forked_from) ON CONFLICT (id) DO NOTHING;";

    // Everything but the id and how the conversation began (created, origin, forked_from).
    private const string UpdateConversation =
        "UPDATE conversations SET cli_session_id = @cli_session_id, model = @model, system_prompt = @system_prompt, " +
        "last_used = @last_used, turns = @turns, state = @state, history_hash = @history_hash WHERE id = @id;";

    private const string InsertTurn =
        $"INSERT INTO turns (conversation_id, {TurnColumns}) VALUES (@conversation_id, @sequence, @request_json, @answer, " +
        "@status, @stop_reason, @input_tokens, @output_tokens, @cache_read_input_tokens, @cache_creation_input_tokens, " +
        "@started, @duration_ms);";

    // All entries in one statement, numbered on from the conversation's last position.
    private const string AppendEntries =
        "INSERT INTO transcript_entries (conversation_id, position, entry) " +
        "SELECT @id, next.position + entries.ordinal::integer - 1, entries.entry " +
        "FROM (SELECT COALESCE(MAX(position) + 1, 0) AS position FROM transcript_entries WHERE conversation_id = @id) AS next, " +
        "unnest(@entries) WITH ORDINALITY AS entries (entry, ordinal);";

    private const string ListFirstPage =
        $"SELECT {ConversationColumns} FROM conversations ORDER BY created DESC, id LIMIT @take;";

    // Keyset paging: the rows after the anchor in (created DESC, id) order; none when the anchor is gone.
    private const string ListPageAfter =
        $"SELECT {ConversationColumns} FROM conversations " +
        "WHERE created < (SELECT created FROM conversations WHERE id = @after) " +
        "OR (created = (SELECT created FROM conversations WHERE id = @after) AND id > @after) " +
        "ORDER BY created DESC, id LIMIT @take;";

    private static async Task UpdateConversationAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, ConversationRecord record, CancellationToken cancellationToken)
    {
        await using var update = new NpgsqlCommand(UpdateConversation, connection, transaction);
        AddConversation(update.Parameters, record);
        if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            throw JournalErrors.NotFound(record.Id);
        }
    }

    private static async Task InsertTurnsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string id, IReadOnlyList<TurnRecord> turns, CancellationToken cancellationToken)
    {
        if (turns.Count == 0)
        {
            return;
        }

        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var turn in turns)
        {
            var insert = new NpgsqlBatchCommand(InsertTurn);
            var parameters = insert.Parameters;
            parameters.AddWithValue("conversation_id", id);
            parameters.AddWithValue("sequence", turn.Sequence);
            parameters.AddWithValue("request_json", turn.RequestJson);
            parameters.AddWithValue("answer", turn.Answer);
            parameters.AddWithValue("status", turn.Status);
            parameters.AddWithValue("stop_reason", NpgsqlDbType.Text, (object?)turn.StopReason ?? DBNull.Value);
            parameters.AddWithValue("input_tokens", turn.InputTokens);
            parameters.AddWithValue("output_tokens", turn.OutputTokens);
            parameters.AddWithValue("cache_read_input_tokens", turn.CacheReadInputTokens);
            parameters.AddWithValue("cache_creation_input_tokens", turn.CacheCreationInputTokens);
            parameters.AddWithValue("started", ToStored(turn.Started));
            parameters.AddWithValue("duration_ms", turn.DurationMs);
            batch.BatchCommands.Add(insert);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Appends after the conversation's last entry; the caller holds the conversation's row lock.</summary>
    private static async Task AppendEntriesAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string id, IReadOnlyList<string> entries, CancellationToken cancellationToken)
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

    private static void AddConversation(NpgsqlParameterCollection parameters, ConversationRecord record)
    {
        parameters.AddWithValue("id", record.Id);
        parameters.AddWithValue("cli_session_id", record.CliSessionId);
        parameters.AddWithValue("model", NpgsqlDbType.Text, (object?)record.Model ?? DBNull.Value);
        parameters.AddWithValue("system_prompt", NpgsqlDbType.Text, (object?)record.SystemPrompt ?? DBNull.Value);
        parameters.AddWithValue("created", ToStored(record.Created));
        parameters.AddWithValue("last_used", ToStored(record.LastUsed));
        parameters.AddWithValue("turns", record.Turns);
        parameters.AddWithValue("state", ConversationStateText.From(record.State));
        parameters.AddWithValue("history_hash", NpgsqlDbType.Text, (object?)record.HistoryHash ?? DBNull.Value);
        parameters.AddWithValue("origin", record.Origin);
        parameters.AddWithValue("forked_from", NpgsqlDbType.Text, (object?)record.ForkedFrom ?? DBNull.Value);
    }

    private static ConversationRecord ReadConversation(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetString(0),
        CliSessionId = reader.GetString(1),
        Model = reader.IsDBNull(2) ? null : reader.GetString(2),
        SystemPrompt = reader.IsDBNull(3) ? null : reader.GetString(3),
        Created = reader.GetFieldValue<DateTimeOffset>(4),
        LastUsed = reader.GetFieldValue<DateTimeOffset>(5),
        Turns = reader.GetInt32(6),
        State = ConversationStateText.Parse(reader.GetString(7)),
        HistoryHash = reader.IsDBNull(8) ? null : reader.GetString(8),
        Origin = reader.GetString(9),
        ForkedFrom = reader.IsDBNull(10) ? null : reader.GetString(10),
    };

    private static TurnRecord ReadTurn(NpgsqlDataReader reader) => new()
    {
        Sequence = reader.GetInt32(0),
        RequestJson = reader.GetString(1),
        Answer = reader.GetString(2),
        Status = reader.GetString(3),
        StopReason = reader.IsDBNull(4) ? null : reader.GetString(4),
        InputTokens = reader.GetInt64(5),
        OutputTokens = reader.GetInt64(6),
        CacheReadInputTokens = reader.GetInt64(7),
        CacheCreationInputTokens = reader.GetInt64(8),
        Started = reader.GetFieldValue<DateTimeOffset>(9),
        DurationMs = reader.GetInt64(10),
    };

    // timestamptz keeps microseconds and Npgsql writes only UTC values: cut to the millisecond, as UTC, so both
    // journals store the same instant.
    private static DateTimeOffset ToStored(DateTimeOffset time) => DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());
}
