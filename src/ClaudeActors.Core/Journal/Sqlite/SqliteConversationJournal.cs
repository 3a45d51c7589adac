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
        await using var command = Command(connection, null, JournalSql.SelectConversation);
        command.Parameters.AddWithValue("@id", id);
        return await Rows.ReadConversationAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public Task<bool> CreateAsync(
        ConversationRecord record, IReadOnlyList<string> transcript, IReadOnlyList<TurnRecord> turns, CancellationToken cancellationToken) =>
        WriteAsync(JournalWrites.Create(record, transcript, turns, cancellationToken), cancellationToken);

    public Task AppendTurnAsync(ConversationRecord updated, TurnRecord turn, IReadOnlyList<string> transcript, CancellationToken cancellationToken) =>
        WriteAsync(JournalWrites.AppendTurn(updated, turn, transcript, cancellationToken), cancellationToken);

    public Task AppendTranscriptAsync(string id, IReadOnlyList<string> transcript, CancellationToken cancellationToken) =>
        WriteAsync(JournalWrites.AppendTranscript(id, transcript, cancellationToken), cancellationToken);

    public Task UpdateAsync(ConversationRecord updated, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(updated);
        return WriteAsync(async writer =>
        {
            await writer.UpdateConversationAsync(updated, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<string>> ReadTranscriptAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, JournalSql.SelectTranscript);
        command.Parameters.AddWithValue("@id", id);
        return await JournalRows.ReadEntriesAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<TurnRecord>> ReadTurnsAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, JournalSql.SelectTurns);
        command.Parameters.AddWithValue("@id", id);
        return await Rows.ReadTurnsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ConversationPage> ListAsync(int limit, string? after, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, JournalSql.ListPage(after));
        return await Rows.ReadPageAsync(command, limit, after, cancellationToken).ConfigureAwait(false);
    }

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        WriteAsync(writer => writer.DeleteConversationAsync(id, cancellationToken), cancellationToken);

    public async Task<string?> FindByHistoryHashAsync(string historyHash, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, JournalSql.FindByHistoryHash);
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
    private async Task<T> WriteAsync<T>(Func<Writer, Task<T>> write, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = connection.BeginTransaction(deferred: false);
            var result = await write(new Writer(connection, transaction)).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
        finally
        {
            _writeGate.Release();
        }
    }
}
