namespace ClaudeActors.Journal.Sqlite;

/// <summary>Loads the bundled native SQLite (e_sqlite3) once per process.</summary>
internal static class SqliteNative
{
    private static readonly Lazy<bool> Loaded = new(() =>
    {
        SQLitePCL.Batteries_V2.Init();
        return true;
    });

    public static void EnsureLoaded() => _ = Loaded.Value;
}
