using Akka.Hosting;
using ClaudeActors.Persistence;

namespace ClaudeActors.Projections;

internal static class ProjectionHostingExtensions
{
    /// <summary>
    /// Starts the node's <see cref="ConversationIndex"/> over the SQL read journal that
    /// <see cref="PersistenceHostingExtensions.WithConversationPersistence"/> configures, registered as
    /// <c>ConversationIndex</c> (<c>IRequiredActor&lt;ConversationIndex&gt;</c>).
    /// </summary>
    public static AkkaConfigurationBuilder WithConversationIndex(this AkkaConfigurationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithActors((system, registry) =>
        {
            var queries = new ReadJournalEventQueries<Akka.Persistence.Sql.Query.SqlReadJournal>(PersistenceHostingExtensions.ReadJournal(system));
            registry.Register<ConversationIndex>(system.ActorOf(ConversationIndex.Props(queries), "conversation-index"));
        });
    }
}
