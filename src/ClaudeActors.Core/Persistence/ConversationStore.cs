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

    /// <summary>The SQLite database file and its companions: the name of each is the file's plus one of these.</summary>
    private static readonly string[] SqliteFileSuffixes = ["", "-wal", "-shm", "-journal"];

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
    /// permissions. When the file is missing or empty and a copy of a journal removed while the server ran is there
    /// (<see cref="SqliteJournalFile"/>), that copy becomes the journal. Nothing for PostgreSQL.
    /// </summary>
    public void Prepare()
    {
        if (SqlitePath is null)
        {
            return;
        }

        PrivateFiles.CreateDirectory(Path.GetDirectoryName(SqlitePath)!);
        var recovered = SqliteJournalFile.RecoveredPath(SqlitePath);
        if (File.Exists(recovered) && SqliteJournalFile.IsRemoved(SqlitePath))
        {
            // No connection is open yet: the empty file's companions are dropped with it.
            foreach (var suffix in SqliteFileSuffixes)
            {
                File.Delete(SqlitePath + suffix);
            }

            File.Move(recovered, SqlitePath);
        }

        PrivateFiles.CreateEmptyFile(SqlitePath);
        foreach (var suffix in SqliteFileSuffixes)
        {
            PrivateFiles.RestrictFile(SqlitePath + suffix);
        }

        using var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        using var wal = connection.CreateCommand();
        wal.CommandText = "PRAGMA journal_mode = WAL;";
        wal.ExecuteNonQuery();
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
