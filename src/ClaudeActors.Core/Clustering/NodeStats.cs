using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using ClaudeActors.Conversations;

namespace ClaudeActors.Clustering;

/// <summary>
/// One per node, at <see cref="Path"/>: answers <see cref="GetNodeFigures"/> from any node with this node's live
/// conversation entities (its shard region's state) and warm processes (its warm-process cap). <c>GET /v1/cluster</c>
/// asks every member's.
/// </summary>
internal sealed class NodeStats : ReceiveActor
{
    /// <summary>The actor's name under <c>/user</c>.</summary>
    public const string Name = "node-stats";

    /// <summary>Its path on a node, after the node's address.</summary>
    public const string Path = "/user/" + Name;

    public static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    public NodeStats(IActorRef region, IActorRef cap)
    {
        var address = Cluster.Get(Context.System).SelfAddress.ToString();
        ReceiveAsync<GetNodeFigures>(async _ =>
        {
            var replyTo = Sender;
            var regionState = region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, AskTimeout);
            var processes = cap.Ask<WarmProcessCap.Processes>(WarmProcessCap.GetProcesses.Instance, AskTimeout);
            try
            {
                var state = await regionState.ConfigureAwait(false);
                var warm = await processes.ConfigureAwait(false);
                replyTo.Tell(new NodeFigures(address, state.Shards.Sum(s => s.EntityIds.Count), warm.Warm));
            }
            catch (Exception ex) when (ex is AskTimeoutException or TaskCanceledException)
            {
                replyTo.Tell(new Status.Failure(ex));
            }
        });
    }

    public static Props Props(IActorRef region, IActorRef cap) => Akka.Actor.Props.Create(() => new NodeStats(region, cap));
}
