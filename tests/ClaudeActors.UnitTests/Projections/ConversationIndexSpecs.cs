using System.Collections.Concurrent;
using Akka;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.TestKit;
using ClaudeActors.Conversations;
using ClaudeActors.Projections;
using Xunit.Abstractions;
using static ClaudeActors.UnitTests.Projections.IndexSamples;

namespace ClaudeActors.UnitTests.Projections;

public sealed class ConversationIndexSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(Config, output: output)
{
    private static readonly Config Config = ConfigurationFactory.ParseString(
        // Waits are for conditions; the generous default only matters when one never holds (a busy 2-core machine).
        "akka.scheduler.implementation = \"Akka.TestKit.TestScheduler, Akka.TestKit\"\nakka.test.single-expect-default = 20s");

    [Fact]
    public async Task Requests_wait_until_the_journal_has_been_read_then_are_answered_from_it()
    {
        var queries = new FakeQueries();
        var release = queries.HoldCurrent();
        queries.Stored.Add(Envelope(1, "a", 1, Started("a", 1, "ha")));
        queries.Stored.Add(Envelope(2, "b", 1, Started("b", 2)));
        var index = Sys.ActorOf(ConversationIndex.Props(queries));

        index.Tell(new ListConversations(10, null));
        index.Tell(GetIndexStatus.Instance);
        Assert.False(ExpectMsg<IndexStatus>().CaughtUp);

        release.SetResult(true);
        var page = ExpectMsg<ConversationPageReply>().Page;
        Assert.Equal(["b", "a"], page.Items.Select(r => r.Id));
        index.Tell(new FindByHistoryHash("ha"));
        Assert.Equal("a", ExpectMsg<HistoryHashMatch>().ConversationId);
        index.Tell(GetIndexStatus.Instance);
        Assert.Equal(new IndexStatus(true, 2), ExpectMsg<IndexStatus>());

        // The live query starts after the last event read.
        await AwaitConditionAsync(() => Task.FromResult(queries.LiveOffsets.Count == 1));
        Assert.Equal(Offset.Sequence(2), queries.LiveOffsets.Single());
    }

    [Fact]
    public async Task The_live_query_and_the_local_publication_both_reach_the_index_once()
    {
        var queries = new FakeQueries();
        var index = Sys.ActorOf(ConversationIndex.Props(queries));
        await AwaitConditionAsync(() => Task.FromResult(queries.LiveQueues.Count == 1));
        var live = queries.LiveQueues.Single();

        // The entity's publication comes first; the polled event for the same sequence number changes nothing.
        Sys.EventStream.Publish(new ConversationChanged("a", 1, Record("a", 1, "h1")));
        await AwaitListAsync(index, ["a"]);
        await live.OfferAsync(Envelope(1, "a", 1, Started("a", 1, "stale-hash")));
        await live.OfferAsync(Envelope(2, "b", 1, Started("b", 3)));
        await AwaitListAsync(index, ["b", "a"]);
        index.Tell(new FindByHistoryHash("h1"));
        Assert.Equal("a", ExpectMsg<HistoryHashMatch>().ConversationId);

        await live.OfferAsync(Envelope(3, "b", 2, new ConversationDeleted(T0)));
        await AwaitListAsync(index, ["a"]);
        await live.OfferAsync(new EventEnvelope(Offset.Sequence(4), "journal-heartbeat-x", 1, Started("x", 9), 0, [ConversationTags.Index]));
        Sys.EventStream.Publish(new ConversationChanged("a", 2, null));
        await AwaitListAsync(index, []);
    }

    [Fact]
    public async Task A_failed_query_starts_again_after_a_back_off_from_the_last_event()
    {
        var queries = new FakeQueries { FailCurrentOnce = true };
        queries.Stored.Add(Envelope(1, "a", 1, Started("a", 1)));
        var index = Sys.ActorOf(ConversationIndex.Props(queries));
        await AwaitConditionAsync(() => Task.FromResult(queries.CurrentOffsets.Count == 1));
        index.Tell(GetIndexStatus.Instance);
        Assert.False(ExpectMsg<IndexStatus>().CaughtUp);

        var scheduler = (TestScheduler)Sys.Scheduler;
        await AwaitAssertAsync(() =>
        {
            scheduler.Advance(ConversationIndex.MinRestartDelay);
            Assert.Equal(2, queries.CurrentOffsets.Count);
        });
        await AwaitListAsync(index, ["a"]);
    }

    [Fact]
    public async Task In_a_cluster_a_missed_hash_reads_the_journal_before_answering()
    {
        // Another node persisted the turn: no local publication, and the live query has not polled it yet.
        var queries = new FakeQueries();
        var index = Sys.ActorOf(ConversationIndex.Props(queries, checkJournalOnMiss: true));
        await AwaitConditionAsync(() => Task.FromResult(queries.LiveQueues.Count == 1));
        queries.Stored.Add(Envelope(1, "elsewhere", 1, Started("elsewhere", 1, "h-remote")));

        index.Tell(new FindByHistoryHash("h-remote"));
        Assert.Equal("elsewhere", ExpectMsg<HistoryHashMatch>().ConversationId);

        // A hash the journal does not have either is a miss, after one more read; a hit reads nothing.
        var reads = queries.CurrentOffsets.Count;
        index.Tell(new FindByHistoryHash("h-nowhere"));
        Assert.Null(ExpectMsg<HistoryHashMatch>().ConversationId);
        Assert.Equal(reads + 1, queries.CurrentOffsets.Count);
        Assert.Equal(Offset.Sequence(1), queries.CurrentOffsets.Last());
        index.Tell(new FindByHistoryHash("h-remote"));
        Assert.Equal("elsewhere", ExpectMsg<HistoryHashMatch>().ConversationId);
        Assert.Equal(reads + 1, queries.CurrentOffsets.Count);
    }

    [Fact]
    public async Task A_node_alone_answers_a_miss_from_memory()
    {
        var queries = new FakeQueries();
        var index = Sys.ActorOf(ConversationIndex.Props(queries));
        await AwaitConditionAsync(() => Task.FromResult(queries.LiveQueues.Count == 1));
        queries.Stored.Add(Envelope(1, "elsewhere", 1, Started("elsewhere", 1, "h-remote")));
        var reads = queries.CurrentOffsets.Count;

        index.Tell(new FindByHistoryHash("h-remote"));

        Assert.Null(ExpectMsg<HistoryHashMatch>().ConversationId);
        Assert.Equal(reads, queries.CurrentOffsets.Count);
    }

    [Fact]
    public async Task A_read_journal_that_cannot_be_created_yet_is_created_again_after_the_back_off()
    {
        var queries = new FakeQueries();
        queries.Stored.Add(Envelope(1, "a", 1, Started("a", 1)));
        var attempts = 0;
        var lazy = new LazyEventQueries(() => Interlocked.Increment(ref attempts) == 1
            ? throw new AskTimeoutException("Timeout after 5.00 seconds")
            : queries);
        var index = Sys.ActorOf(ConversationIndex.Props(lazy));
        await AwaitConditionAsync(() => Task.FromResult(Volatile.Read(ref attempts) == 1));
        index.Tell(GetIndexStatus.Instance);
        Assert.False(ExpectMsg<IndexStatus>().CaughtUp);

        var scheduler = (TestScheduler)Sys.Scheduler;
        await AwaitAssertAsync(() =>
        {
            scheduler.Advance(ConversationIndex.MinRestartDelay);
            Assert.Single(queries.CurrentOffsets);
        });
        await AwaitListAsync(index, ["a"]);
        Assert.Equal(2, Volatile.Read(ref attempts));
    }

    private static EventEnvelope Envelope(long offset, string conversationId, long sequenceNr, IConversationEvent e) =>
        new(Offset.Sequence(offset), "conversation-" + conversationId, sequenceNr, e, 0, [ConversationTags.Index]);

    private async Task AwaitListAsync(IActorRef index, string[] expected) =>
        await AwaitAssertAsync(async () =>
        {
            var page = (await index.Ask<ConversationPageReply>(new ListConversations(100, null), RemainingOrDefault)).Page;
            Assert.Equal(expected, page.Items.Select(r => r.Id));
        });

    /// <summary>The two tag queries, on events the test controls.</summary>
    private sealed class FakeQueries : IConversationEventQueries
    {
        private TaskCompletionSource<bool>? _hold;

        public List<EventEnvelope> Stored { get; } = [];

        public bool FailCurrentOnce { get; set; }

        public ConcurrentQueue<Offset> CurrentOffsets { get; } = new();

        public ConcurrentQueue<Offset> LiveOffsets { get; } = new();

        public ConcurrentQueue<ISourceQueueWithComplete<EventEnvelope>> LiveQueues { get; } = new();

        /// <summary>The current query waits until the returned source is completed.</summary>
        public TaskCompletionSource<bool> HoldCurrent() => _hold = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

        public Source<EventEnvelope, NotUsed> Current(string tag, Offset offset)
        {
            CurrentOffsets.Enqueue(offset);
            if (FailCurrentOnce)
            {
                FailCurrentOnce = false;
                return Source.Failed<EventEnvelope>(new InvalidOperationException("the database went away"));
            }

            var events = Source.From(Stored.ToList());
            return _hold is { } hold ? Source.FromTask(hold.Task).SelectMany(_ => Stored.ToList()) : events;
        }

        public Source<EventEnvelope, NotUsed> Live(string tag, Offset offset)
        {
            LiveOffsets.Enqueue(offset);
            return Source.Queue<EventEnvelope>(16, OverflowStrategy.Backpressure)
                .MapMaterializedValue(queue =>
                {
                    LiveQueues.Enqueue(queue);
                    return NotUsed.Instance;
                });
        }
    }
}
