using Akka;
using Akka.Persistence.Query;
using Akka.Streams.Dsl;

namespace ClaudeActors.Projections;

/// <summary>The two journal queries the <see cref="ConversationIndex"/> reads: what is there now, and what comes after.</summary>
internal interface IConversationEventQueries
{
    /// <summary>The events tagged <paramref name="tag"/> after <paramref name="offset"/> that the journal holds now; then it completes.</summary>
    Source<EventEnvelope, NotUsed> Current(string tag, Offset offset);

    /// <summary>The events tagged <paramref name="tag"/> after <paramref name="offset"/>, and every one written later (never completes).</summary>
    Source<EventEnvelope, NotUsed> Live(string tag, Offset offset);
}

/// <summary>The queries of an Akka.Persistence.Query read journal (the SQL read journal in the server).</summary>
internal sealed class ReadJournalEventQueries<TJournal>(TJournal journal) : IConversationEventQueries
    where TJournal : ICurrentEventsByTagQuery, IEventsByTagQuery
{
    public Source<EventEnvelope, NotUsed> Current(string tag, Offset offset) => journal.CurrentEventsByTag(tag, offset);

    public Source<EventEnvelope, NotUsed> Live(string tag, Offset offset) => journal.EventsByTag(tag, offset);
}
