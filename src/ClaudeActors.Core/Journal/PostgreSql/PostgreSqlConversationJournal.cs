using ClaudeActors.Conversations;
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

    public Task ProbeAsync(CancellationToken cancellationToken) =>
        WriteAsync(JournalWrites.Heartbeat(cancellationToken), cancellationToken);

    public async Task<ConversationRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(JournalSql.SelectConversation);
        command.Parameters.AddWithValue("id", id);
        return await Rows.ReadConversationAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public Task<bool> CreateAsync(
        ConversationRecord record, IReadOnlyList<string> transcript, IReadOnlyList<TurnRecord> turns, CancellationToken cancellationToken) =>
        WriteAsync(JournalWrites.Create(record, transcript, turns, cancellationToken), cancellationToken);

    public Task AppendTurnAsync(ConversationRecord updated, TurnRecord turn, IReadOnlyList<string> transcript, CancellationToken cancellationToken) =>
        WriteAsync(JournalWrites.AppendTurn(updated, turn, transcript, cancellationToken), cancellationToken);

    public Task AppendTranscriptAsync(string id, IReadOnlyList<string> transcript, CancellationToken cancellationToken) =>
        WriteAsync(JournalWrites.AppendTranscript(id, transcript, cancellationToken), cancellationToken);

    public async Task UpdateAsync(ConversationRecord updated, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(updated);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await UpdateConversationAsync(connection, null, updated, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<string>> ReadTranscriptAsync(string id, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(JournalSql.SelectTranscript);
        command.Parameters.AddWithValue("id", id);
        return await JournalRows.ReadEntriesAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<TurnRecord>> ReadTurnsAsync(string id, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(JournalSql.SelectTurns);
        command.Parameters.AddWithValue("id", id);
        return await Rows.ReadTurnsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ConversationPage> ListAsync(int limit, string? after, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var command = _dataSource.CreateCommand(JournalSql.ListPage(after));
        return await Rows.ReadPageAsync(command, limit, after, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        // One statement, one transaction: ON DELETE CASCADE removes the turns and the transcript with the row.
        await using var command = _dataSource.CreateCommand(JournalSql.DeleteConversation);
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public async Task<string?> FindByHistoryHashAsync(string historyHash, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(JournalSql.FindByHistoryHash);
        command.Parameters.AddWithValue("hash", historyHash);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    public void Dispose() => _dataSource.Dispose();

    /// <summary>
    /// Runs <paramref name="write"/> in a transaction; commits when it returns, rolls back when it throws. The write's
    /// own failure is what propagates: a rollback that fails as well (the connection broke) does not replace it.
    /// </summary>
    private async Task<T> WriteAsync<T>(Func<IJournalWriter, Task<T>> write, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var result = await write(new Writer(connection, transaction)).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
        catch
        {
            await RollBackQuietlyAsync(transaction).ConfigureAwait(false);
            throw;
        }
    }

    private static async Task RollBackQuietlyAsync(NpgsqlTransaction transaction)
    {
        try
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (NpgsqlException)
        {
            // The connection is gone, and the transaction with it; the write's failure says why.
        }
        catch (InvalidOperationException)
        {
            // The transaction is over already (a failed COMMIT ends it).
        }
    }
}
