using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using ClaudeActors.Chat;
using ClaudeActors.Processes;
using Microsoft.Extensions.Logging;

namespace ClaudeActors.Workers;

/// <summary>
/// One worker of the stateless pool: runs one attempt of a stateless turn at a time (<see cref="RunStatelessAttempt"/>),
/// off its mailbox (<see cref="StatelessAttempt"/>), and keeps a warm CLI process between requests. The attempt's
/// events go back to the caller through an Akka.Streams queue exposed as a stream reference. Idle or busy is a
/// behaviour; a request routed to it while busy (only when every worker is busy) waits in its stash. A process whose
/// state is uncertain is killed and a replacement started off the request path. Every process it holds is killed when
/// it stops or restarts.
/// </summary>
internal sealed partial class CliWorker : ReceiveActor, IWithStash
{
    private const int OutputBuffer = 16;

    /// <summary>Where a failed attempt's spending goes (null in specs).</summary>
    private readonly Usage.UsageClient? _usage;
    private readonly WarmProcessLauncher _launcher;
    private readonly IActorRef _standby;
    private readonly WorkerClaims _claims;
    private readonly WorkerPoolOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly OwnedProcesses _owned;
    private readonly IMaterializer _materializer;
    private WarmProcess? _warm;
    private int _waiting;

    public CliWorker(
        WarmProcessLauncher launcher,
        IActorRef standby,
        WorkerClaims claims,
        WorkerPoolOptions options,
        IMaterializer materializer,
        TimeProvider time,
        ILogger<CliWorker> logger,
        Usage.UsageClient? usage = null)
    {
        _usage = usage;
        _launcher = launcher;
        _materializer = materializer;
        _standby = standby;
        _claims = claims;
        _options = options;
        _time = time;
        _logger = logger;
        _owned = new OwnedProcesses(launcher, _stopping.Token);
        Idle();
    }

    public IStash Stash { get; set; } = null!;

    /// <summary>
    /// The worker's props; <paramref name="standby"/> may be <see cref="ActorRefs.Nobody"/> (no standby set). The
    /// attempts' streams run on <paramref name="materializer"/>, one of the system's (not the worker's own), so a
    /// worker that restarts still delivers the failure it reported before.
    /// </summary>
    public static Props Props(
        WarmProcessLauncher launcher,
        IActorRef standby,
        WorkerClaims claims,
        WorkerPoolOptions options,
        IMaterializer materializer,
        TimeProvider time,
        ILogger<CliWorker> logger,
        Usage.UsageClient? usage = null) =>
        Akka.Actor.Props.Create(() => new CliWorker(launcher, standby, claims, options, materializer, time, logger, usage));

    /// <summary>
    /// The pool's strategy: a worker that throws (a fault of the server, never a failed turn) is restarted, which kills
    /// its processes (<see cref="PostStop"/>); the other workers go on. Retries are not the pool's business: the turn's
    /// supervisor owns them.
    /// </summary>
    public static SupervisorStrategy PoolStrategy() =>
        new OneForOneStrategy(maxNrOfRetries: -1, withinTimeRange: Timeout.InfiniteTimeSpan, localOnlyDecider: _ => Directive.Restart);

    protected override void PostRestart(Exception reason)
    {
        base.PostRestart(reason);
        _claims.Release(Self);
    }

    protected override void PostStop()
    {
        _stopping.Cancel();
        _owned.KillAll();
        _warm = null;

        // Not disposed: tasks still running link to its (cancelled) token.
    }

    private void Idle()
    {
        Receive<RunStatelessAttempt>(Begin);
        ReceiveProcessMessages();
    }

    private void Busy()
    {
        Receive<RunStatelessAttempt>(_ =>
        {
            _waiting++;
            Stash.Stash();
        });
        Receive<AttemptEnded>(End);
        Receive<Status.Failure>(failure =>
        {
            Log.Crashed(_logger, failure.Cause);
            throw new WorkerFaultException("A stateless attempt failed inside the server.", failure.Cause);
        });
        ReceiveProcessMessages();
    }

    private void ReceiveProcessMessages()
    {
        Receive<ReplacementReady>(message => Adopt(message.Process));
        Receive<ReplacementFailed>(message => Log.ReplacementFailed(_logger, message.Error.Message));
    }

    private void Begin(RunStatelessAttempt message)
    {
        if (_time.GetUtcNow() > message.Deadline)
        {
            // Its asker gave up already; running it now would be a turn nobody reads.
            Log.Dropped(_logger);
            FreeIfIdle();
            return;
        }

        _claims.MarkBusy(Self);
        var (queue, events) = Source.Queue<ChatEvent>(OutputBuffer, OverflowStrategy.Backpressure)
            .ToMaterialized(StreamRefs.SourceRef<ChatEvent>(), Keep.Both)
            .Run(_materializer);
        events.PipeTo(Sender);

        var composed = PromptComposer.Compose(message.Request, _launcher.Workspace.Options.SystemPromptMode);
        WarmProcess? warm = null;
        if (!StatelessAttempt.RunsOneShot(message.Request, composed))
        {
            warm = _warm;
            _warm = null;
        }

        var attempt = new StatelessAttempt(_launcher, _standby, _owned, _options, _time, _logger, _stopping.Token, _usage);
        attempt.RunAsync(message.Request, composed, warm, queue, message.RequestId).PipeTo(Self);
        Become(Busy);
    }

    private void End(AttemptEnded ended)
    {
        if (ended.Kept is { } kept)
        {
            Adopt(kept);
        }

        if (ended.Replace is { } launch)
        {
            StartReplacement(launch);
        }

        Become(Idle);
        var waiting = _waiting;
        _waiting = 0;
        Stash.UnstashAll();
        if (waiting == 0)
        {
            FreeIfIdle();
        }
    }

    /// <summary>Keeps <paramref name="process"/> as the warm process, or hands it to standby when the worker has one already.</summary>
    private void Adopt(WarmProcess process)
    {
        if (process.HasExited)
        {
            _owned.Kill(process);
        }
        else if (_warm is null)
        {
            _warm = process;
        }
        else if (_owned.Remove(process))
        {
            if (_standby.IsNobody())
            {
                _ = _launcher.ShutdownAsync(process, forgetConversation: true);
            }
            else
            {
                _standby.Tell(new StandbyProcesses.ReturnProcess(process, ForgetConversation: true));
            }
        }
    }

    private void StartReplacement(WarmLaunch launch)
    {
        var owned = _owned;
        var token = _stopping.Token;
        StartAsync().PipeTo(Self, success: p => new ReplacementReady(p), failure: error => new ReplacementFailed(error));

        async Task<WarmProcess> StartAsync()
        {
            var process = await _launcher.StartReadyAsync(launch, token).ConfigureAwait(false);
            return owned.AdoptOrKill(process) ? process : throw new OperationCanceledException(token);
        }
    }

    private void FreeIfIdle() => _claims.Release(Self);

    private static partial class Log
    {
        [LoggerMessage(630, LogLevel.Warning, "A stateless request reached its worker after its deadline and was dropped")]
        public static partial void Dropped(ILogger logger);

        [LoggerMessage(631, LogLevel.Warning, "A replacement CLI process could not be started: {Reason}")]
        public static partial void ReplacementFailed(ILogger logger, string reason);

        [LoggerMessage(632, LogLevel.Error, "A CLI worker failed and is restarted; its processes are killed")]
        public static partial void Crashed(ILogger logger, Exception exception);
    }
}
