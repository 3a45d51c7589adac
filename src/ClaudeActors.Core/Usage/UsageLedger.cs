using Akka.Actor;
using Akka.Persistence;

namespace ClaudeActors.Usage;

/// <summary>
/// A tenant's usage, persisted: one entity per tenant (sharded, so one writer in a cluster), whose state is the fold of
/// its <see cref="UsageRecorded"/> events by UTC day and by day and key, snapshotted every <see cref="SnapshotEvery"/>
/// events. It is kept apart from the conversations' events, so deleting a conversation does not take its usage away,
/// and stateless turns (which persist nothing else) count too. A record sent again (its answer lost, in a fail-over) is
/// answered, not counted again: the latest records' ids (<see cref="UsageState.RememberFor"/>, at most
/// <see cref="UsageState.RememberedIds"/>) are part of the state.
/// </summary>
internal sealed class UsageLedger : ReceivePersistentActor
{
    private const int SnapshotEvery = 200;

    private readonly string _tenant;
    private UsageState _state = UsageState.Empty;

    public UsageLedger(string tenant)
    {
        _tenant = tenant;
        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is UsageSnapshot snapshot)
            {
                _state = snapshot.ToState();
            }
        });
        Recover<UsageRecorded>(recorded => _state = _state.Apply(recorded));
        Command<RecordUsage>(record =>
        {
            // Sent again because the answer to the first was lost: counted already.
            if (_state.HasRecorded(record.Id))
            {
                Sender.Tell(UsageRecordedAck.Instance);
                return;
            }

            var replyTo = Sender;
            Persist(new UsageRecorded(record.Amount, record.At, record.Key, record.Id), recorded =>
            {
                _state = _state.Apply(recorded);
                replyTo.Tell(UsageRecordedAck.Instance);
                if (LastSequenceNr % SnapshotEvery == 0)
                {
                    SaveSnapshot(UsageSnapshot.Of(_state));
                }
            });
        });
        Command<GetUsage>(get => Sender.Tell(new UsageReport(_tenant, [.. _state.Between(get.From, get.To)])));
        // The latest snapshot holds everything: the older ones go.
        Command<SaveSnapshotSuccess>(saved => DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1)));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
        Command<SaveSnapshotFailure>(_ => { });
    }

    public override string PersistenceId => "usage-" + _tenant;

    public static Props Props(string tenant) => Akka.Actor.Props.Create(() => new UsageLedger(tenant));
}
