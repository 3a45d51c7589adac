using System.Threading.Channels;
using ClaudeActors.Chat;

namespace ClaudeActors.Sessions;

internal sealed partial class SessionActor
{
    /// <summary>What the actor's mailbox takes.</summary>
    internal abstract record Message;

    /// <summary>
    /// Run one turn; its events go to <see cref="Output"/>, which is completed when the turn is over. A failure is left
    /// in <see cref="Failure"/> for the caller to throw once it has read the events. <see cref="Bounced"/> says the
    /// actor stopped before it started the turn (no event was written): the caller posts it to the next actor.
    /// </summary>
    internal sealed record RunTurn(SessionTurn Turn, bool Buffered, ChannelWriter<ChatEvent> Output, CancellationToken Token) : Message
    {
        public Exception? Failure { get; set; }

        public bool Bounced { get; set; }
    }

    /// <summary>End the warm process, keeping the conversation; with <see cref="Evict"/> the actor also stops when idle.</summary>
    internal sealed record Passivate(bool Evict, TaskCompletionSource Done) : Message;

    /// <summary>End the process and remove the conversation: journal, transcript file, temp folder.</summary>
    internal sealed record Delete(TaskCompletionSource<bool> Done) : Message;
}
