using Akka.Actor;
using Akka.Persistence;

namespace ClaudeActors.Persistence;

/// <summary>The persistent child of <see cref="JournalHeartbeat"/> that writes the heartbeats.</summary>
internal sealed class HeartbeatWriter : ReceivePersistentActor
{
    public HeartbeatWriter(TimeProvider time)
    {
        PersistenceId = PersistenceIdFor(Context.System);
        Recover<JournalHeartbeatRecorded>(_ => { });
        Command<Beat>(_ => Persist(new JournalHeartbeatRecorded(time.GetUtcNow()), _ =>
        {
            if (LastSequenceNr > 1)
            {
                DeleteMessages(LastSequenceNr - 1);
            }

            Context.Parent.Tell(Written.Instance);
        }));
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteMessagesFailure>(_ => { }); // An old heartbeat stays; the next write deletes it.
    }

    public override string PersistenceId { get; }

    public static Props Props(TimeProvider time) => Akka.Actor.Props.Create(() => new HeartbeatWriter(time));

    /// <summary>
    /// Unique among the nodes running at once: the machine and the node's address (its host and port when it is
    /// remote). A later process on the same address carries on the same id.
    /// </summary>
    public static string PersistenceIdFor(ActorSystem system)
    {
        var address = ((ExtendedActorSystem)system).Provider.DefaultAddress;
        return $"journal-heartbeat-{Environment.MachineName}-{address.Host ?? "local"}-{address.Port ?? 0}";
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        Context.Parent.Tell(new Failed(cause));
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        Context.Parent.Tell(new Failed(cause));
        base.OnPersistRejected(cause, @event, sequenceNr);
    }

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        Context.Parent.Tell(new Failed(reason));
        base.OnRecoveryFailure(reason, message);
    }

    internal sealed record Beat
    {
        public static readonly Beat Instance = new();
    }

    internal sealed record Written
    {
        public static readonly Written Instance = new();
    }

    internal sealed record Failed(Exception Cause);
}
