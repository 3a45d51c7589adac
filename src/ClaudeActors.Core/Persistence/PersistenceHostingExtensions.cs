using Akka.Actor;
using Akka.Hosting;
using Akka.Persistence.Hosting;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Hosting;
using Akka.Persistence.Sql.Query;
using ClaudeActors.Conversations;
using ClaudeActors.Hosting;
using Microsoft.Extensions.Logging;
using JournalOptions = ClaudeActors.Persistence.JournalOptions;

namespace ClaudeActors.Persistence;

/// <summary>Akka.Persistence for conversations: where events and snapshots go, and the actors that watch the journal.</summary>
internal static partial class PersistenceHostingExtensions
{
    /// <summary>The event adapter's name in the journal's configuration.</summary>
    public const string TaggerName = "conversation-tagger";

    /// <summary>How long start-up waits for the warm-up write before it goes on regardless (readiness reports a failing journal).</summary>
    public static readonly TimeSpan WarmUpTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Akka.Persistence.Sql as the default journal and snapshot store (tables created when missing) on the database
    /// <paramref name="options"/> names (<see cref="ConversationStore"/>): SQLite on
    /// <c>&lt;dataDirectory&gt;/conversations.db</c> by default (0600 in a 0700 folder, WAL, a busy time-out), or
    /// PostgreSQL. Conversation events are tagged for the index (<see cref="ConversationEventTagger"/>), and the SQL read
    /// journal is configured for Akka.Persistence.Query (<see cref="ReadJournal"/>). Starts the
    /// <see cref="JournalHeartbeat"/> (registered as <c>JournalHeartbeat</c>) and, at start-up, writes one heartbeat:
    /// the first recovery and write in a process are slow, and this takes that time before the first request does.
    /// </summary>
    public static AkkaConfigurationBuilder WithConversationPersistence(
        this AkkaConfigurationBuilder builder, JournalOptions options, string dataDirectory, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var store = ConversationStore.Resolve(options, dataDirectory);
        store.Prepare();
        builder.WithSqlPersistence(
            connectionString: store.ConnectionString,
            providerName: store.ProviderName,
            mode: PersistenceMode.Both,
            autoInitialize: true,
            journalBuilder: journal => journal.AddWriteEventAdapter<ConversationEventTagger>(TaggerName, [typeof(IConversationEvent)]));
        builder.WithActors((system, registry) =>
            registry.Register<JournalHeartbeat>(system.ActorOf(
                JournalHeartbeat.Props(
                    time ?? TimeProvider.System,
                    HostLoggers.For(system).CreateLogger<JournalHeartbeat>(),
                    Akka.DependencyInjection.DependencyResolver.For(system).Resolver.GetService<Telemetry.ClaudeActorsMetrics>()), "journal-heartbeat")));
        builder.AddStartup(async (system, registry) =>
        {
            var heartbeat = await registry.GetAsync<JournalHeartbeat>().ConfigureAwait(false);
            var status = await JournalProbe.ProbeAsync(heartbeat, WarmUpTimeout, CancellationToken.None).ConfigureAwait(false);
            if (!status.Ok)
            {
                Log.FirstWriteFailed(HostLoggers.For(system).CreateLogger<JournalHeartbeat>(), status.Reason);
            }
        });
        return builder;
    }

    /// <summary>
    /// At start-up, once the actors run, imports the old release's journal (<see cref="LegacyJournalImport"/>) into the
    /// conversations registered as <typeparamref name="TConversations"/> (the shard region). Start-up waits for it;
    /// a failure is logged and the next start tries again.
    /// </summary>
    public static AkkaConfigurationBuilder WithLegacyJournalImport<TConversations>(
        this AkkaConfigurationBuilder builder, JournalOptions options, string dataDirectory, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddStartup(async (system, registry) =>
        {
            var conversations = await registry.GetAsync<TConversations>().ConfigureAwait(false);
            var loggers = HostLoggers.For(system);
            var import = new LegacyJournalImport(
                options, dataDirectory, conversations, time ?? TimeProvider.System, loggers.CreateLogger<LegacyJournalImport>());
            await import.TryRunAsync(CancellationToken.None).ConfigureAwait(false);
        });
    }

    /// <summary>The SQL read journal (Akka.Persistence.Query) over the conversations' journal.</summary>
    public static SqlReadJournal ReadJournal(ActorSystem system) =>
        PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);

    private static partial class Log
    {
        [LoggerMessage(432, LogLevel.Warning, "The conversation journal failed its first write at start-up: {Reason}")]
        public static partial void FirstWriteFailed(ILogger logger, string? reason);
    }
}
