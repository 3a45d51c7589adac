using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.TestKit;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using ClaudeActors.Chat;
using ClaudeActors.Cli.Protocol;
using ClaudeActors.Conversations;
using ClaudeActors.Sessions;
using Xunit.Abstractions;

namespace ClaudeActors.UnitTests.Conversations;

/// <summary>
/// The base of the conversation entity's specs: an actor system on Akka.Persistence.TestKit's journal and snapshot
/// store (whose writes a spec can make fail), a <see cref="ConversationRig"/>, and the caller's side of a turn as
/// ChatService plays it (ask <see cref="StartTurn"/>, read the stream ref). Entities are created directly under a
/// <see cref="TestProbe"/> that stands in for their shard: it receives their <c>Passivate</c> and sends them the
/// hand-off stop message.
/// </summary>
public abstract class ConversationSpec : TestKit
{
    /// <summary>Only a guard against a hang; nothing depends on how long anything takes.</summary>
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static readonly Config SpecConfig = ConfigurationFactory.ParseString("""
            akka.loglevel = INFO
            akka.persistence.journal.test.recovery-event-timeout = 60s
            """)
        .WithFallback(ConfigurationFactory.FromResource<TestJournal>("Akka.Persistence.TestKit.config.conf"));

    private readonly IActorRef _journal;
    private readonly IActorRef _snapshots;
    private int _incarnations;

    protected ConversationSpec(ITestOutputHelper output)
        : base(SpecConfig, output: output)
    {
        var persistence = Akka.Persistence.Persistence.Instance.Apply(Sys);
        _journal = persistence.JournalFor(null);
        _snapshots = persistence.SnapshotStoreFor(null);
        Journal = TestJournal.FromRef(_journal);
        Materializer = Sys.Materializer(namePrefix: "caller");
        WarmCap = CreateTestProbe("warm-cap");
        Rig = new ConversationRig(Sys, WarmCap.Ref);
    }

    /// <summary>The journal, whose writes a spec can make fail (<c>Journal.OnWrite.Fail()</c>) and heal (<c>Pass()</c>).</summary>
    internal ITestJournal Journal { get; }

    internal IMaterializer Materializer { get; }

    /// <summary>Stands in for the node's warm-process cap (specs of the cap attach a real one).</summary>
    internal TestProbe WarmCap { get; }

    internal ConversationRig Rig { get; }

    internal ManualClock Clock => Rig.Clock;

    protected override void AfterAll()
    {
        base.AfterAll();
        Rig.Dispose();
    }

    /// <summary>Creates an incarnation of conversation <paramref name="id"/> under a probe that stands in for its shard.</summary>
    internal (IActorRef Entity, TestProbe Shard) Incarnation(string id)
    {
        var shard = CreateTestProbe("shard-" + Interlocked.Increment(ref _incarnations));
        var entity = shard.ChildActorOf(ConversationActor.Props(id, Rig.Services), "conversation-" + _incarnations);
        return (entity, shard);
    }

    /// <summary>Stops an incarnation the way its shard does (the hand-off stop message) and waits until it is gone.</summary>
    internal async Task HandOffAsync(IActorRef entity, TestProbe shard)
    {
        var watcher = CreateTestProbe();
        watcher.Watch(entity);
        entity.Tell(StopConversation.Instance, shard.Ref);
        await watcher.ExpectTerminatedAsync(entity, Patience);
    }

    /// <summary>Stops an incarnation at once (as a crash would, without the hand-off) and waits until it is gone.</summary>
    internal async Task StopAsync(IActorRef entity)
    {
        var watcher = CreateTestProbe();
        watcher.Watch(entity);
        Sys.Stop(entity);
        await watcher.ExpectTerminatedAsync(entity, Patience);
    }

    internal StartTurn Turn(string id, string text) => new(
        id,
        new SessionTurn(new ChatTurnRequest { Prompt = [new CliTextBlock(text)] }, RecordContinuation: true),
        Buffered: false,
        Origin: "client",
        ExpectedHistoryHash: null,
        Deadline: Clock.GetUtcNow() + TimeSpan.FromHours(1));

    /// <summary>Asks for a turn and returns its stream ref (the entity answers at once, before the turn runs).</summary>
    internal static async Task<TurnAccepted> AcceptAsync(IActorRef entity, StartTurn start) =>
        Assert.IsType<TurnAccepted>(await entity.Ask<object>(start, Patience));

    /// <summary>Reads a turn's stream to its end.</summary>
    internal async Task<IReadOnlyList<ChatEvent>> ReadAsync(TurnAccepted accepted) =>
        await accepted.Events.Source.RunWith(Sink.Seq<ChatEvent>(), Materializer).WaitAsync(Patience);

    /// <summary>One whole turn, as a caller sees it.</summary>
    internal async Task<IReadOnlyList<ChatEvent>> RunTurnAsync(IActorRef entity, string id, string text) =>
        await ReadAsync(await AcceptAsync(entity, Turn(id, text)));

    internal async Task<ConversationView> GetAsync(IActorRef entity, string id, bool includeTranscript = false) =>
        await entity.Ask<ConversationView>(new GetConversation(id, includeTranscript, Clock.GetUtcNow() + Patience), Patience);

    /// <summary>The events the journal holds for conversation <paramref name="id"/>, in order (a replay, as a recovery reads them).</summary>
    internal async Task<IReadOnlyList<IConversationEvent>> JournalAsync(string id)
    {
        var reader = CreateTestProbe();
        _journal.Tell(new ReplayMessages(1, long.MaxValue, long.MaxValue, "conversation-" + id, reader.Ref), reader.Ref);
        var events = new List<IConversationEvent>();
        while (true)
        {
            switch (await reader.ReceiveOneAsync(Patience))
            {
                case ReplayedMessage replayed:
                    events.Add(Assert.IsAssignableFrom<IConversationEvent>(replayed.Persistent.Payload));
                    break;
                case RecoverySuccess:
                    return events;
                case var other:
                    throw new InvalidOperationException($"Unexpected answer of the journal: {other}");
            }
        }
    }

    /// <summary>Removes the events up to <paramref name="toSequenceNr"/> from the journal (a recovery must then use a snapshot).</summary>
    internal async Task DeleteEventsAsync(string id, long toSequenceNr)
    {
        var deleter = CreateTestProbe();
        _journal.Tell(new DeleteMessagesTo("conversation-" + id, toSequenceNr, deleter.Ref), deleter.Ref);
        await deleter.ExpectMsgAsync<DeleteMessagesSuccess>(Patience);
    }

    /// <summary>The latest snapshot of conversation <paramref name="id"/>, or null.</summary>
    internal async Task<SelectedSnapshot?> LatestSnapshotAsync(string id)
    {
        var reader = CreateTestProbe();
        _snapshots.Tell(new LoadSnapshot("conversation-" + id, SnapshotSelectionCriteria.Latest, long.MaxValue), reader.Ref);
        return (await reader.ExpectMsgAsync<LoadSnapshotResult>(Patience)).Snapshot;
    }

    /// <summary>Waits until <paramref name="condition"/> holds (polled; no spec depends on how long that takes).</summary>
    internal Task UntilAsync(Func<bool> condition) => AwaitConditionAsync(() => Task.FromResult(condition()), Patience, TimeSpan.FromMilliseconds(20));
}
