using ClaudeActors.Persistence;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ClaudeActors.IntegrationTests.Support;

/// <summary>
/// Makes a running gateway's journal refuse every write, and lets it work again, the way each database fails for real.
/// SQLite: the journal's folder is taken away and a plain file put in its place, so the file cannot be written back
/// (the SQLite journal must then be in a folder of its own). PostgreSQL: triggers that raise on every insert (the
/// update of a conversation's row still succeeds, so a turn fails halfway through its transaction) and on the
/// heartbeat readiness writes.
/// </summary>
internal sealed class BrokenJournal(JournalProvider provider, string connectionString)
{
    private const string Function = "claude_actors_test_fault";
    private static readonly string[] Inserts = ["journal", "tags", "snapshot"];

    /// <summary>The message the PostgreSQL triggers raise.</summary>
    public const string PostgresMessage = "injected journal fault";

    /// <summary>For the journal these settings (<c>ClaudeActors:Journal:*</c>) name.</summary>
    public static BrokenJournal For(IDictionary<string, string?> database) => new(
        Enum.Parse<JournalProvider>(database[JournalOptions.SectionName + ":Provider"]!),
        database[JournalOptions.SectionName + ":ConnectionString"]!);

    /// <summary>The SQLite journal's folder.</summary>
    private string SqliteFolder => Path.GetDirectoryName(Path.GetFullPath(new SqliteConnectionStringBuilder(connectionString).DataSource))!;

    public async Task BreakAsync()
    {
        if (provider == JournalProvider.Sqlite)
        {
            Directory.Move(SqliteFolder, SqliteFolder + ".taken");
            await File.WriteAllTextAsync(SqliteFolder, "not a folder");
            return;
        }

        var sql = $"CREATE FUNCTION {Function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{PostgresMessage}'; END $$;";
        foreach (var table in Inserts)
        {
            sql += $" CREATE TRIGGER {Function} BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION {Function}();";
        }

        await ExecuteAsync(sql);
    }

    public async Task RepairAsync()
    {
        if (provider == JournalProvider.Sqlite)
        {
            File.Delete(SqliteFolder);
            return;
        }

        await ExecuteAsync($"DROP FUNCTION {Function}() CASCADE;");
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
