using Microsoft.Data.Sqlite;

namespace ClaudeActors.Journal.Sqlite;

/// <summary>
/// The embedded journal: one SQLite file in WAL mode. Writes queue on one gate per file inside the process and run
/// as IMMEDIATE transactions, so concurrent conversations never meet SQLITE_BUSY; reads run concurrently on pooled
/// connections. Another process on the same file waits up to the busy timeout for the write lock.
/// </summary>
internal sealed partial class SqliteConversationJournal : IConversationJournal, IDisposable
{
    // SQLite's own busy handler: waits up to 30 s for another process's write lock instead of failing at once.
    private const string BusyTimeoutPragma = "PRAGMA busy_timeout = 30000;";

    private readonly string _connectionString;
    private readonly string _databaseFile;
    private readonly SemaphoreSlim _writeGate;

    public SqliteConversationJournal(string connectionString)
    {
        SqliteNative.EnsureLoaded();
        var builder = new SqliteConnectionStringBuilder(connectionString);
        _databaseFile = Path.GetFullPath(builder.DataSource);
        builder.DataSource = _databaseFile;
        builder.ForeignKeys = true; // ON DELETE CASCADE needs it on every connection.
        _connectionString = builder.ToString();
        _writeGate = SqliteWriteGates.For(_databaseFile);
    }

    /// <summary>The connection string used when none is configured: <c>journal.db</c> in the data directory.</summary>
    public static string DefaultConnectionString(string dataDirectory) =>
        new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDirectory, "journal.db") }.ToString();

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_databaseFile)!);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            // WAL is a property of the file: set once, every later connection uses it.
            await using (var wal = Command(connection, null, "PRAGMA journal_mode = WAL;"))
            {
                await wal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using var transaction = connection.BeginTransaction(deferred: false);
            await using (var schema = Command(connection, transaction, SqliteSchema.Create))
            {
                await schema.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public async Task<ConversationRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, $"SELECT {ConversationColumns} FROM conversations WHERE id = @id;");
        command.Parameters.AddWithValue("@id", id);
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
            await using (var insert = Command(connection, transaction, InsertConversation))
            {
                AddConversation(insert.Parameters, record);
                if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                {
                    return false;
                }
            }

            foreach (var turn in turns)
            {
                await InsertTurnAsync(connection, transaction, record.Id, turn, cancellationToken).ConfigureAwait(false);
            }

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
            await UpdateConversationAsync(connection, transaction, updated, cancellationToken).ConfigureAwait(false);
            await InsertTurnAsync(connection, transaction, updated.Id, turn, cancellationToken).ConfigureAwait(false);
            await AppendEntriesAsync(connection, transaction, updated.Id, transcript, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    public Task AppendTranscriptAsync(string id, IReadOnlyList<string> transcript, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        return WriteAsync(async (connection, transaction) =>
        {
            await using (var exists = Command(connection, transaction, "SELECT 1 FROM conversations WHERE id = @id;"))
            {
                exists.Parameters.AddWithValue("@id", id);
                if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
                {
                    throw JournalErrors.NotFound(id);
                }
            }

            await AppendEntriesAsync(connection, transaction, id, transcript, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    public Task UpdateAsync(ConversationRecord updated, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(updated);
        return WriteAsync(async (connection, transaction) =>
        {
            await UpdateConversationAsync(connection, transaction, updated, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<string>> ReadTranscriptAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(
            connection, null, "SELECT entry FROM transcript_entries WHERE conversation_id = @id ORDER BY position;");
        command.Parameters.AddWithValue("@id", id);
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
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(
            connection, null, $"SELECT {TurnColumns} FROM turns WHERE conversation_id = @id ORDER BY sequence;");
        command.Parameters.AddWithValue("@id", id);
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
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, after is null ? ListFirstPage : ListPageAfter);
        command.Parameters.AddWithValue("@take", limit + 1);
        if (after is not null)
        {
            command.Parameters.AddWithValue("@after", after);
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

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            await using var delete = Command(connection, transaction, "DELETE FROM conversations WHERE id = @id;");
            delete.Parameters.AddWithValue("@id", id);
            return await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }, cancellationToken);

    public async Task<string?> FindByHistoryHashAsync(string historyHash, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(
            connection, null, "SELECT id FROM conversations WHERE history_hash = @hash ORDER BY last_used DESC, id LIMIT 1;");
        command.Parameters.AddWithValue("@hash", historyHash);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    /// <summary>Closes the pooled connections to the file (and so checkpoints the WAL).</summary>
    public void Dispose()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var pragma = Command(connection, null, BusyTimeoutPragma);
            await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs <paramref name="write"/> in an IMMEDIATE transaction, one writer at a time; commits when it returns.</summary>
    private async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> write, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = connection.BeginTransaction(deferred: false);
            var result = await write(connection, transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
        finally
        {
            _writeGate.Release();
        }
    }
}
