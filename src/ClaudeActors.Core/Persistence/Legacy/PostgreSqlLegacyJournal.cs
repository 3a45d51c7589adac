using System.Data.Common;
using Npgsql;

namespace ClaudeActors.Persistence.Legacy;

/// <summary>
/// The old release's PostgreSQL journal, in the database the new journal uses. The import holds an advisory lock for
/// as long as it runs, so nodes that start together import one after the other (the second finds nothing left); it is
/// marked imported by renaming the old tables (<c>conversations</c> to <c>legacy_conversations_imported</c>, ...) in
/// one transaction.
/// </summary>
internal sealed class PostgreSqlLegacyJournal : LegacyJournal
{
    /// <summary>The advisory lock held during the import.</summary>
    public const long LockKey = 0x436C_6175_6465_496D; // "ClaudeIm"

    private readonly NpgsqlConnection _connection;

    private PostgreSqlLegacyJournal(NpgsqlConnection connection)
    {
        _connection = connection;
    }

    /// <summary>The old journal in the database, or null when it has none (no <c>conversations</c> table).</summary>
    public static async Task<PostgreSqlLegacyJournal?> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var journal = new PostgreSqlLegacyJournal(connection);
            await using (var lockImport = journal.Command("SELECT pg_advisory_lock(@key);", ("key", LockKey)))
            {
                await lockImport.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

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

        await connection.DisposeAsync().ConfigureAwait(false); // Closing the session releases the lock.
        return null;
    }

    public override async Task MarkImportedAsync(CancellationToken cancellationToken)
    {
        var suffix = await FreeSuffixAsync(TableExistsAsync).ConfigureAwait(false);
        await using var transaction = await _connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var table in Tables)
        {
            await using var rename = new NpgsqlCommand($"ALTER TABLE IF EXISTS \"{table}\" RENAME TO \"legacy_{table}{suffix}\";", _connection, transaction);
            await rename.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public override ValueTask DisposeAsync() => _connection.DisposeAsync();

    protected override DbCommand Command(string sql, params (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, _connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    protected override DateTimeOffset ReadTimestamp(DbDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    // In the connection's search path, as the old release created them (unqualified names).
    private async Task<bool> TableExistsAsync(string table)
    {
        await using var command = Command("SELECT to_regclass(@name) IS NOT NULL;", ("name", $"\"{table}\""));
        return (bool)(await command.ExecuteScalarAsync().ConfigureAwait(false))!;
    }
}
