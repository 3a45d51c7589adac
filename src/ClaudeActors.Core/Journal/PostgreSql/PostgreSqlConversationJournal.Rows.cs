using ClaudeActors.Conversations;
using Npgsql;

namespace ClaudeActors.Journal.PostgreSql;

/// <summary>How PostgreSQL stores a row.</summary>
internal sealed partial class PostgreSqlConversationJournal
{
    // Timestamps as timestamptz, which keeps microseconds, and Npgsql writes only UTC values: cut to the millisecond,
    // as UTC, so both journals store the same instant.
    private static readonly JournalRows Rows = new(
        () => new NpgsqlParameter(),
        time => DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds()),
        (reader, ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal));

    private static async Task UpdateConversationAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, ConversationRecord record, CancellationToken cancellationToken)
    {
        await using var update = new NpgsqlCommand(JournalSql.UpdateConversation, connection, transaction);
        await Rows.UpdateConversationAsync(update, record, cancellationToken).ConfigureAwait(false);
    }
}
