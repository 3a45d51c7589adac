using Akka.Actor;
using ClaudeActors.Hosting;
using Microsoft.Extensions.Logging;
using Akka.Hosting;
using ClaudeActors.Conversations;
using ClaudeActors.Persistence;

namespace ClaudeActors.Projections;

internal static partial class ProjectionHostingExtensions
{
    /// <summary>
    /// Starts the node's <see cref="ConversationIndex"/> over the SQL read journal that
    /// <see cref="PersistenceHostingExtensions.WithConversationPersistence"/> configures, registered as
    /// <c>ConversationIndex</c> (<c>IRequiredActor&lt;ConversationIndex&gt;</c>). Start-up waits until it has caught up
    /// with the journal (a list is answered only then), so a started server lists every conversation and is ready.
    /// </summary>
    /// <param name="builder">The actor system's configuration.</param>
    /// <param name="clustered">Other nodes write to the journal too: a missed history-hash lookup reads the journal first.</param>
    public static AkkaConfigurationBuilder WithConversationIndex(this AkkaConfigurationBuilder builder, bool clustered = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithActors((system, registry) =>
        {
            var queries = new LazyEventQueries(() => new ReadJournalEventQueries<Akka.Persistence.Sql.Query.SqlReadJournal>(PersistenceHostingExtensions.ReadJournal(system)));
            registry.Register<ConversationIndex>(system.ActorOf(ConversationIndex.Props(queries, checkJournalOnMiss: clustered), "conversation-index"));
        }).AddStartup(async (system, registry) =>
        {
            var index = await registry.GetAsync<ConversationIndex>().ConfigureAwait(false);
            try
            {
                await index.Ask<ConversationPageReply>(new ListConversations(1, null), CatchUpTimeout).ConfigureAwait(false);
            }
            catch (AskTimeoutException)
            {
                Log.NotCaughtUp(HostLoggers.For(system).CreateLogger<ConversationIndex>(), CatchUpTimeout.TotalSeconds);
            }
        });
    }

    /// <summary>How long start-up waits for the index to catch up with the journal.</summary>
    public static readonly TimeSpan CatchUpTimeout = TimeSpan.FromSeconds(60);

    private static partial class Log
    {
        [LoggerMessage(440, LogLevel.Warning, "The conversation index had not caught up with the journal {Seconds} s after start-up; readiness says so until it has")]
        public static partial void NotCaughtUp(ILogger logger, double seconds);
    }
}
