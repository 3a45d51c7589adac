using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Persistence;
using Akka.Streams;
using Akka.Streams.Dsl;
using ClaudeActors.Chat;

namespace ClaudeActors.Conversations;

/// <summary>
/// One conversation: a persistent entity reached through the conversations' shard region. Its state is the fold of
/// its events (<see cref="ConversationState"/>); it serializes the conversation's turns (one runs, the others wait in
/// the stash, each answered at once with its own stream); it keeps a warm CLI process between turns
/// (<see cref="ConversationProcess"/>) and restores the CLI's transcript from its events on any node. A turn runs off
/// the mailbox (<see cref="ConversationTurn"/>) and comes back as messages: the events it asks to persist, then its end.
/// Nothing is answered as a success before its events are persisted.
/// </summary>
internal sealed partial class ConversationActor : ReceivePersistentActor
{
    private const int SnapshotEvery = 50;

    private readonly string _id;
    private readonly ConversationServices _services;
    private readonly ConversationProcess _process;
    private readonly Dictionary<StartTurn, PendingTurn> _answered = new(ReferenceEqualityComparer.Instance);
    private ConversationState _state = ConversationState.Empty;
    private PendingTurn? _running;
    private IActorRef? _persistRequester;
    private bool _resendClaimed;
    private string? _node;

    public ConversationActor(string id, ConversationServices services)
    {
        _id = id;
        _services = services;
        _process = new ConversationProcess(id, services.Workspace, services.Logger);

        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is ConversationState state)
            {
                _state = state;
            }
        });
        Recover<IConversationEvent>(e => _state = _state.Apply(e));
        Idle();
    }

    public override string PersistenceId => "conversation-" + _id;

    public static Props Props(string id, ConversationServices services) => Akka.Actor.Props.Create(() => new ConversationActor(id, services));

    /// <summary>No turn runs: everything is served now.</summary>
    private void Idle()
    {
        Command<StartTurn>(start =>
        {
            if (Accept(start) is { } turn)
            {
                Begin(turn);
            }
        });
        Command<GetConversation>(Get);
        Command<DeleteConversation>(Delete);
        Command<DeleteResponse>(ForgetResponse);
        Command<ForkConversation>(Fork);
        Command<ImportConversation>(Import);
        Command<ReleaseProcess>(_ => StopProcess(AfterStop.Release));
        Command<StopConversation>(_ =>
        {
            _services.Metrics?.ConversationPassivated();
            StopProcess(AfterStop.Stop);
        });
        Command<ProcessEnded>(Ended);
        CommonCommands();
    }

    /// <summary>A turn runs: new turns are answered and wait; what would change the conversation waits too.</summary>
    private void Busy()
    {
        Command<StartTurn>(start =>
        {
            if (Accept(start) is not null)
            {
                Stash.Stash();
            }
        });
        Command<GetConversation>(Get);
        Command<PersistEvent>(p => PersistForTurn(p.Event));
        Command<TurnEnded>(TurnOver);

        // The cap asks when it hears the turn ended, which may be before this entity has; it never asks twice.
        Command<ReleaseProcess>(_ => Stash.Stash());
        Command<StopConversation>(_ => Stash.Stash());
        Command<DeleteConversation>(_ => Stash.Stash());
        Command<DeleteResponse>(_ => Stash.Stash());
        Command<ForkConversation>(_ => Stash.Stash());
        Command<ImportConversation>(_ => Stash.Stash());
        Command<ProcessEnded>(_ => Stash.Stash());
        CommonCommands();
    }

    /// <summary>The process is being ended (or a fork's source read): everything waits.</summary>
    private void Waiting()
    {
        Command<StartTurn>(start =>
        {
            if (Accept(start) is not null)
            {
                Stash.Stash();
            }
        });
        Command<GetConversation>(Get);
        Command<ProcessEnded>(Ended);
        Command<ForkSourceRead>(ForkRead);
        Command<ReleaseProcess>(_ => { });
        CommandAny(_ => Stash.Stash());
    }

    private void CommonCommands()
    {
        Command<ForkSourceRead>(_ => { });
    }

    /// <summary>
    /// Answers a turn with its stream, or refuses it (past its deadline: the caller is gone; a resend this
    /// conversation does not continue). Returns the turn to run, or null.
    /// </summary>
    private PendingTurn? Accept(StartTurn start)
    {
        if (_answered.TryGetValue(start, out var answered))
        {
            // Unstashed: it was answered when it arrived.
            return answered;
        }

        if (_services.Time.GetUtcNow() > start.Deadline)
        {
            Say.Expired(_services.Logger, _id, nameof(StartTurn));
            return null;
        }

        if (start.ExpectedHistoryHash is { } expected && (_resendClaimed || _state.Record?.HistoryHash != expected))
        {
            Sender.Tell(TurnNotContinued.Instance);
            return null;
        }

        if (start.ExpectedHistoryHash is not null)
        {
            _resendClaimed = true;
        }

        var (queue, events) = Source.Queue<ChatEvent>(16, OverflowStrategy.Backpressure)
            .ToMaterialized(StreamRefs.SourceRef<ChatEvent>(), Keep.Both)
            .Run(_services.Materializer);
        var turn = new PendingTurn(start, queue);
        _ = queue.WatchCompletionAsync().ContinueWith(
            static (_, state) => ((CancellationTokenSource)state!).Cancel(),
            turn.Cancellation,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        var node = _node ??= Clustering.NodeDepartures.SelfId(Context.System);
        events.PipeTo(Sender, success: r => new TurnAccepted(r, node));
        _answered[start] = turn;
        return turn;
    }

    private void Begin(PendingTurn turn)
    {
        _running = turn;
        Become(Busy);
        var run = new ConversationTurn(_id, _services, _process, Self, turn.Start, turn.Queue, turn.Cancellation.Token);
        run.RunAsync(_state).PipeTo(Self, success: () => new TurnEnded(turn), failure: _ => new TurnEnded(turn));
    }

    private void TurnOver(TurnEnded ended)
    {
        _answered.Remove(ended.Turn.Start);
        if (ended.Turn.Start.ExpectedHistoryHash is not null)
        {
            _resendClaimed = false;
        }

        _running = null;
        ended.Turn.Cancellation.Dispose();
        Become(Idle);
        Stash.UnstashAll();
        if (!_state.Exists && _answered.Count == 0)
        {
            // Nothing was created (the turn was refused before it ran): no entity stays for it.
            PassivateSelf();
        }
    }

    /// <summary>Persists an event a running turn asks for, then answers it with the new state.</summary>
    private void PersistForTurn(IConversationEvent @event)
    {
        _persistRequester = Sender;
        var asked = _services.Time.GetTimestamp();
        Persist(@event, persisted =>
        {
            _services.Metrics?.JournalWrite("persist", _services.Time.GetElapsedTime(asked));
            Applied(persisted);
            _persistRequester?.Tell(new EventPersisted(_state));
            _persistRequester = null;
        });
    }

    private void Applied(IConversationEvent @event)
    {
        _state = _state.Apply(@event);
        PublishChange();
        if (@event is TurnRecorded && LastSequenceNr % SnapshotEvery == 0)
        {
            SaveSnapshot(_state);
        }
    }

    private void PublishChange() =>
        Context.System.EventStream.Publish(new ConversationChanged(_id, LastSequenceNr, _state.Record));

    private void Get(GetConversation get)
    {
        if (_services.Time.GetUtcNow() > get.Deadline)
        {
            return;
        }

        Sender.Tell(new ConversationView(_state.Record, _state.Turns, get.IncludeTranscript ? _state.Transcript : null, _process.Info, _answered.Count - (_running is null ? 0 : 1)));
        if (!_state.Exists && _running is null && _answered.Count == 0)
        {
            PassivateSelf();
        }
    }

    /// <summary>Persists <see cref="ResponseDeleted"/> when the conversation holds that response; answers whether it did.</summary>
    private void ForgetResponse(DeleteResponse delete)
    {
        if (_services.Time.GetUtcNow() > delete.Deadline)
        {
            return;
        }

        if (!_state.Turns.Any(t => t.ResponseId == delete.ResponseId))
        {
            Sender.Tell(new ConversationDeleteResult(false));
            return;
        }

        _persistRequester = Sender;
        Persist(new ResponseDeleted(delete.ResponseId, _services.Time.GetUtcNow()), deleted =>
        {
            Applied(deleted);
            _persistRequester?.Tell(new ConversationDeleteResult(true));
            _persistRequester = null;
        });
    }

    private void PassivateSelf() => Context.Parent.Tell(new Passivate(StopConversation.Instance));

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        // The journal failed: the event may or may not be stored, so the entity stops (Akka's rule) and its next
        // incarnation recovers what is. The running turn hears it now and fails as "not stored". The shard hears
        // first that the entity goes, so it buffers what comes for the conversation meanwhile (a stop it did not
        // ask for would let those messages reach the stopped entity and be lost) and hands them to the next one.
        PassivateSelf();
        _persistRequester?.Tell(new Status.Failure(cause));
        _persistRequester = null;
        if (_running is { } running)
        {
            // The event was the running turn's: the turn ends itself now, telling its reader "not stored". PostStop must
            // neither cancel it (its reader would get a stream cut short instead) nor bounce it (it has run).
            _answered.Remove(running.Start);
            _running = null;
        }

        Say.PersistFailed(_services.Logger, _id, @event.GetType().Name, cause.Message);
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        _persistRequester?.Tell(new Status.Failure(cause));
        _persistRequester = null;
        Say.PersistFailed(_services.Logger, _id, @event.GetType().Name, cause.Message);
        base.OnPersistRejected(cause, @event, sequenceNr);
    }

    protected override void PreStart()
    {
        _services.Metrics?.ConversationStarted();
        base.PreStart();
    }

    protected override void PostStop()
    {
        _services.Metrics?.ConversationStopped();
        // Turns that never began go back to the caller, who sends them to the next incarnation.
        foreach (var turn in _answered.Values.Where(t => t != _running))
        {
            _ = BounceAsync(turn);
        }

        _running?.Cancellation.Cancel();
        _process.Kill();
        _services.WarmCap.Tell(new WarmProcessCap.ProcessStopped(Self));
        base.PostStop();
    }

    private static async Task BounceAsync(PendingTurn turn)
    {
        try
        {
            await turn.Queue.OfferAsync(TurnBounced.Instance).WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The reader is gone.
        }

        turn.Queue.Complete();
    }
}
