using Akka.Streams;
using ClaudeActors.Chat;

namespace ClaudeActors.Conversations;

internal sealed partial class ConversationActor
{
    /// <summary>A turn that was answered with its stream and waits for (or has) its run.</summary>
    private sealed class PendingTurn(StartTurn start, ISourceQueueWithComplete<ChatEvent> queue)
    {
        public StartTurn Start { get; } = start;

        public ISourceQueueWithComplete<ChatEvent> Queue { get; } = queue;

        /// <summary>Cancelled when the reader of the stream leaves (or the entity stops).</summary>
        public CancellationTokenSource Cancellation { get; } = new();
    }

    /// <summary>The running turn's task is over (its stream is complete).</summary>
    private sealed record TurnEnded(PendingTurn Turn);

    /// <summary>From the running turn: persist this event, answer <see cref="EventPersisted"/> (or a failure).</summary>
    internal sealed record PersistEvent(IConversationEvent Event);

    internal sealed record EventPersisted(ConversationState State);

    /// <summary>The process was ended off the mailbox; <see cref="Then"/> says what comes next.</summary>
    private sealed record ProcessEnded(IReadOnlyList<string> Stragglers, AfterStop Then);

    private enum AfterStop
    {
        /// <summary>The warm-process cap took the process: the conversation stays.</summary>
        Release,

        /// <summary>Passivation or hand-off: the entity stops.</summary>
        Stop,

        /// <summary>A delete: the conversation goes.</summary>
        Delete,
    }

    /// <summary>A fork's source was read.</summary>
    private sealed record ForkSourceRead(ForkConversation Fork, ConversationView? Source, Akka.Actor.IActorRef ReplyTo);
}
