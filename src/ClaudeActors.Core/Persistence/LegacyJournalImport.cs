using Akka.Actor;
using ClaudeActors.Conversations;
using ClaudeActors.Persistence;
using ClaudeActors.Persistence.Legacy;
using Microsoft.Extensions.Logging;

namespace ClaudeActors.Persistence;

/// <summary>
/// The one-time import of what the old release's journal holds (SQLite <c>&lt;DataDirectory&gt;/journal.db</c>, or the
/// file the configured connection string names; or the old tables in the PostgreSQL database): each conversation, with
/// its record, turns and transcript entries in order, goes to the conversation's entity as an
/// <see cref="ImportConversation"/> (through the shard region), one after the other. When all are in, the old journal is
/// marked imported (<see cref="LegacyJournal.MarkImportedAsync"/>) and the import never runs again. A failure on the way
/// changes nothing in the old journal, and the next start imports again; the conversations imported before answer
/// "existed" then, so nothing is imported twice.
/// </summary>
internal sealed partial class LegacyJournalImport(
    JournalOptions options, string dataDirectory, IActorRef conversations, TimeProvider time, ILogger<LegacyJournalImport> logger)
{
    /// <summary>How long one conversation's import may take before the import gives up (and runs again at the next start).</summary>
    public static readonly TimeSpan ConversationTimeout = TimeSpan.FromSeconds(60);

    public async Task<LegacyImportOutcome> RunAsync(CancellationToken cancellationToken)
    {
        await using var legacy = await OpenAsync(cancellationToken).ConfigureAwait(false);
        if (legacy is null)
        {
            return LegacyImportOutcome.NothingToImport;
        }

        var ids = await legacy.ConversationIdsAsync(cancellationToken).ConfigureAwait(false);
        Log.Started(logger, ids.Count, options.Provider);
        int imported = 0, existing = 0;
        foreach (var id in ids)
        {
            if (await legacy.ReadAsync(id, cancellationToken).ConfigureAwait(false) is not { } conversation)
            {
                continue;
            }

            var request = new ImportConversation(
                id, conversation.Record, conversation.Turns, conversation.Transcript, time.GetUtcNow() + ConversationTimeout);
            var reply = await conversations.Ask<object>(request, ConversationTimeout, cancellationToken).ConfigureAwait(false);
            switch (reply)
            {
                case ImportResult { Imported: true }:
                    imported++;
                    break;
                case ImportResult:
                    existing++;
                    break;
                default:
                    throw new LegacyImportException($"The conversation entity answered the import of a conversation with {reply.GetType().Name}.");
            }
        }

        await legacy.MarkImportedAsync(cancellationToken).ConfigureAwait(false);
        Log.Completed(logger, imported, existing);
        return new LegacyImportOutcome(true, imported, existing);
    }

    /// <summary>Runs the import, logging a failure instead of throwing it: the server starts anyway, and the next start tries again.</summary>
    public async Task<LegacyImportOutcome?> TryRunAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.Failed(logger, ex);
            return null;
        }
    }

    private async Task<LegacyJournal?> OpenAsync(CancellationToken cancellationToken)
    {
        var store = ConversationStore.Resolve(options, dataDirectory);
        if (store.Provider == JournalProvider.PostgreSql)
        {
            return await PostgreSqlLegacyJournal.OpenAsync(store.ConnectionString, cancellationToken).ConfigureAwait(false);
        }

        // Configured: the old journal's tables are in the very file the new journal uses. Else journal.db of its own.
        return store.Configured
            ? await SqliteLegacyJournal.OpenAsync(store.SqlitePath!, ownFile: false, cancellationToken).ConfigureAwait(false)
            : await SqliteLegacyJournal.OpenAsync(
                Path.GetFullPath(Path.Combine(dataDirectory, SqliteLegacyJournal.DefaultFileName)), ownFile: true, cancellationToken).ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(440, LogLevel.Information, "Importing {Count} conversations from the old release's {Provider} journal")]
        public static partial void Started(ILogger logger, int count, JournalProvider provider);

        [LoggerMessage(441, LogLevel.Information, "Imported the old journal: {Imported} conversations imported, {Existing} were there already; it is marked imported")]
        public static partial void Completed(ILogger logger, int imported, int existing);

        [LoggerMessage(442, LogLevel.Error, "Importing the old release's journal failed; it is left as it was and the import runs again at the next start")]
        public static partial void Failed(ILogger logger, Exception exception);
    }
}

/// <summary>What an import did: whether there was an old journal, and how many conversations it imported or found there already.</summary>
internal sealed record LegacyImportOutcome(bool Found, int Imported, int Existing)
{
    public static readonly LegacyImportOutcome NothingToImport = new(false, 0, 0);
}

/// <summary>The import cannot go on (the entity answered something other than an <see cref="ImportResult"/>).</summary>
internal sealed class LegacyImportException(string message) : Exception(message);
