using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace ClaudeActors.Journal.Sqlite;

/// <summary>Loads the bundled native SQLite (e_sqlite3) once per process, and asks it what ADO.NET does not tell.</summary>
internal static partial class SqliteNative
{
    // SQLITE_FCNTL_HAS_MOVED: whether the file a connection has open was removed or renamed since it was opened.
    private const int HasMovedOperation = 20;
    private const int Ok = 0;

    private static readonly byte[] MainDatabase = "main\0"u8.ToArray();

    private static readonly Lazy<bool> Loaded = new(() =>
    {
        SQLitePCL.Batteries_V2.Init();
        return true;
    });

    public static void EnsureLoaded() => _ = Loaded.Value;

    /// <summary>Whether the connection is inside a transaction (SQLite may have ended one by itself after an error).</summary>
    public static bool InTransaction(SqliteConnection connection) => SQLitePCL.raw.sqlite3_get_autocommit(connection.Handle) == 0;

    /// <summary>
    /// Whether the file the connection has open is no longer the one at <paramref name="path"/> (removed, renamed or
    /// replaced). Writes would then go to a file nobody will find again.
    /// </summary>
    public static bool HasMoved(SqliteConnection connection, string path)
    {
        try
        {
            var moved = 0;
            return FileControl(connection.Handle!.DangerousGetHandle(), MainDatabase, HasMovedOperation, ref moved) == Ok
                ? moved != 0
                : !File.Exists(path);
        }
        catch (EntryPointNotFoundException)
        {
            return !File.Exists(path);
        }
    }

    [LibraryImport("e_sqlite3", EntryPoint = "sqlite3_file_control")]
    private static partial int FileControl(IntPtr database, byte[] name, int operation, ref int value);
}
