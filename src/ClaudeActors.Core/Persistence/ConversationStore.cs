using ClaudeActors.Cli;
using ClaudeActors.Persistence;
using LinqToDB;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ClaudeActors.Persistence;

/// <summary>
/// Where Akka.Persistence.Sql keeps the conversations' events and snapshots, as the user's <see cref="JournalOptions"/>
/// name it. SQLite: <c>&lt;DataDirectory&gt;/conversations.db</c>, or the file the connection string names (the old
/// release's tables may then share that file until they are imported); PostgreSQL: the connection string's database.
/// </summary>
internal sealed record ConversationStore
{
    /// <summary>The SQLite file's name in the data directory when no connection string is configured.</summary>
    public const string DefaultSqliteFileName = "conversations.db";

    /// <summary>
    /// How long a SQLite command waits for the file's write lock before it fails with SQLITE_BUSY (Microsoft.Data.Sqlite
    /// retries a busy or locked statement until then). Many entities persist at once on one file; each waits its turn.
    /// </summary>
    public const int SqliteBusyTimeoutSeconds = 30;

    public required JournalProvider Provider { get; init; }

    /// <summary>The connection string Akka.Persistence.Sql uses.</summary>
    public required string ConnectionString { get; init; }

    /// <summary>The linq2db provider: <see cref="ProviderName.SQLiteMS"/> or <see cref="ProviderName.PostgreSQL15"/>.</summary>
    public required string ProviderName { get; init; }

    /// <summary>The SQLite file, as a full path; null for PostgreSQL.</summary>
    public string? SqlitePath { get; init; }

    /// <summary>Whether the connection string was configured (not the default SQLite file).</summary>
    public required bool Configured { get; init; }

    public static ConversationStore Resolve(JournalOptions options, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        return options.Provider switch
        {
            JournalProvider.Sqlite => Sqlite(options.ConnectionString, dataDirectory),
            JournalProvider.PostgreSql => new ConversationStore
            {
                Provider = JournalProvider.PostgreSql,
                ConnectionString = new NpgsqlConnectionStringBuilder(
                    options.ConnectionString ?? throw new InvalidOperationException(
                        $"{JournalOptions.SectionName}:ConnectionString is required for PostgreSql.")).ConnectionString,
                ProviderName = LinqToDB.ProviderName.PostgreSQL15,
                Configured = true,
            },
            _ => throw new InvalidOperationException($"{JournalOptions.SectionName}:Provider: unknown provider {options.Provider}."),
        };
    }

    /// <summary>
    /// SQLite only: creates the file's folder (0700) and the file (0600) when missing, makes an existing file 0600, and
    /// puts the database in WAL mode (persistent in the file), so that readers never wait for a writer and writers
    /// wait for each other instead of failing. SQLite gives its <c>-wal</c> and <c>-shm</c> files the database file's
    /// permissions. Nothing for PostgreSQL.
    /// </summary>
    public void Prepare()
    {
        if (SqlitePath is null)
        {
            return;
        }

        PrivateFiles.CreateDirectory(Path.GetDirectoryName(SqlitePath)!);
        PrivateFiles.CreateEmptyFile(SqlitePath);
        foreach (var suffix in (string[])["", "-wal", "-shm", "-journal"])
        {
            PrivateFiles.RestrictFile(SqlitePath + suffix);
        }

        using var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        using var wal = connection.CreateCommand();
        wal.CommandText = "PRAGMA journal_mode = WAL;";
        wal.ExecuteNonQuery();
    }

    /// <summary>
    /// SQLite only: when the database file has been removed while the server runs (its folder deleted, then made again),
    /// writes it again from a connection the pool still holds to the removed file, and empties the pool so that every
    /// later connection opens the file written again. Without that, the server would go on writing into the removed file,
    /// and a restart would find every conversation gone. Returns what happened, for the log; null when the file is there
    /// (or its folder is not: the caller makes it first).
    /// </summary>
    /// <remarks>
    /// A write that lands between the copy and the emptying of the pool is still written to the removed file: a window
    /// of a few milliseconds, once. With no pooled connection left (the pool drops idle ones after a while) the removed
    /// file cannot be reached any more, and the journal starts empty.
    /// </remarks>
    public string? RestoreSqliteFileIfRemoved()
    {
        if (SqlitePath is null || File.Exists(SqlitePath) || !Directory.Exists(Path.GetDirectoryName(SqlitePath)))
        {
            return null;
        }

        var copy = SqlitePath + ".restoring";
        using (var source = new SqliteConnection(ConnectionString))
        {
            // Same connection string, so the pool's connection if it has one: that one still reads the removed file.
            source.Open();
            using var tables = source.CreateCommand();
            tables.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table'";
            if (Convert.ToInt64(tables.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                // A new, empty file: no connection to the removed one was left.
                SqliteConnection.ClearAllPools();
                return "the journal file was removed and no connection to it was left: it starts empty";
            }

            File.Delete(copy);
            using var destination = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copy, Pooling = false }.ConnectionString);
            destination.Open();
            source.BackupDatabase(destination);
        }

        File.Move(copy, SqlitePath, overwrite: true);
        SqliteConnection.ClearAllPools();
        Prepare();
        return "the journal file was removed: it has been written again from the server's open connection";
    }

    private static ConversationStore Sqlite(string? configured, string dataDirectory)
    {
        var builder = configured is null
            ? new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDirectory, DefaultSqliteFileName) }
            : new SqliteConnectionStringBuilder(configured);
        var path = Path.GetFullPath(builder.DataSource);
        builder.DataSource = path;
        builder.DefaultTimeout = SqliteBusyTimeoutSeconds;
        builder.Pooling = true;
        return new ConversationStore
        {
            Provider = JournalProvider.Sqlite,
            ConnectionString = builder.ConnectionString,
            ProviderName = LinqToDB.ProviderName.SQLiteMS,
            SqlitePath = path,
            Configured = configured is not null,
        };
    }
}
