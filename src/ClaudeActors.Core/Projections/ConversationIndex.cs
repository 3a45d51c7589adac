using Akka;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using ClaudeActors.Conversations;
using ClaudeActors.Persistence;

namespace ClaudeActors.Projections;

/// <summary>
/// The node-local read model of conversations, for <c>GET /v1/sessions</c> (<see cref="ListConversations"/>) and
/// stateless resends (<see cref="FindByHistoryHash"/>). At start it reads every event tagged
/// <see cref="ConversationTags.Index"/> that the journal holds (list and lookup requests are stashed until then), then
/// follows the live tag query from where that ended. The live query polls, so it also applies the
/// <see cref="ConversationChanged"/> each entity publishes on the node's event stream right after it persists. It keeps
/// each conversation's record only (<see cref="ConversationIndexBook"/>). The query runs as a stream that waits for the
/// actor's acknowledgement of each event, so the mailbox is never flooded nor blocked; a failed query is started again
/// after a back-off, from the last event applied.
/// <para>
/// In a cluster another node's conversations change without a local publication, and the live query sees them only
/// at its next poll. So there (<c>checkJournalOnMiss</c>) a history-hash lookup that misses reads the journal's
/// current tagged events from the last offset before it answers: a resend that reaches this node right after its
/// conversation's turn was persisted on another node still finds it. Misses that arrive while such a read runs wait for
/// the next one, which starts after theirs arrived.
/// </para>
/// </summary>
internal sealed class ConversationIndex : ReceiveActor, IWithStash, IWithTimers
{
    public static readonly TimeSpan MinRestartDelay = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxRestartDelay = TimeSpan.FromSeconds(30);

    private readonly IConversationEventQueries _queries;
    private readonly ConversationIndexBook _book = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IMaterializer _materializer = Context.Materializer();
    private Offset _offset = Offset.NoOffset();
    private UniqueKillSwitch? _stream;
    private bool _caughtUp;
    private int _generation;
    private int _failures;
    private readonly bool _checkJournalOnMiss;
    private List<(IActorRef ReplyTo, FindByHistoryHash Find)> _checking = [];
    private List<(IActorRef ReplyTo, FindByHistoryHash Find)> _nextCheck = [];
    private UniqueKillSwitch? _check;
    private int _checkGeneration;

    public ConversationIndex(IConversationEventQueries queries, bool checkJournalOnMiss = false)
    {
        _queries = queries;
        _checkJournalOnMiss = checkJournalOnMiss;
        CatchingUp();
    }

    public IStash Stash { get; set; } = null!;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IConversationEventQueries queries, bool checkJournalOnMiss = false) =>
        Akka.Actor.Props.Create(() => new ConversationIndex(queries, checkJournalOnMiss));

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(ConversationChanged));
        Run();
    }

    protected override void PostStop()
    {
        _stream?.Shutdown();
        _check?.Shutdown();
        Context.System.EventStream.Unsubscribe(Self);
    }

    private void CatchingUp()
    {
        Common();
        Receive<GetIndexStatus>(_ => Sender.Tell(new IndexStatus(false, _book.Count)));
        Receive<ListConversations>(_ => Stash.Stash());
        Receive<FindByHistoryHash>(_ => Stash.Stash());
        Receive<FindExpired>(_ => Stash.Stash());
    }

    private void Live()
    {
        Common();
        Receive<GetIndexStatus>(_ => Sender.Tell(new IndexStatus(true, _book.Count)));
        Receive<ListConversations>(list =>
        {
            if (list.Limit < 1)
            {
                Sender.Tell(new Status.Failure(new ArgumentOutOfRangeException(nameof(list), list.Limit, "The limit must be at least 1.")));
                return;
            }

            Sender.Tell(new ConversationPageReply(_book.List(list.Limit, list.After, list.Tenant)));
        });
        Receive<FindExpired>(find => Sender.Tell(new ExpiredConversations(_book.FindExpired(find.Expiry, find.Limit))));
        Receive<FindByHistoryHash>(find =>
        {
            var id = _book.FindByHistoryHash(find.Hash, find.Tenant);
            if (id is not null || !_checkJournalOnMiss)
            {
                Sender.Tell(new HistoryHashMatch(id));
                return;
            }

            _nextCheck.Add((Sender, find));
            if (_check is null)
            {
                CheckJournal();
            }
        });
        Receive<CheckCompleted>(done => done.Generation == _checkGeneration, _ => CheckOver());
        Receive<CheckFailed>(failed => failed.Generation == _checkGeneration, failed =>
        {
            _log.Warning(failed.Cause, "The conversation index could not read the journal for a missed history hash; it answers from what it has");
            CheckOver();
        });
    }

    /// <summary>Reads the journal's current tagged events from the last offset, for the misses waiting.</summary>
    private void CheckJournal()
    {
        (_checking, _nextCheck) = (_nextCheck, []);
        var generation = ++_checkGeneration;
        _check = Follow(_queries.Current(ConversationTags.Index, _offset), new CheckCompleted(generation), cause => new CheckFailed(generation, cause));
    }

    private void CheckOver()
    {
        _check = null;
        foreach (var (replyTo, find) in _checking)
        {
            replyTo.Tell(new HistoryHashMatch(_book.FindByHistoryHash(find.Hash, find.Tenant)));
        }

        _checking = [];
        if (_nextCheck.Count > 0)
        {
            CheckJournal();
        }
    }

    private void Common()
    {
        Receive<ConversationChanged>(changed => _book.Set(changed.ConversationId, changed.SequenceNr, changed.Record));
        Receive<StreamStarted>(_ => Sender.Tell(StreamAck.Instance));
        Receive<EventEnvelope>(envelope =>
        {
            if (ConversationPersistenceIds.ConversationId(envelope.PersistenceId) is { } id && envelope.Event is IConversationEvent @event)
            {
                _book.Apply(id, envelope.SequenceNr, @event);
            }

            if (_offset is not Sequence current || envelope.Offset is not Sequence next || next.Value > current.Value)
            {
                // The live query and a miss's read both move it; it only goes forward.
                _offset = envelope.Offset;
            }

            Sender.Tell(StreamAck.Instance);
        });
        Receive<StreamCompleted>(completed => completed.Generation == _generation, _ =>
        {
            _failures = 0;
            if (_caughtUp)
            {
                // The live query never ends by itself: start it again.
                Run();
                return;
            }

            _caughtUp = true;
            _log.Info("Conversation index caught up with the journal: {0} conversations", _book.Count);
            Become(Live);
            Stash.UnstashAll();
            Run();
        });
        Receive<StreamFailed>(failed => failed.Generation == _generation, failed =>
        {
            var delay = TimeSpan.FromTicks(Math.Min(MaxRestartDelay.Ticks, MinRestartDelay.Ticks << Math.Min(_failures, 16)));
            _failures++;
            _log.Warning(failed.Cause, "The conversation index's journal query failed; it starts again in {0}", delay);
            Timers.StartSingleTimer(nameof(RestartStream), new RestartStream(_generation), delay);
        });
        Receive<RestartStream>(restart => restart.Generation == _generation, _ => Run());
    }

    /// <summary>Starts the query: the current events while catching up, the live ones after; from the last event applied.</summary>
    private void Run()
    {
        _stream?.Shutdown();
        var generation = ++_generation;
        var source = _caughtUp ? _queries.Live(ConversationTags.Index, _offset) : _queries.Current(ConversationTags.Index, _offset);
        _stream = Follow(source, new StreamCompleted(generation), cause => new StreamFailed(generation, cause));
    }

    /// <summary>Runs a query into this actor, one acknowledged event at a time; the switch stops it.</summary>
    private UniqueKillSwitch Follow(Source<EventEnvelope, NotUsed> source, object completed, Func<Exception, object> failed) =>
        source
            .ViaMaterialized(KillSwitches.Single<EventEnvelope>(), Keep.Right)
            .ToMaterialized(Sink.ActorRefWithAck<EventEnvelope>(Self, StreamStarted.Instance, StreamAck.Instance, completed, failed), Keep.Left)
            .Run(_materializer);

    private sealed record StreamStarted
    {
        public static readonly StreamStarted Instance = new();
    }

    private sealed record StreamAck
    {
        public static readonly StreamAck Instance = new();
    }

    private sealed record StreamCompleted(int Generation);

    private sealed record StreamFailed(int Generation, Exception Cause);

    private sealed record RestartStream(int Generation);

    private sealed record CheckCompleted(int Generation);

    private sealed record CheckFailed(int Generation, Exception Cause);
}
