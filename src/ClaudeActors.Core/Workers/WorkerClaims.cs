using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Akka.Actor;

namespace ClaudeActors.Workers;

/// <summary>
/// Which workers of the pool are busy. The router claims an idle worker for a request the moment it routes it (so two
/// requests routed at once never pick the same one), the worker marks itself busy when it starts an attempt, and frees
/// itself once it is idle with nothing waiting. Shared by the router's logic and the workers, on any thread.
/// </summary>
internal sealed class WorkerClaims
{
    private readonly ConcurrentDictionary<IActorRef, StrongBox<int>> _busy = new();

    /// <summary>Claims <paramref name="worker"/> when it is idle; false when it is busy.</summary>
    public bool TryClaim(IActorRef worker) => Interlocked.CompareExchange(ref Flag(worker).Value, 1, 0) == 0;

    /// <summary>Whether <paramref name="worker"/> is busy (claimed or running an attempt).</summary>
    public bool IsBusy(IActorRef worker) => Volatile.Read(ref Flag(worker).Value) == 1;

    /// <summary>How many workers are busy now.</summary>
    public int BusyCount => _busy.Values.Count(flag => Volatile.Read(ref flag.Value) == 1);

    public void MarkBusy(IActorRef worker) => Volatile.Write(ref Flag(worker).Value, 1);

    public void Release(IActorRef worker) => Volatile.Write(ref Flag(worker).Value, 0);

    private StrongBox<int> Flag(IActorRef worker) => _busy.GetOrAdd(worker, static _ => new StrongBox<int>());
}
