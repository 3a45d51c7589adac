using Microsoft.Data.Sqlite;

namespace ClaudeActors.Persistence;

/// <summary>
/// Keeps the SQLite journal recoverable when its file is removed from under the running server (its data directory
/// deleted, say). The server then goes on with the removed file, which its connections still reach; a restart would find
/// nothing. So this keeps a connection of its own open to the journal for the server's life, and once the file is gone
/// it copies the journal through that connection (SQLite's backup, a consistent snapshot) to
/// <c>&lt;file&gt;.recovered</c>: at once, again at most every <see cref="CopyInterval"/> while the server runs on, and a
/// last time when the server stops (after the actor system, so after the last write). The next start takes that copy
/// as its journal (<see cref="ConversationStore.Prepare"/>). Nothing swaps files under open connections.
/// </summary>
internal sealed class SqliteJournalFile : IDisposable
{
    public const string RecoveredSuffix = ".recovered";

    public static readonly TimeSpan CopyInterval = TimeSpan.FromSeconds(30);

    private readonly string _path;
    private readonly SqliteConnection _own;
    private readonly Lock _gate = new();
    private DateTimeOffset? _copied;

    public SqliteJournalFile(string path, string connectionString)
    {
        _path = path;
        // Never creates the file: it opens the journal that is there (Prepare made it).
        _own = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false, Mode = SqliteOpenMode.ReadWrite }.ConnectionString);
        _own.Open();

        // A first read maps the WAL index (the -shm file) into this connection, which keeps it for its life: a removed
        // -shm could not be opened again by path later.
        using var read = _own.CreateCommand();
        read.CommandText = "SELECT count(*) FROM sqlite_master";
        read.ExecuteScalar();
    }

    /// <summary>The copy a start takes as its journal when the journal file is missing or empty.</summary>
    public static string RecoveredPath(string path) => path + RecoveredSuffix;

    /// <summary>
    /// Whether the journal file is gone from its path: missing, or a new empty file a connection made there since (one
    /// that never held a journal has no byte written).
    /// </summary>
    public static bool IsRemoved(string path) => !File.Exists(path) || new FileInfo(path).Length == 0;

    /// <summary>
    /// Copies the journal aside when its file was removed (the first time, and then at most every
    /// <see cref="CopyInterval"/>); true when it copied now. Throws what the copy throws (an I/O error, a folder that is
    /// gone).
    /// </summary>
    public bool CopyIfRemoved(DateTimeOffset now)
    {
        if (!IsRemoved(_path))
        {
            return false;
        }

        lock (_gate)
        {
            if (_copied is { } last && now - last < CopyInterval)
            {
                return false;
            }

            CopyOut();
            _copied = now;
            return true;
        }
    }

    /// <summary>The last copy, when the file was removed, then the connection closes.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            try
            {
                if (_copied is not null && Directory.Exists(Path.GetDirectoryName(_path)))
                {
                    CopyOut();
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SqliteException)
            {
                // Nothing to log to any more: the copy taken while the server ran stays.
            }
            finally
            {
                _own.Dispose();
            }
        }
    }

    private void CopyOut()
    {
        var recovered = RecoveredPath(_path);
        var partial = recovered + ".partial";
        File.Delete(partial);
        using (var destination = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = partial, Pooling = false }.ConnectionString))
        {
            destination.Open();
            _own.BackupDatabase(destination);
        }

        Cli.PrivateFiles.RestrictFile(partial);
        File.Move(partial, recovered, overwrite: true);
    }
}
