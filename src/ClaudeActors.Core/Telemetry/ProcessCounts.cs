using System.Diagnostics.Metrics;

namespace ClaudeActors.Telemetry;

/// <summary>
/// The node's CLI processes for the <c>claude_actors.processes</c> gauge: every process counts from its start to its exit;
/// the standby set publishes how many of them it holds ready and how many it is starting (<see cref="Standby"/>), and
/// the rest are warm (held by a conversation or a worker, or a one-shot turn's).
/// </summary>
internal sealed class ProcessCounts
{
    private readonly Lock _gate = new();
    private int _alive;
    private (int Ready, int Starting) _standby;

    /// <summary>CLI processes started and not yet exited.</summary>
    public int Alive => Volatile.Read(ref _alive);

    /// <summary>Counts a process until <paramref name="exited"/> completes.</summary>
    public void Started(Task exited)
    {
        Interlocked.Increment(ref _alive);
        exited.ContinueWith(_ => Interlocked.Decrement(ref _alive), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>The standby set's counts now (it calls this after each change).</summary>
    public void Standby(int ready, int starting)
    {
        lock (_gate)
        {
            _standby = (ready, starting);
        }
    }

    /// <summary>(warm, standby, starting) now.</summary>
    public (int Warm, int Standby, int Starting) Snapshot()
    {
        (int Ready, int Starting) standby;
        lock (_gate)
        {
            standby = _standby;
        }

        // A standby process being started is alive already; one counted ready may have exited a moment ago.
        var warm = Math.Max(0, Alive - standby.Ready - standby.Starting);
        return (warm, standby.Ready, standby.Starting);
    }

    internal IEnumerable<Measurement<int>> Measure()
    {
        var (warm, standby, starting) = Snapshot();
        return
        [
            new(warm, new KeyValuePair<string, object?>("state", "warm")),
            new(standby, new KeyValuePair<string, object?>("state", "standby")),
            new(starting, new KeyValuePair<string, object?>("state", "starting")),
        ];
    }
}
