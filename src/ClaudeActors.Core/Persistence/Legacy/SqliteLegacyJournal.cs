using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace ClaudeActors.Persistence.Legacy;

/// <summary>
/// The old release's SQLite journal. Its own file (<c>journal.db</c> in the data directory) is marked imported by
/// renaming it (with any <c>-wal</c>/<c>-shm</c> left) to <c>journal.db.imported</c>; when the configured connection
/// string names the file the new journal uses too, its tables are renamed instead, in one transaction.
/// </summary>
internal sealed class SqliteLegacyJournal : LegacyJournal
{
    /// <summary>The old release's default file name in the data directory.</summary>
    public const string DefaultFileName = "journal.db";

    /// <summary>What the file is renamed to, once imported (appended to its name).</summary>
    public const string ImportedSuffix = ".imported";

    private readonly SqliteConnection _connection;
    private readonly string _path;
    private readonly bool _ownFile;

    private SqliteLegacyJournal(SqliteConnection connection, string path, bool ownFile)
    {
        _connection = connection;
        _path = path;
        _ownFile = ownFile;
    }

    /// <summary>
    /// The old journal in <paramref name="path"/>, or null when there is none (no file, or no <c>conversations</c>
    /// table in it). <paramref name="ownFile"/>: the file is the old journal's alone (renamed when imported).
    /// </summary>
    public static async Task<SqliteLegacyJournal?> OpenAsync(string path, bool ownFile, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = ConversationStore.SqliteBusyTimeoutSeconds,
        }.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var journal = new SqliteLegacyJournal(connection, path, ownFile);
            if (await journal.TableExistsAsync("conversations").ConfigureAwait(false))
            {
                return journal;
            }
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        await connection.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    public override async Task MarkImportedAsync(CancellationToken cancellationToken)
    {
        if (!_ownFile)
        {
            await RenameTablesAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        // Out of WAL mode: the log is written into the file and removed, so the renamed file is whole on its own.
        await using (var delete = Command("PRAGMA journal_mode = DELETE;"))
        {
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await _connection.CloseAsync().ConfigureAwait(false);
        var target = _path + ImportedSuffix;
        for (var attempt = 2; File.Exists(target); attempt++)
        {
            target = $"{_path}{ImportedSuffix}.{attempt}";
        }

        // The main file first: once it has gone, the import never runs again.
        File.Move(_path, target);
        foreach (var suffix in (string[])["-wal", "-shm", "-journal"])
        {
            if (File.Exists(_path + suffix))
            {
                File.Move(_path + suffix, target + suffix);
            }
        }
    }

    public override ValueTask DisposeAsync() => _connection.DisposeAsync();

    protected override DbCommand Command(string sql, params (string Name, object Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue("@" + name, value);
        }

        return command;
    }

    // The old release stored Unix milliseconds.
    protected override DateTimeOffset ReadTimestamp(DbDataReader reader, int ordinal) => DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    private async Task<bool> TableExistsAsync(string table)
    {
        await using var command = Command("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = @name;", ("name", table));
        return await command.ExecuteScalarAsync().ConfigureAwait(false) is not null;
    }

    private async Task RenameTablesAsync(CancellationToken cancellationToken)
    {
        var suffix = await FreeSuffixAsync(TableExistsAsync).ConfigureAwait(false);
        var present = new List<string>();
        foreach (var table in Tables)
        {
            if (await TableExistsAsync(table).ConfigureAwait(false))
            {
                present.Add(table);
            }
        }

        await using var transaction = _connection.BeginTransaction();
        foreach (var table in present)
        {
            await using var rename = Command($"ALTER TABLE \"{table}\" RENAME TO \"legacy_{table}{suffix}\";");
            rename.Transaction = transaction;
            await rename.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
