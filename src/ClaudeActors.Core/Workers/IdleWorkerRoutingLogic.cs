using Akka.Routing;

namespace ClaudeActors.Workers;

/// <summary>
/// Routes a request to the first idle worker, claiming it (<see cref="WorkerClaims"/>); the lower workers are tried
/// first, so requests in a row land on a worker whose process is warm. Only when every worker is busy (a retry while
/// all are busy, a worker still resetting its process) does a request wait in a busy worker's mailbox, round robin.
/// Akka's <see cref="SmallestMailboxRoutingLogic"/> cannot do this: a worker running a turn off its mailbox has an
/// empty mailbox and looks idle to it.
/// </summary>
internal sealed class IdleWorkerRoutingLogic(WorkerClaims claims) : RoutingLogic
{
    private int _next = -1;

    public override Routee Select(object message, Routee[] routees)
    {
        if (routees.Length == 0)
        {
            return Routee.NoRoutee;
        }

        foreach (var routee in routees)
        {
            if (routee is ActorRefRoutee worker && claims.TryClaim(worker.Actor))
            {
                return routee;
            }
        }

        return routees[(Interlocked.Increment(ref _next) & int.MaxValue) % routees.Length];
    }
}
