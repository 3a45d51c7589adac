using Akka.Actor;
using Akka.Dispatch;
using Akka.Routing;
using Akka.Util;

namespace ClaudeActors.Workers;

/// <summary>
/// A pool router of a fixed number of workers that routes each request to an idle one
/// (<see cref="IdleWorkerRoutingLogic"/>), under the given supervisor strategy. Node-local: it is never deployed remotely.
/// </summary>
internal sealed class IdleWorkerPool(int nrOfInstances, WorkerClaims claims, SupervisorStrategy supervisorStrategy)
    : Pool(nrOfInstances, null, supervisorStrategy, Dispatchers.DefaultDispatcherId, usePoolDispatcher: false)
{
    public override Router CreateRouter(ActorSystem system) => new(new IdleWorkerRoutingLogic(claims));

    public override int GetNrOfInstances(ActorSystem system) => NrOfInstances;

    public override ISurrogate ToSurrogate(ActorSystem system) =>
        throw new NotSupportedException("The CLI worker pool is node-local and cannot be deployed remotely.");
}
