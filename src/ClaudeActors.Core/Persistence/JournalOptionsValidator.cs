using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ClaudeActors.Persistence;

/// <summary>
/// Checks what data annotations cannot: PostgreSQL needs a connection string, and a connection string must parse
/// for its provider. Messages name the configuration key and never repeat the connection string (it may hold a password).
/// </summary>
internal sealed class JournalOptionsValidator : IValidateOptions<JournalOptions>
{
    private const string ConnectionStringKey = JournalOptions.SectionName + ":ConnectionString";

    public ValidateOptionsResult Validate(string? name, JournalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Provider switch
        {
            JournalProvider.Sqlite => ValidateSqlite(options.ConnectionString),
            JournalProvider.PostgreSql => ValidatePostgreSql(options.ConnectionString),
            _ => ValidateOptionsResult.Fail($"{JournalOptions.SectionName}:Provider: must be Sqlite or PostgreSql."),
        };
    }

    private static ValidateOptionsResult ValidateSqlite(string? connectionString)
    {
        if (connectionString is null)
        {
            return ValidateOptionsResult.Success; // journal.db in the data directory.
        }

        try
        {
            var builder = new SqliteConnectionStringBuilder(connectionString);
            return builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:"
                ? ValidateOptionsResult.Fail($"{ConnectionStringKey}: the SQLite journal needs a database file (Data Source=<path>).")
                : ValidateOptionsResult.Success;
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail($"{ConnectionStringKey}: not a valid SQLite connection string: {ex.Message}");
        }
    }

    private static ValidateOptionsResult ValidatePostgreSql(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return ValidateOptionsResult.Fail(
                $"{ConnectionStringKey}: required when {JournalOptions.SectionName}:Provider is PostgreSql " +
                "(Host=...;Database=...;Username=...;Password=...).");
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail($"{ConnectionStringKey}: not a valid PostgreSQL connection string: {ex.Message}");
        }
    }
}
