using Akka.Actor;
using ClaudeActors.Telemetry;
using Microsoft.Extensions.Logging;

namespace ClaudeActors.Persistence;

/// <summary>
/// Proves that the journal stores writes now: on <see cref="ProbeJournal"/> its child, a small persistent actor,
/// persists a <see cref="JournalHeartbeatRecorded"/> (and deletes the one before). Probes that arrive while a write
/// is under way share its answer. A failed write stops the child (Akka.Persistence's rule); the next probe starts a
/// new one, which is how the journal is found working again. Node-local: each node proves its own connection, under
/// a persistence id of its own (<see cref="HeartbeatWriter.PersistenceIdFor"/>).
/// </summary>
internal sealed partial class JournalHeartbeat : ReceiveActor
{
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly List<IActorRef> _waiting = [];
    private JournalStatus _status = JournalStatus.Working;
    private IActorRef? _writer;
    private bool _writing;
    private readonly ClaudeActorsMetrics? _metrics;
    private int _writers;
    private long _writeStarted;

    public JournalHeartbeat(TimeProvider time, ILogger logger, ClaudeActorsMetrics? metrics = null)
    {
        _time = time;
        _logger = logger;
        _metrics = metrics;
        Receive<ProbeJournal>(_ => Probe());
        Receive<GetJournalStatus>(_ => Sender.Tell(_status));
        Receive<HeartbeatWriter.Written>(_ =>
        {
            _metrics?.JournalWrite("heartbeat", _time.GetElapsedTime(_writeStarted));
            Answer(JournalStatus.Working);
        });
        Receive<HeartbeatWriter.Failed>(failed => Fail(PersistenceFailures.Describe(failed.Cause), failed.Cause));
        Receive<Terminated>(terminated =>
        {
            if (!terminated.ActorRef.Equals(_writer))
            {
                return;
            }

            _writer = null;
            if (_writing)
            {
                // Terminated is a system message and may overtake the writer's own Failed, which names the cause: the
                // generic failure goes behind it in the mailbox, and only counts if nothing answered the probe first.
                Self.Tell(WriterStopped.Instance);
            }
        });
        Receive<WriterStopped>(_ =>
        {
            if (_writing)
            {
                Fail("the journal did not store the heartbeat", null);
            }
        });
    }

    public static Props Props(TimeProvider time, ILogger logger, ClaudeActorsMetrics? metrics = null) =>
        Akka.Actor.Props.Create(() => new JournalHeartbeat(time, logger, metrics));

    private void Probe()
    {
        _waiting.Add(Sender);
        if (_writing)
        {
            return;
        }

        _writing = true;
        _writeStarted = _time.GetTimestamp();
        if (_writer is null)
        {
            _writer = Context.ActorOf(HeartbeatWriter.Props(_time), $"writer-{++_writers}");
            Context.Watch(_writer);
        }

        _writer.Tell(HeartbeatWriter.Beat.Instance);
    }

    /// <summary>Answers the probes with <paramref name="reason"/> (words a client may read); the log gets the whole cause.</summary>
    private void Fail(string reason, Exception? cause)
    {
        Log.NotStored(_logger, reason, cause);
        Answer(new JournalStatus(false, reason, _status.FailingSince ?? _time.GetUtcNow()));
    }

    private void Answer(JournalStatus status)
    {
        if (status.Ok && !_status.Ok)
        {
            Log.Recovered(_logger, _status.FailingSince);
        }

        _status = status;
        _writing = false;
        foreach (var waiting in _waiting)
        {
            waiting.Tell(status);
        }

        _waiting.Clear();
    }

    private sealed record WriterStopped
    {
        public static readonly WriterStopped Instance = new();
    }

    private static partial class Log
    {
        [LoggerMessage(430, LogLevel.Warning, "The journal did not store the readiness heartbeat: {Reason}")]
        public static partial void NotStored(ILogger logger, string reason, Exception? exception);

        [LoggerMessage(431, LogLevel.Information, "The journal stores writes again (it had been failing since {FailingSince:O})")]
        public static partial void Recovered(ILogger logger, DateTimeOffset? failingSince);
    }
}
