using System.Text;
using System.Text.Json;
using Npgsql;

namespace ClaudeActors.Testing.Cluster;

/// <summary>Reads the shared PostgreSQL event journal (Akka.Persistence.Sql's <c>journal</c> table) directly.</summary>
public sealed class ClusterJournal(string connectionString)
{
    /// <summary>Every conversation event, ordered by conversation and sequence number.</summary>
    public async Task<IReadOnlyList<JournalEvent>> ConversationEventsAsync()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            """
            SELECT persistence_id, sequence_number, manifest, writer_uuid, ordering, message
            FROM journal
            WHERE persistence_id LIKE 'conversation-%' AND NOT deleted
            ORDER BY persistence_id, sequence_number
            """,
            connection);
        var events = new List<JournalEvent>();
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            var payload = (byte[])reader["message"];
            using var json = JsonDocument.Parse(Encoding.UTF8.GetString(payload));
            events.Add(new JournalEvent(
                reader.GetString(0),
                reader.GetInt64(1),
                reader.IsDBNull(2) ? "" : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetValue(3).ToString(),
                reader.GetInt64(4),
                json.RootElement.Clone()));
        }

        return events;
    }

    /// <summary>The highest global <c>ordering</c> of the journal so far (0 when empty).</summary>
    public async Task<long> HighestOrderingAsync()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT COALESCE(MAX(ordering), 0) FROM journal", connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync().ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }
}
