using ClaudeActors.Conversations;
using System.Data.Common;

namespace ClaudeActors.Journal;

/// <summary>Running the shared statements: the journal supplies the command (its connection, transaction and SQL).</summary>
internal sealed partial class JournalRows
{
    /// <summary>Runs <paramref name="insert"/> (<see cref="JournalSql.InsertConversation"/>); false when the id is taken.</summary>
    public async Task<bool> InsertConversationAsync(DbCommand insert, ConversationRecord record, CancellationToken cancellationToken)
    {
        AddConversation(insert.Parameters, record);
        return await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 0;
    }

    /// <summary>Runs <paramref name="update"/> (<see cref="JournalSql.UpdateConversation"/>); throws when there is no such conversation.</summary>
    public async Task UpdateConversationAsync(DbCommand update, ConversationRecord record, CancellationToken cancellationToken)
    {
        AddConversation(update.Parameters, record);
        if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            throw JournalErrors.NotFound(record.Id);
        }
    }

    /// <summary>The first conversation <paramref name="command"/> returns, or null.</summary>
    public async Task<ConversationRecord?> ReadConversationAsync(DbCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadConversation(reader) : null;
    }

    /// <summary>The turns <paramref name="command"/> (<see cref="JournalSql.SelectTurns"/>) returns.</summary>
    public Task<List<TurnRecord>> ReadTurnsAsync(DbCommand command, CancellationToken cancellationToken) =>
        ReadAllAsync(command, ReadTurn, capacity: 0, cancellationToken);

    /// <summary>The transcript entries <paramref name="command"/> (<see cref="JournalSql.SelectTranscript"/>) returns.</summary>
    public static Task<List<string>> ReadEntriesAsync(DbCommand command, CancellationToken cancellationToken) =>
        ReadAllAsync(command, reader => reader.GetString(0), capacity: 0, cancellationToken);

    /// <summary>
    /// Binds the page parameters to <paramref name="command"/> (<see cref="JournalSql.ListPage"/>) and reads one more row
    /// than <paramref name="limit"/>, to tell whether another page follows.
    /// </summary>
    public async Task<ConversationPage> ReadPageAsync(DbCommand command, int limit, string? after, CancellationToken cancellationToken)
    {
        Add(command.Parameters, "@take", limit + 1);
        if (after is not null)
        {
            Add(command.Parameters, "@after", after);
        }

        var items = await ReadAllAsync(command, ReadConversation, Math.Min(limit + 1, 1_000), cancellationToken).ConfigureAwait(false);
        var hasMore = items.Count > limit;
        if (hasMore)
        {
            items.RemoveAt(limit);
        }

        return new ConversationPage(items, hasMore);
    }

    private static async Task<List<T>> ReadAllAsync<T>(
        DbCommand command, Func<DbDataReader, T> read, int capacity, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<T>(capacity);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
