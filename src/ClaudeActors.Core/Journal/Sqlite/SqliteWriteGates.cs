using System.Collections.Concurrent;

namespace ClaudeActors.Journal.Sqlite;

/// <summary>
/// One writer at a time per database file inside the process, shared by every journal on that file, so writers
/// queue here instead of contending for SQLite's write lock (SQLITE_BUSY). Readers never wait on it: WAL mode lets
/// them read while one connection writes.
/// </summary>
internal static class SqliteWriteGates
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    public static SemaphoreSlim For(string database) => Gates.GetOrAdd(database, static _ => new SemaphoreSlim(1, 1));
}
