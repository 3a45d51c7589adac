using System.Data.Common;
using ClaudeActors.Conversations;

namespace ClaudeActors.Persistence.Legacy;

/// <summary>
/// The old release's journal (tables <c>conversations</c>, <c>turns</c>, <c>transcript_entries</c> and
/// <c>journal_heartbeat</c>, see the old <c>SqliteSchema</c>/<c>PostgreSqlSchema</c>), read for the one-time import,
/// then marked imported so that it is never read again. Reads only, until <see cref="MarkImportedAsync"/>.
/// </summary>
internal abstract class LegacyJournal : IAsyncDisposable
{
    /// <summary>The old release's tables, in the order they are renamed.</summary>
    protected static readonly string[] Tables = ["conversations", "turns", "transcript_entries", "journal_heartbeat"];

    private const string ConversationColumns =
        "id, cli_session_id, model, system_prompt, created, last_used, turns, state, history_hash, origin, forked_from";

    private const string TurnColumns =
        "sequence, request_json, answer, status, stop_reason, input_tokens, output_tokens, cache_read_input_tokens, " +
        "cache_creation_input_tokens, started, duration_ms";

    /// <summary>Every conversation's id, oldest first (ties by id).</summary>
    public async Task<IReadOnlyList<string>> ConversationIdsAsync(CancellationToken cancellationToken)
    {
        await using var command = Command("SELECT id FROM conversations ORDER BY created, id;");
        return await ReadAllAsync(command, reader => reader.GetString(0), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The conversation with its turns and transcript entries, or null when it is not there.</summary>
    public async Task<LegacyConversation?> ReadAsync(string id, CancellationToken cancellationToken)
    {
        ConversationRecord? record;
        await using (var select = Command($"SELECT {ConversationColumns} FROM conversations WHERE id = @id;", ("id", id)))
        {
            record = (await ReadAllAsync(select, ReadConversation, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
        }

        if (record is null)
        {
            return null;
        }

        await using var turns = Command($"SELECT {TurnColumns} FROM turns WHERE conversation_id = @id ORDER BY sequence;", ("id", id));
        await using var transcript = Command("SELECT entry FROM transcript_entries WHERE conversation_id = @id ORDER BY position;", ("id", id));
        return new LegacyConversation(
            record,
            await ReadAllAsync(turns, ReadTurn, cancellationToken).ConfigureAwait(false),
            await ReadAllAsync(transcript, reader => reader.GetString(0), cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Marks the journal imported, all at once: the next start finds nothing to import.</summary>
    public abstract Task MarkImportedAsync(CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();

    /// <summary>A command on the journal's connection, with its parameters.</summary>
    protected abstract DbCommand Command(string sql, params (string Name, object Value)[] parameters);

    /// <summary>Reads a timestamp column as the journal stored it.</summary>
    protected abstract DateTimeOffset ReadTimestamp(DbDataReader reader, int ordinal);

    protected static async Task<List<T>> ReadAllAsync<T>(DbCommand command, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>The first of <c>legacy_conversations_imported</c>, <c>..._2</c>, ... for which no renamed table exists yet.</summary>
    protected static async Task<string> FreeSuffixAsync(Func<string, Task<bool>> exists)
    {
        for (var attempt = 1; ; attempt++)
        {
            var suffix = attempt == 1 ? "_imported" : $"_imported_{attempt}";
            var taken = false;
            foreach (var table in Tables)
            {
                taken |= await exists("legacy_" + table + suffix).ConfigureAwait(false);
            }

            if (!taken)
            {
                return suffix;
            }
        }
    }

    private ConversationRecord ReadConversation(DbDataReader reader) => new()
    {
        Id = reader.GetString(0),
        CliSessionId = reader.GetString(1),
        Model = reader.IsDBNull(2) ? null : reader.GetString(2),
        SystemPrompt = reader.IsDBNull(3) ? null : reader.GetString(3),
        Created = ReadTimestamp(reader, 4),
        LastUsed = ReadTimestamp(reader, 5),
        Turns = reader.GetInt32(6),
        State = ParseState(reader.GetString(7)),
        HistoryHash = reader.IsDBNull(8) ? null : reader.GetString(8),
        Origin = reader.GetString(9),
        ForkedFrom = reader.IsDBNull(10) ? null : reader.GetString(10),
    };

    private TurnRecord ReadTurn(DbDataReader reader) => new()
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
        Started = ReadTimestamp(reader, 9),
        DurationMs = reader.GetInt64(10),
    };

    // The old release stored the state as fixed lower-case words.
    private static ConversationStatus ParseState(string text) => text switch
    {
        "idle" => ConversationStatus.Idle,
        "warm" => ConversationStatus.Warm,
        "passivated" => ConversationStatus.Passivated,
        _ => throw new InvalidDataException($"The old journal holds an unknown conversation state '{text}'."),
    };
}
