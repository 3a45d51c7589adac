using ClaudeActors.Conversations;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace ClaudeActors.Journal.Sqlite;

/// <summary>
/// The embedded journal: one SQLite file in WAL mode, held by one connection in this process
/// (<see cref="SqliteJournalFile"/>), so reads and writes take turns and never meet SQLITE_BUSY. Writes are IMMEDIATE
/// transactions. No other process can open the file while the server runs; a cluster shares PostgreSQL instead.
/// </summary>
internal sealed partial class SqliteConversationJournal : IConversationJournal, IDisposable
{
    private readonly SqliteJournalFile _file;
    private int _disposed;

    /// <param name="connectionString">A SQLite connection string naming the file (<c>Data Source=...</c>).</param>
    /// <param name="maxSizeMegabytes">The most the file may grow to (0: no limit); past it writes fail as a full disk does.</param>
    /// <param name="logger">Where the file's own events go (removed, written back).</param>
    public SqliteConversationJournal(string connectionString, int maxSizeMegabytes, ILogger logger)
    {
        _file = SqliteJournalFile.Acquire(connectionString, maxSizeMegabytes, logger);
    }

    /// <summary>The connection string used when none is configured: <c>journal.db</c> in the data directory.</summary>
    public static string DefaultConnectionString(string dataDirectory) =>
        new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDirectory, "journal.db") }.ToString();

    public Task InitializeAsync(CancellationToken cancellationToken) => _file.InitializeAsync(SqliteSchema.Create, cancellationToken);

    public Task ProbeAsync(CancellationToken cancellationToken) =>
        WriteAsync(JournalWrites.Heartbeat(cancellationToken), cancellationToken);

    public Task<ConversationRecord?> GetAsync(string id, CancellationToken cancellationToken) =>
        _file.ReadAsync(async connection =>
        {
            await using var command = Command(connection, JournalSql.SelectConversation);
            command.Parameters.AddWithValue("@id", id);
            return await Rows.ReadConversationAsync(command, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

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

    public Task<IReadOnlyList<string>> ReadTranscriptAsync(string id, CancellationToken cancellationToken) =>
        _file.ReadAsync<IReadOnlyList<string>>(async connection =>
        {
            await using var command = Command(connection, JournalSql.SelectTranscript);
            command.Parameters.AddWithValue("@id", id);
            return await JournalRows.ReadEntriesAsync(command, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public Task<IReadOnlyList<TurnRecord>> ReadTurnsAsync(string id, CancellationToken cancellationToken) =>
        _file.ReadAsync<IReadOnlyList<TurnRecord>>(async connection =>
        {
            await using var command = Command(connection, JournalSql.SelectTurns);
            command.Parameters.AddWithValue("@id", id);
            return await Rows.ReadTurnsAsync(command, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public Task<ConversationPage> ListAsync(int limit, string? after, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return _file.ReadAsync(async connection =>
        {
            await using var command = Command(connection, JournalSql.ListPage(after));
            return await Rows.ReadPageAsync(command, limit, after, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        WriteAsync(writer => writer.DeleteConversationAsync(id, cancellationToken), cancellationToken);

    public Task<string?> FindByHistoryHashAsync(string historyHash, CancellationToken cancellationToken) =>
        _file.ReadAsync(async connection =>
        {
            await using var command = Command(connection, JournalSql.FindByHistoryHash);
            command.Parameters.AddWithValue("@hash", historyHash);
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        }, cancellationToken);

    /// <summary>Lets go of the file; the last journal on it closes the connection (and so checkpoints the WAL).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _file.Release();
        }
    }

    private Task<T> WriteAsync<T>(Func<Writer, Task<T>> write, CancellationToken cancellationToken) =>
        _file.WriteAsync(connection => write(new Writer(connection)), cancellationToken);
}
