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

/// <summary>
/// The queries of a read journal created on first use, not at start-up: creating the SQL read journal asks the journal
/// with a fixed 5 s time-out, which a busy machine (several nodes starting at once) can miss. A creation that fails
/// becomes a failed query, which <see cref="ConversationIndex"/> starts again after its back-off; the next use tries
/// to create the journal again.
/// </summary>
internal sealed class LazyEventQueries(Func<IConversationEventQueries> create) : IConversationEventQueries
{
    private IConversationEventQueries? _queries;

    public Source<EventEnvelope, NotUsed> Current(string tag, Offset offset) =>
        Queries(out var failure) is { } queries ? queries.Current(tag, offset) : Source.Failed<EventEnvelope>(failure!);

    public Source<EventEnvelope, NotUsed> Live(string tag, Offset offset) =>
        Queries(out var failure) is { } queries ? queries.Live(tag, offset) : Source.Failed<EventEnvelope>(failure!);

    private IConversationEventQueries? Queries(out Exception? failure)
    {
        failure = null;
        if (_queries is not null)
        {
            return _queries;
        }

        try
        {
            return _queries = create();
        }
        catch (Exception ex)
        {
            failure = ex;
            return null;
        }
    }
}
