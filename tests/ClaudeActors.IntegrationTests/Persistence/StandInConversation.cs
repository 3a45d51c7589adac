using Akka.Actor;
using Akka.Persistence;
using ClaudeActors.Conversations;
using ClaudeActors.Persistence;
using ClaudeActors.Projections;

namespace ClaudeActors.IntegrationTests.Persistence;

/// <summary>
/// A stand-in for the lead's conversation entity, for these tests only: it persists what it is told to (and an
/// <see cref="ImportConversation"/> as the entity does: one <see cref="ConversationStarted"/> with the turns and the
/// transcript, at the record's last use), folds its events with <see cref="ConversationState"/>, and publishes
/// <see cref="ConversationChanged"/> after each persist (unless told not to, to test the journal query alone).
/// </summary>
internal sealed class StandInConversation : ReceivePersistentActor
{
    private ConversationState _state = ConversationState.Empty;

    public StandInConversation(string conversationId, bool publish)
    {
        PersistenceId = ConversationPersistenceIds.For(conversationId);
        Recover<IConversationEvent>(e => _state = _state.Apply(e));
        Command<ImportConversation>(import =>
        {
            if (_state.Exists)
            {
                Sender.Tell(new ImportResult(false));
                return;
            }

            var started = new ConversationStarted(import.Record, import.Transcript, import.Turns, import.Record.LastUsed);
            Persist(started, e =>
            {
                Apply(e, conversationId, publish);
                Sender.Tell(new ImportResult(true));
            });
        });
        Command<PersistEvents>(command =>
        {
            var replyTo = Sender;
            PersistAll(command.Events, e => Apply(e, conversationId, publish));
            DeferAsync(command, _ => replyTo.Tell(Done.Instance));
        });
        Command<ReadState>(_ => Sender.Tell(_state));
    }

    public override string PersistenceId { get; }

    private void Apply(IConversationEvent e, string conversationId, bool publish)
    {
        _state = _state.Apply(e);
        if (publish)
        {
            Context.System.EventStream.Publish(new ConversationChanged(conversationId, LastSequenceNr, _state.Record));
        }
    }
}

/// <summary>Persist these events, then answer <see cref="Done"/>.</summary>
internal sealed record PersistEvents(string ConversationId, IReadOnlyList<IConversationEvent> Events) : IConversationCommand;

/// <summary>Answered with the conversation's <see cref="ConversationState"/>.</summary>
internal sealed record ReadState(string ConversationId) : IConversationCommand;

internal sealed record Done
{
    public static readonly Done Instance = new();
}

/// <summary>The stand-in's "shard region": one child per conversation id, created on its first message.</summary>
internal sealed class StandInRegion : ReceiveActor
{
    private int _children;

    public StandInRegion(bool publish)
    {
        var children = new Dictionary<string, IActorRef>(StringComparer.Ordinal);
        Receive<IConversationCommand>(command =>
        {
            if (!children.TryGetValue(command.ConversationId, out var child))
            {
                child = Context.ActorOf(Props.Create(() => new StandInConversation(command.ConversationId, publish)), $"c{++_children}");
                children[command.ConversationId] = child;
            }

            child.Forward(command);
        });
    }
}
