using ClaudeActors.Persistence;
using Npgsql;

namespace ClaudeActors.Testing.Journal;

/// <summary>
/// A fresh, empty journal database per call, as configuration settings (<c>ClaudeActors:Journal:Provider</c> and
/// <c>ClaudeActors:Journal:ConnectionString</c>): SQLite a new file, PostgreSQL a new database on the server that
/// <see cref="PostgresVariable"/> names (scripts/test.sh starts one and sets it).
/// </summary>
public static class TestDatabases
{
    /// <summary>The environment variable with the connection string of the test PostgreSQL server.</summary>
    public const string PostgresVariable = "CLAUDE_ACTORS_TEST_POSTGRES";

    public const string ProviderKey = JournalOptions.SectionName + ":Provider";
    public const string ConnectionStringKey = JournalOptions.SectionName + ":ConnectionString";
    private const string DatabasePrefix = "claude_actors_test_";

    /// <summary>
    /// The environment variable that chooses the journal of every test gateway that does not choose one itself
    /// (<c>Sqlite</c>, the default, or <c>PostgreSql</c>): the test command runs the integration suite once with each.
    /// </summary>
    public const string DefaultProviderVariable = "CLAUDE_ACTORS_TEST_JOURNAL";

    /// <summary>The provider <see cref="DefaultProviderVariable"/> names.</summary>
    public static JournalProvider DefaultProvider =>
        Enum.TryParse<JournalProvider>(Environment.GetEnvironmentVariable(DefaultProviderVariable), ignoreCase: true, out var provider)
            ? provider
            : JournalProvider.Sqlite;

    /// <summary>Every provider, for <c>[MemberData]</c>.</summary>
    public static IEnumerable<object[]> Providers => [[JournalProvider.Sqlite], [JournalProvider.PostgreSql]];

    /// <summary>Settings for a new database: a file under <paramref name="dataDirectory"/>, or a new PostgreSQL database.</summary>
    public static IDictionary<string, string?> For(JournalProvider provider, string dataDirectory)
    {
        var connectionString = provider switch
        {
            JournalProvider.Sqlite => $"Data Source={Path.Combine(dataDirectory, $"journal-{Guid.NewGuid():N}.db")}",
            JournalProvider.PostgreSql => CreatePostgresDatabase(),
            _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
        };
        return new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            [ProviderKey] = provider.ToString(),
            [ConnectionStringKey] = connectionString,
        };
    }

    /// <summary>
    /// Drops a PostgreSQL database that <see cref="For"/> created (even with connections left open); nothing for SQLite,
    /// whose file goes with the test's folder.
    /// </summary>
    public static async Task DropAsync(IDictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.TryGetValue(ProviderKey, out var name) || !Enum.TryParse<JournalProvider>(name, out var provider)
            || provider != JournalProvider.PostgreSql)
        {
            return;
        }

        var database = new NpgsqlConnectionStringBuilder(settings[ConnectionStringKey]).Database;
        if (database is null || !database.StartsWith(DatabasePrefix, StringComparison.Ordinal))
        {
            return;
        }

        await using var connection = new NpgsqlConnection(ServerConnectionString());
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE);", connection);
        await drop.ExecuteNonQueryAsync();
    }

    private static string CreatePostgresDatabase()
    {
        var server = ServerConnectionString();
        var database = DatabasePrefix + Guid.NewGuid().ToString("N");
        using (var connection = new NpgsqlConnection(server))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\";", connection);
            create.ExecuteNonQuery();
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
    }

    private static string ServerConnectionString()
    {
        var server = Environment.GetEnvironmentVariable(PostgresVariable);
        return string.IsNullOrWhiteSpace(server)
            ? throw new InvalidOperationException(
                $"{PostgresVariable} is not set, so the PostgreSQL journal tests have no server. Run scripts/test.sh, which " +
                $"starts one, or start it yourself: export {PostgresVariable}=\"$(scripts/start-postgres.sh | tail -n 1)\".")
            : server;
    }
}
