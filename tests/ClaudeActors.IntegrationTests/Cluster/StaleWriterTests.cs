using Akka.Actor;
using Akka.Persistence;
using ClaudeActors.Conversations;
using ClaudeActors.IntegrationTests.Persistence;
using ClaudeActors.Persistence;
using ClaudeActors.Testing.Journal;

namespace ClaudeActors.IntegrationTests.Cluster;

/// <summary>
/// What keeps a downed node from writing for a conversation that moved: the journal's key on (persistence id, sequence
/// number). The stale incarnation recovered the same events as the new owner, so its next write takes a sequence number
/// the new owner already stored; the insert conflicts, the write fails (the entity stops and its turn ends "not
/// stored"), and the journal holds each event once, in the owner's order.
/// </summary>
public sealed class StaleWriterTests
{
    private static readonly TimeSpan Ask = TimeSpan.FromSeconds(30);

    public static IEnumerable<object[]> Providers => TestDatabases.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_stale_incarnation_cannot_write_after_the_new_owner_did(JournalProvider provider)
    {
        await using var store = new TestStore(provider);
        await using var host = await PersistenceHost.StartAsync(store.Options, store.DataDirectory);
        var stale = host.System.ActorOf(Props.Create(() => new Writer("moved")), "stale");
        Assert.Equal(1L, await stale.Ask<long>(Samples.Started("moved", Samples.T0), Ask));

        // The conversation moved: its new incarnation recovers what was stored and goes on.
        var owner = host.System.ActorOf(Props.Create(() => new Writer("moved")), "owner");
        Assert.Equal(2L, await owner.Ask<long>(Samples.Turn(1, Samples.T0.AddSeconds(1), "h1"), Ask));

        // The old one (on a node that was paused and downed meanwhile) wakes up and writes.
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => stale.Ask<long>(Samples.Turn(1, Samples.T0.AddSeconds(2), "stale"), Ask));
        Assert.IsNotType<AskTimeoutException>(refused);

        var fresh = host.System.ActorOf(Props.Create(() => new Writer("moved")), "fresh");
        var stored = await fresh.Ask<IReadOnlyList<IConversationEvent>>(Writer.Recovered.Instance, Ask);
        Assert.Collection(
            stored,
            e => Assert.IsType<ConversationStarted>(e),
            e => Assert.Equal("h1", Assert.IsType<TurnRecorded>(e).HistoryHash));
    }

    /// <summary>A persistent actor with a conversation's persistence id that stores what it is sent, answering its sequence number.</summary>
    private sealed class Writer : ReceivePersistentActor
    {
        private readonly List<IConversationEvent> _recovered = [];
        private IActorRef? _requester;

        public Writer(string conversationId)
        {
            PersistenceId = ConversationPersistenceIds.For(conversationId);
            Recover<IConversationEvent>(_recovered.Add);
            Command<Recovered>(_ => Sender.Tell((IReadOnlyList<IConversationEvent>)_recovered));
            Command<IConversationEvent>(e =>
            {
                _requester = Sender;
                Persist(e, _ => _requester.Tell(LastSequenceNr));
            });
        }

        public override string PersistenceId { get; }

        protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
        {
            _requester?.Tell(new Akka.Actor.Status.Failure(cause));
            base.OnPersistFailure(cause, @event, sequenceNr);
        }

        public sealed record Recovered
        {
            public static readonly Recovered Instance = new();
        }
    }
}
