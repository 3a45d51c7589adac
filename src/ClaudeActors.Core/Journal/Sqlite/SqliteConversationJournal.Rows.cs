using Microsoft.Data.Sqlite;

namespace ClaudeActors.Journal.Sqlite;

/// <summary>The SQL text and the mapping between rows and records.</summary>
internal sealed partial class SqliteConversationJournal
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

    private const string ListFirstPage =
        $"SELECT {ConversationColumns} FROM conversations ORDER BY created DESC, id LIMIT @take;";

    // Keyset paging: the rows after the anchor in (created DESC, id) order; none when the anchor is gone.
    private const string ListPageAfter =
        $"SELECT {ConversationColumns} FROM conversations " +
        "WHERE created < (SELECT created FROM conversations WHERE id = @after) " +
        "OR (created = (SELECT created FROM conversations WHERE id = @after) AND id > @after) " +
        "ORDER BY created DESC, id LIMIT @take;";

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static async Task UpdateConversationAsync(
        SqliteConnection connection, SqliteTransaction transaction, ConversationRecord record, CancellationToken cancellationToken)
    {
        await using var update = Command(connection, transaction, UpdateConversation);
        AddConversation(update.Parameters, record);
        if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            throw JournalErrors.NotFound(record.Id);
        }
    }

    private static async Task InsertTurnAsync(
        SqliteConnection connection, SqliteTransaction transaction, string id, TurnRecord turn, CancellationToken cancellationToken)
    {
        await using var insert = Command(connection, transaction, InsertTurn);
        var parameters = insert.Parameters;
        parameters.AddWithValue("@conversation_id", id);
        parameters.AddWithValue("@sequence", turn.Sequence);
        parameters.AddWithValue("@request_json", turn.RequestJson);
        parameters.AddWithValue("@answer", turn.Answer);
        parameters.AddWithValue("@status", turn.Status);
        parameters.AddWithValue("@stop_reason", (object?)turn.StopReason ?? DBNull.Value);
        parameters.AddWithValue("@input_tokens", turn.InputTokens);
        parameters.AddWithValue("@output_tokens", turn.OutputTokens);
        parameters.AddWithValue("@cache_read_input_tokens", turn.CacheReadInputTokens);
        parameters.AddWithValue("@cache_creation_input_tokens", turn.CacheCreationInputTokens);
        parameters.AddWithValue("@started", ToStored(turn.Started));
        parameters.AddWithValue("@duration_ms", turn.DurationMs);
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Appends after the conversation's last entry; the caller holds the write transaction.</summary>
    private static async Task AppendEntriesAsync(
        SqliteConnection connection, SqliteTransaction transaction, string id, IReadOnlyList<string> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return;
        }

        long position;
        await using (var next = Command(
            connection, transaction, "SELECT COALESCE(MAX(position) + 1, 0) FROM transcript_entries WHERE conversation_id = @id;"))
        {
            next.Parameters.AddWithValue("@id", id);
            position = (long)(await next.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        await using var insert = Command(
            connection, transaction, "INSERT INTO transcript_entries (conversation_id, position, entry) VALUES (@id, @position, @entry);");
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

    private static void AddConversation(SqliteParameterCollection parameters, ConversationRecord record)
    {
        parameters.AddWithValue("@id", record.Id);
        parameters.AddWithValue("@cli_session_id", record.CliSessionId);
        parameters.AddWithValue("@model", (object?)record.Model ?? DBNull.Value);
        parameters.AddWithValue("@system_prompt", (object?)record.SystemPrompt ?? DBNull.Value);
        parameters.AddWithValue("@created", ToStored(record.Created));
        parameters.AddWithValue("@last_used", ToStored(record.LastUsed));
        parameters.AddWithValue("@turns", record.Turns);
        parameters.AddWithValue("@state", ConversationStateText.From(record.State));
        parameters.AddWithValue("@history_hash", (object?)record.HistoryHash ?? DBNull.Value);
        parameters.AddWithValue("@origin", record.Origin);
        parameters.AddWithValue("@forked_from", (object?)record.ForkedFrom ?? DBNull.Value);
    }

    private static ConversationRecord ReadConversation(SqliteDataReader reader) => new()
    {
        Id = reader.GetString(0),
        CliSessionId = reader.GetString(1),
        Model = reader.IsDBNull(2) ? null : reader.GetString(2),
        SystemPrompt = reader.IsDBNull(3) ? null : reader.GetString(3),
        Created = FromStored(reader.GetInt64(4)),
        LastUsed = FromStored(reader.GetInt64(5)),
        Turns = reader.GetInt32(6),
        State = ConversationStateText.Parse(reader.GetString(7)),
        HistoryHash = reader.IsDBNull(8) ? null : reader.GetString(8),
        Origin = reader.GetString(9),
        ForkedFrom = reader.IsDBNull(10) ? null : reader.GetString(10),
    };

    private static TurnRecord ReadTurn(SqliteDataReader reader) => new()
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
        Started = FromStored(reader.GetInt64(9)),
        DurationMs = reader.GetInt64(10),
    };

    // Unix milliseconds: exact to the millisecond, read back as UTC.
    private static long ToStored(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    private static DateTimeOffset FromStored(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
}
