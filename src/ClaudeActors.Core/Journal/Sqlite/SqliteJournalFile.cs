using ClaudeActors.Cli;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace ClaudeActors.Journal.Sqlite;

/// <summary>
/// The one connection to a journal file in this process, shared by every journal on that file and used by one caller
/// at a time. It holds the file in EXCLUSIVE locking mode, which keeps SQLite's WAL index in this process's memory
/// instead of a mapped <c>-shm</c> file: a mapped file that the file system refuses to write (made immutable, for
/// example) kills the process with SIGBUS, where a failed read or write is only an error. For the same reason the
/// database file is never memory-mapped (<c>mmap_size = 0</c>). The price is that no other process can open the
/// journal while the server runs.
/// </summary>
/// <remarks>
/// Before each write the connection checks that its file is still the one at the journal's path. When it was removed
/// (its folder too, perhaps), the database the connection still holds is written back there (<c>VACUUM INTO</c>) and
/// nothing is lost; when something else has taken its place, or it cannot be written back, writes fail, so that no
/// turn is ever "stored" in a file nobody will find again.
/// </remarks>
internal sealed partial class SqliteJournalFile
{
    private const string OpenPragmas =
        "PRAGMA locking_mode = EXCLUSIVE; PRAGMA busy_timeout = 30000; PRAGMA mmap_size = 0; PRAGMA foreign_keys = ON; " +
        "PRAGMA journal_mode = WAL;";

    private static readonly Dictionary<string, SqliteJournalFile> Files = new(StringComparer.Ordinal);
    private static readonly Lock FilesLock = new();

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _connectionString;
    private readonly int _maxSizeMegabytes;
    private readonly ILogger _logger;
    private SqliteConnection? _connection;
    private int _users;

    private SqliteJournalFile(string path, string connectionString, int maxSizeMegabytes, ILogger logger)
    {
        DatabasePath = path;
        _connectionString = connectionString;
        _maxSizeMegabytes = maxSizeMegabytes;
        _logger = logger;
    }

    /// <summary>The database file, as a full path.</summary>
    public string DatabasePath { get; }

    /// <summary>
    /// The file's shared connection, for one more user (<see cref="Release"/> when done). <paramref name="maxSizeMegabytes"/>
    /// (0: none) caps the database's size; the first user's value holds.
    /// </summary>
    public static SqliteJournalFile Acquire(string connectionString, int maxSizeMegabytes, ILogger logger)
    {
        SqliteNative.EnsureLoaded();
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var path = Path.GetFullPath(builder.DataSource);
        builder.DataSource = path;
        builder.Pooling = false;
        builder.ForeignKeys = null; // Set by OpenPragmas, after the locking mode.
        if (builder.Mode == SqliteOpenMode.ReadWriteCreate)
        {
            // The file is created once, by InitializeAsync, as 0600; a connection never makes an empty one in its place.
            builder.Mode = SqliteOpenMode.ReadWrite;
        }

        lock (FilesLock)
        {
            if (!Files.TryGetValue(path, out var file))
            {
                file = new SqliteJournalFile(path, builder.ToString(), maxSizeMegabytes, logger);
                Files[path] = file;
            }

            file._users++;
            return file;
        }
    }

    /// <summary>One user fewer; the last one closes the connection (which checkpoints the WAL into the file).</summary>
    public void Release()
    {
        lock (FilesLock)
        {
            if (--_users > 0)
            {
                return;
            }

            Files.Remove(DatabasePath);
        }

        _gate.Wait();
        try
        {
            Close();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Creates the file (0600, in a 0700 folder) when missing, makes existing ones 0600, and runs <paramref name="schema"/>.</summary>
    public async Task InitializeAsync(string schema, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            PrivateFiles.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
            PrivateFiles.CreateEmptyFile(DatabasePath);
            foreach (var suffix in (string[])["", "-wal", "-shm", "-journal"])
            {
                PrivateFiles.RestrictFile(DatabasePath + suffix);
            }

            await InTransactionAsync(Connection(), async connection =>
            {
                await using var create = Command(connection, schema);
                return await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Runs <paramref name="read"/> on the connection, alone.</summary>
    public async Task<T> ReadAsync<T>(Func<SqliteConnection, Task<T>> read, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await read(Connection()).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Runs <paramref name="write"/> in an IMMEDIATE transaction on the connection, alone, once the file is where it
    /// belongs; commits when it returns, rolls back when it throws, and the write's own failure is what propagates.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, Task<T>> write, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await InTransactionAsync(InPlaceConnection(), write).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A command of <paramref name="sql"/> on the connection.</summary>
    public static SqliteCommand Command(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = Command(connection, sql);
        command.ExecuteNonQuery();
    }

    private async Task<T> InTransactionAsync<T>(SqliteConnection connection, Func<SqliteConnection, Task<T>> write)
    {
        Execute(connection, "BEGIN IMMEDIATE;");
        try
        {
            var result = await write(connection).ConfigureAwait(false);
            Execute(connection, "COMMIT;");
            return result;
        }
        catch
        {
            RollBack(connection);
            throw;
        }
    }

    /// <summary>
    /// Ends a failed transaction. After SQLITE_FULL, SQLITE_IOERR and the like SQLite may have rolled it back itself;
    /// a ROLLBACK then fails with "cannot rollback - no transaction is active" and must not hide the real cause.
    /// </summary>
    private void RollBack(SqliteConnection connection)
    {
        if (!SqliteNative.InTransaction(connection))
        {
            return;
        }

        try
        {
            Execute(connection, "ROLLBACK;");
        }
        catch (SqliteException ex)
        {
            Log.RollbackFailed(_logger, DatabasePath, ex.Message);
        }

        if (SqliteNative.InTransaction(connection))
        {
            Close(); // Closing a connection rolls its transaction back.
        }
    }

    private SqliteConnection Connection()
    {
        if (_connection is not null)
        {
            return _connection;
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            Execute(connection, OpenPragmas);
            if (_maxSizeMegabytes > 0)
            {
                using var pageSize = Command(connection, "PRAGMA page_size;");
                var pages = (long)_maxSizeMegabytes * 1024 * 1024 / (long)pageSize.ExecuteScalar()!;
                Execute(connection, $"PRAGMA max_page_count = {pages};");
            }

            _connection = connection;
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void Close()
    {
        _connection?.Dispose();
        _connection = null;
    }

    /// <summary>The connection, on the file at the journal's path: put back there first if it was removed.</summary>
    private SqliteConnection InPlaceConnection()
    {
        var connection = Connection();
        if (!SqliteNative.HasMoved(connection, DatabasePath))
        {
            return connection;
        }

        if (File.Exists(DatabasePath) || Directory.Exists(DatabasePath))
        {
            Log.Replaced(_logger, DatabasePath);
            throw new JournalFileException("the journal's database file was replaced while the server ran; restart the server to use the new file");
        }

        Restore(connection);
        return Connection();
    }

    /// <summary>Writes the database the connection holds back to the journal's path, then reopens the connection there.</summary>
    private void Restore(SqliteConnection connection)
    {
        var created = false;
        try
        {
            PrivateFiles.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
            PrivateFiles.CreateEmptyFile(DatabasePath);
            created = true;
            using var vacuum = Command(connection, "VACUUM INTO @path;");
            vacuum.Parameters.AddWithValue("@path", DatabasePath);
            vacuum.ExecuteNonQuery();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SqliteException)
        {
            if (created)
            {
                DeleteQuietly(DatabasePath); // Half written: it must not pass for the journal.
            }

            Log.NotRestored(_logger, DatabasePath, ex);
            throw new JournalFileException("the journal's database file was removed and could not be made again", ex);
        }

        Close(); // The removed file goes with the old connection.
        Log.Restored(_logger, DatabasePath);
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The next write finds it and refuses to use it.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(420, LogLevel.Warning, "The journal file {Path} was removed while the server ran; it has been written back from the server's open connection")]
        public static partial void Restored(ILogger logger, string path);

        [LoggerMessage(421, LogLevel.Error, "The journal file {Path} was removed while the server ran and cannot be written back")]
        public static partial void NotRestored(ILogger logger, string path, Exception exception);

        [LoggerMessage(422, LogLevel.Error, "The journal file {Path} was replaced while the server ran; writes fail until the server restarts")]
        public static partial void Replaced(ILogger logger, string path);

        [LoggerMessage(423, LogLevel.Warning, "Rolling back a failed write to the journal {Path} failed as well: {Reason}")]
        public static partial void RollbackFailed(ILogger logger, string path, string reason);
    }
}
