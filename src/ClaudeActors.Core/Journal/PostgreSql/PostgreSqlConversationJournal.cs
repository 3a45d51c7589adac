using Npgsql;

namespace ClaudeActors.Journal.PostgreSql;

/// <summary>
/// The journal a cluster shares: PostgreSQL through one <see cref="NpgsqlDataSource"/> (its connection pool). Every
/// multi-row write is one transaction that first locks the conversation's row, so two nodes appending to the same
/// conversation queue instead of colliding on transcript positions.
/// </summary>
internal sealed partial class PostgreSqlConversationJournal : IConversationJournal, IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    public PostgreSqlConversationJournal(string connectionString)
    {
        _dataSource = NpgsqlDataSource.Create(connectionString);
    }

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var lockSchema = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key);", connection, transaction))
        {
            lockSchema.Parameters.AddWithValue("key", PostgreSqlSchema.LockKey);
            await lockSchema.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var schema = new NpgsqlCommand(PostgreSqlSchema.Create, connection, transaction))
        {
            await schema.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<ConversationRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"SELECT {ConversationColumns} FROM conversations WHERE id = @id;");
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadConversation(reader) : null;
    }

    public Task<bool> CreateAsync(
        ConversationRecord record, IReadOnlyList<string> transcript, IReadOnlyList<TurnRecord> turns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(transcript);
        ArgumentNullException.ThrowIfNull(turns);
        return WriteAsync(async (connection, transaction) =>
        {
            await using (var insert = new NpgsqlCommand(InsertConversation, connection, transaction))
            {
                AddConversation(insert.Parameters, record);
                if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                {
                    return false;
                }
            }

            await InsertTurnsAsync(connection, transaction, record.Id, turns, cancellationToken).ConfigureAwait(false);
            await AppendEntriesAsync(connection, transaction, record.Id, transcript, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    public Task AppendTurnAsync(ConversationRecord updated, TurnRecord turn, IReadOnlyList<string> transcript, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(updated);
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(transcript);
        return WriteAsync(async (connection, transaction) =>
        {
            // The UPDATE locks the row first: concurrent appends to this conversation wait here.
            await UpdateConversationAsync(connection, transaction, updated, cancellationToken).ConfigureAwait(false);
            await InsertTurnsAsync(connection, transaction, updated.Id, [turn], cancellationToken).ConfigureAwait(false);
            await AppendEntriesAsync(connection, transaction, updated.Id, transcript, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    public Task AppendTranscriptAsync(string id, IReadOnlyList<string> transcript, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        return WriteAsync(async (connection, transaction) =>
        {
            await using (var lockRow = new NpgsqlCommand("SELECT 1 FROM conversations WHERE id = @id FOR UPDATE;", connection, transaction))
            {
                lockRow.Parameters.AddWithValue("id", id);
                if (await lockRow.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
                {
                    throw JournalErrors.NotFound(id);
                }
            }

            await AppendEntriesAsync(connection, transaction, id, transcript, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    public async Task UpdateAsync(ConversationRecord updated, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(updated);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await UpdateConversationAsync(connection, null, updated, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<string>> ReadTranscriptAsync(string id, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT entry FROM transcript_entries WHERE conversation_id = @id ORDER BY position;");
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var entries = new List<string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(reader.GetString(0));
        }

        return entries;
    }

    public async Task<IReadOnlyList<TurnRecord>> ReadTurnsAsync(string id, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            $"SELECT {TurnColumns} FROM turns WHERE conversation_id = @id ORDER BY sequence;");
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var turns = new List<TurnRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            turns.Add(ReadTurn(reader));
        }

        return turns;
    }

    public async Task<ConversationPage> ListAsync(int limit, string? after, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var command = _dataSource.CreateCommand(after is null ? ListFirstPage : ListPageAfter);
        command.Parameters.AddWithValue("take", limit + 1);
        if (after is not null)
        {
            command.Parameters.AddWithValue("after", after);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var items = new List<ConversationRecord>(Math.Min(limit + 1, 1_000));
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            items.Add(ReadConversation(reader));
        }

        var hasMore = items.Count > limit;
        if (hasMore)
        {
            items.RemoveAt(limit);
        }

        return new ConversationPage(items, hasMore);
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        // One statement, one transaction: ON DELETE CASCADE removes the turns and the transcript with the row.
        await using var command = _dataSource.CreateCommand("DELETE FROM conversations WHERE id = @id;");
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public async Task<string?> FindByHistoryHashAsync(string historyHash, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT id FROM conversations WHERE history_hash = @hash ORDER BY last_used DESC, id LIMIT 1;");
        command.Parameters.AddWithValue("hash", historyHash);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    public void Dispose() => _dataSource.Dispose();

    /// <summary>Runs <paramref name="write"/> in a transaction; commits when it returns, rolls back when it throws.</summary>
    private async Task<T> WriteAsync<T>(
        Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> write, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var result = await write(connection, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }
}
