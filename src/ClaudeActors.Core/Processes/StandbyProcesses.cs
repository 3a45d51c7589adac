using Akka.Actor;
using Microsoft.Extensions.Logging;

namespace ClaudeActors.Processes;

/// <summary>
/// Node-local: keeps <see cref="ProcessOptions.Standby"/> CLI processes started with the default settings
/// (<see cref="WarmLaunch.Default"/>) and ready, so that a new conversation or a worker takes one instead of waiting for
/// a CLI start. Every start, reset and shutdown runs off the mailbox and reports back by message; a taken process is
/// replaced at once; a start that fails is tried again after a growing pause. Every process still held is killed when
/// the actor stops.
/// </summary>
internal sealed partial class StandbyProcesses : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(60);

    private readonly WarmProcessLauncher _launcher;
    private readonly ILogger _logger;
    private readonly int _count;
    private readonly CancellationTokenSource _stopping = new();
    private readonly OwnedProcesses _owned;
    private readonly List<WarmProcess> _ready = [];
    private int _starting;
    private TimeSpan _pause = FirstPause;
    private bool _pausing;

    public StandbyProcesses(WarmProcessLauncher launcher, ILogger<StandbyProcesses> logger)
    {
        _launcher = launcher;
        _logger = logger;
        _count = launcher.Options.Standby;
        _owned = new OwnedProcesses(launcher, _stopping.Token);

        Receive<TakeStandby>(Take);
        Receive<ReturnProcess>(Return);
        Receive<GetStatus>(_ => Sender.Tell(new Status(_ready.Count, _starting)));
        Receive<Started>(OnStarted);
        Receive<StartFailed>(OnStartFailed);
        Receive<Exited>(OnExited);
        Receive<Refill>(_ =>
        {
            _pausing = false;
            Fill();
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(WarmProcessLauncher launcher, ILogger<StandbyProcesses> logger) =>
        Akka.Actor.Props.Create(() => new StandbyProcesses(launcher, logger));

    protected override void PreStart()
    {
        Fill();
        PublishCounts();
    }

    /// <summary>Every message may change the counts: the gauge reads what was published after it.</summary>
    protected override bool AroundReceive(Receive receive, object message)
    {
        var handled = base.AroundReceive(receive, message);
        PublishCounts();
        return handled;
    }

    protected override void PostStop()
    {
        _stopping.Cancel();
        _owned.KillAll();
        _launcher.Workspace.Metrics?.Processes.Standby(0, 0);

        // Not disposed: tasks still running link to its (cancelled) token.
    }

    /// <summary>Ready and starting: what counts against the configured number.</summary>
    private int Held => _ready.Count + _starting;

    private void Take(TakeStandby message)
    {
        var index = _ready.FindIndex(p => p.Fits(message.Launch));
        if (index < 0)
        {
            Sender.Tell(new StandbyTaken(null));
            return;
        }

        var process = _ready[index];
        _ready.RemoveAt(index);
        _owned.Remove(process);
        Sender.Tell(new StandbyTaken(process));
        Log.Taken(_logger, process.ProcessId);
        Fill();
    }

    /// <summary>
    /// A process given back is shut down, never kept: standby holds fresh processes only. A process reset with
    /// <c>/clear</c> carries the CLI's note about that command into its next upstream call, which a new conversation
    /// must not see; a fresh process has no such note. The set refills with new ones.
    /// </summary>
    private void Return(ReturnProcess message)
    {
        _owned.Add(message.Process, message.ForgetConversation);
        _owned.Retire(message.Process);
        Fill();
    }

    private void OnStarted(Started message)
    {
        _starting--;
        _pause = FirstPause;
        Keep(message.Process);
    }

    private void OnStartFailed(StartFailed message)
    {
        _starting--;
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        Log.StartFailed(_logger, _pause.TotalSeconds, message.Error.Message);
        if (!_pausing)
        {
            _pausing = true;
            Timers.StartSingleTimer(nameof(Refill), Refill.Instance, _pause);
            _pause = TimeSpan.FromTicks(Math.Min(_pause.Ticks * 2, LongestPause.Ticks));
        }
    }

    private void OnExited(Exited message)
    {
        if (_ready.Remove(message.Process))
        {
            Log.ExitedWhileReady(_logger, message.Process.ProcessId);
            _owned.Kill(message.Process);
            Fill();
        }
    }

    private void Keep(WarmProcess process)
    {
        if (process.HasExited || Held >= _count)
        {
            _owned.Retire(process);
            Fill();
            return;
        }

        _owned.Add(process);
        _ready.Add(process);
        process.Process.Exited.PipeTo(Self, success: _ => new Exited(process));
    }

    private void Fill()
    {
        while (!_pausing && Held < _count)
        {
            _starting++;
            StartOneAsync().PipeTo(Self, success: p => new Started(p), failure: error => new StartFailed(error));
        }
    }

    private void PublishCounts() => _launcher.Workspace.Metrics?.Processes.Standby(_ready.Count, _starting);

    private async Task<WarmProcess> StartOneAsync()
    {
        var process = await _launcher.StartReadyAsync(WarmLaunch.Default, _stopping.Token).ConfigureAwait(false);
        if (!_owned.AdoptOrKill(process))
        {
            throw new OperationCanceledException("The standby set stopped.");
        }

        return process;
    }

    private static partial class Log
    {
        [LoggerMessage(610, LogLevel.Debug, "Standby CLI process {ProcessId} taken")]
        public static partial void Taken(ILogger logger, int processId);

        [LoggerMessage(611, LogLevel.Warning, "A standby CLI process could not be started (next try in {PauseSeconds} s): {Reason}")]
        public static partial void StartFailed(ILogger logger, double pauseSeconds, string reason);

        [LoggerMessage(613, LogLevel.Warning, "Standby CLI process {ProcessId} exited while it waited")]
        public static partial void ExitedWhileReady(ILogger logger, int processId);
    }
}
