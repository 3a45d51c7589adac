using ClaudeActors.Conversations;
using System.Data;
using System.Data.Common;

namespace ClaudeActors.Journal;

/// <summary>
/// The mapping between records and rows that both journals share, over plain ADO.NET: parameters are named as in
/// <see cref="JournalSql"/> and columns are read in the order of its column lists. What differs comes in through the
/// constructor: the provider's parameter type and how it stores a timestamp.
/// </summary>
/// <param name="newParameter">Creates an empty parameter of the provider's type.</param>
/// <param name="toStored">The value bound for a timestamp.</param>
/// <param name="readTimestamp">Reads a timestamp column back.</param>
internal sealed partial class JournalRows(
    Func<DbParameter> newParameter,
    Func<DateTimeOffset, object> toStored,
    Func<DbDataReader, int, DateTimeOffset> readTimestamp)
{
    /// <summary>Binds every parameter of <see cref="JournalSql.InsertConversation"/> (and so of UpdateConversation).</summary>
    public void AddConversation(DbParameterCollection parameters, ConversationRecord record)
    {
        Add(parameters, "@id", record.Id);
        Add(parameters, "@cli_session_id", record.CliSessionId);
        AddText(parameters, "@model", record.Model);
        AddText(parameters, "@system_prompt", record.SystemPrompt);
        Add(parameters, "@created", toStored(record.Created));
        Add(parameters, "@last_used", toStored(record.LastUsed));
        Add(parameters, "@turns", record.Turns);
        Add(parameters, "@state", ConversationStateText.From(record.State));
        AddText(parameters, "@history_hash", record.HistoryHash);
        Add(parameters, "@origin", record.Origin);
        AddText(parameters, "@forked_from", record.ForkedFrom);
    }

    /// <summary>Binds every parameter of <see cref="JournalSql.InsertTurn"/>.</summary>
    public void AddTurn(DbParameterCollection parameters, string conversationId, TurnRecord turn)
    {
        Add(parameters, "@conversation_id", conversationId);
        Add(parameters, "@sequence", turn.Sequence);
        Add(parameters, "@request_json", turn.RequestJson);
        Add(parameters, "@answer", turn.Answer);
        Add(parameters, "@status", turn.Status);
        AddText(parameters, "@stop_reason", turn.StopReason);
        Add(parameters, "@input_tokens", turn.InputTokens);
        Add(parameters, "@output_tokens", turn.OutputTokens);
        Add(parameters, "@cache_read_input_tokens", turn.CacheReadInputTokens);
        Add(parameters, "@cache_creation_input_tokens", turn.CacheCreationInputTokens);
        Add(parameters, "@started", toStored(turn.Started));
        Add(parameters, "@duration_ms", turn.DurationMs);
    }

    /// <summary>Reads a row of <see cref="JournalSql.ConversationColumns"/>.</summary>
    public ConversationRecord ReadConversation(DbDataReader reader) => new()
    {
        Id = reader.GetString(0),
        CliSessionId = reader.GetString(1),
        Model = reader.IsDBNull(2) ? null : reader.GetString(2),
        SystemPrompt = reader.IsDBNull(3) ? null : reader.GetString(3),
        Created = readTimestamp(reader, 4),
        LastUsed = readTimestamp(reader, 5),
        Turns = reader.GetInt32(6),
        State = ConversationStateText.Parse(reader.GetString(7)),
        HistoryHash = reader.IsDBNull(8) ? null : reader.GetString(8),
        Origin = reader.GetString(9),
        ForkedFrom = reader.IsDBNull(10) ? null : reader.GetString(10),
    };

    /// <summary>Reads a row of <see cref="JournalSql.TurnColumns"/>.</summary>
    public TurnRecord ReadTurn(DbDataReader reader) => new()
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
        Started = readTimestamp(reader, 9),
        DurationMs = reader.GetInt64(10),
    };

    private void Add(DbParameterCollection parameters, string name, object value)
    {
        var parameter = newParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        parameters.Add(parameter);
    }

    // Typed as text, so that a null reaches PostgreSQL as a text null too.
    private void AddText(DbParameterCollection parameters, string name, string? value)
    {
        var parameter = newParameter();
        parameter.ParameterName = name;
        parameter.DbType = DbType.String;
        parameter.Value = (object?)value ?? DBNull.Value;
        parameters.Add(parameter);
    }
}
