using ClaudeActors.Persistence;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ClaudeActors.IntegrationTests.Support;

/// <summary>
/// Makes a running gateway's journal refuse every write, and lets it work again: triggers that raise on every insert
/// into the journal's tables (events, tags, snapshots; the readiness heartbeat is an event too), on SQLite and
/// PostgreSQL alike. Reads keep working, as they do when a disk is full.
/// </summary>
internal sealed class BrokenJournal(JournalProvider provider, string connectionString)
{
    private const string Function = "claude_actors_test_fault";
    private static readonly string[] Inserts = ["journal", "tags", "snapshot"];

    /// <summary>The message the triggers raise.</summary>
    public const string Message = "injected journal fault";

    /// <summary>For the journal these settings (<c>ClaudeActors:Journal:*</c>) name.</summary>
    public static BrokenJournal For(IDictionary<string, string?> database) => new(
        Enum.Parse<JournalProvider>(database[JournalOptions.SectionName + ":Provider"]!),
        database[JournalOptions.SectionName + ":ConnectionString"]!);

    public async Task BreakAsync()
    {
        if (provider == JournalProvider.Sqlite)
        {
            var sql = string.Concat(Inserts.Select(table =>
                $"CREATE TRIGGER {Function}_{table} BEFORE INSERT ON {table} BEGIN SELECT RAISE(ABORT, '{Message}'); END;"));
            await ExecuteSqliteAsync(sql);
            return;
        }

        var pg = $"CREATE FUNCTION {Function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{Message}'; END $$;";
        foreach (var table in Inserts)
        {
            pg += $" CREATE TRIGGER {Function} BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION {Function}();";
        }

        await ExecuteAsync(pg);
    }

    public async Task RepairAsync()
    {
        if (provider == JournalProvider.Sqlite)
        {
            await ExecuteSqliteAsync(string.Concat(Inserts.Select(table => $"DROP TRIGGER {Function}_{table};")));
            return;
        }

        await ExecuteAsync($"DROP FUNCTION {Function}() CASCADE;");
    }

    private async Task ExecuteSqliteAsync(string sql)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new SqliteCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Runs DDL on PostgreSQL; one the server's own writes deadlock with is run again (PostgreSQL aborts one side).</summary>
    private async Task ExecuteAsync(string sql)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand(sql, connection);
                await command.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < 10)
            {
            }
        }
    }
}
