using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Cluster;

namespace ClaudeActors.Clustering;

/// <summary>
/// Tells a reader on this node when the node it reads from has left the cluster (removed: downed after a crash or a
/// pause, or gone after a shut-down). A turn's stream comes from the node that runs the conversation; if that node dies,
/// the reader here must not wait for it. One token per node incarnation (its address and uid, <see cref="NodeId"/>: a
/// node restarted on the same address is another incarnation), cancelled when Akka.Cluster downs or removes the member.
/// </summary>
internal sealed class NodeDepartures
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _byNode = new(StringComparer.Ordinal);
    private readonly string _self;

    /// <summary>
    /// Set when this node's own cluster shuts down: Akka then publishes every member as removed, which says nothing of
    /// the other nodes (a stream read from them ends as this node's shutdown, not as <c>node_left</c>).
    /// </summary>
    private volatile bool _leaving;

    public NodeDepartures(ActorSystem system)
    {
        var cluster = Cluster.Get(system);
        _self = SelfId(system);
        system.ActorOf(Props.Create(() => new Listener(this)), "node-departures");
    }

    /// <summary>How a node incarnation is named in <see cref="Conversations.TurnAccepted.Node"/>: <c>akka.tcp://sys@host:port#uid</c>.</summary>
    public static string NodeId(Address address, long uid) => $"{address}#{uid}";

    /// <summary>This node's id (with no cluster, its local address: no reader waits on it).</summary>
    public static string SelfId(ActorSystem system) =>
        ((ExtendedActorSystem)system).Provider is ClusterActorRefProvider
            ? NodeId(Cluster.Get(system).SelfUniqueAddress.Address, Cluster.Get(system).SelfUniqueAddress.Uid)
            : ((ExtendedActorSystem)system).Provider.DefaultAddress.ToString();

    /// <summary>Cancelled once the node incarnation <paramref name="node"/> is removed; never for this node or a node without a host.</summary>
    public CancellationToken WhenGone(string? node) =>
        node is null || node == _self || !node.Contains('@', StringComparison.Ordinal) ? CancellationToken.None : Source(node).Token;

    private void Gone(Member member)
    {
        if (!_leaving)
        {
            Source(NodeId(member.UniqueAddress.Address, member.UniqueAddress.Uid)).Cancel();
        }
    }

    private CancellationTokenSource Source(string node) => _byNode.GetOrAdd(node, static _ => new CancellationTokenSource());

    private sealed class Listener : ReceiveActor
    {
        public Listener(NodeDepartures departures)
        {
            // Downed comes first (a downed incarnation never comes back); removed follows after the down-removal margin.
            Receive<ClusterEvent.ClusterShuttingDown>(_ => departures._leaving = true);
            Receive<ClusterEvent.MemberDowned>(downed => departures.Gone(downed.Member));
            Receive<ClusterEvent.MemberRemoved>(removed => departures.Gone(removed.Member));
            Receive<ClusterEvent.IMemberEvent>(_ => { });
        }

        protected override void PreStart() =>
            Cluster.Get(Context.System).Subscribe(
                Self,
                ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
                typeof(ClusterEvent.ClusterShuttingDown),
                typeof(ClusterEvent.MemberDowned),
                typeof(ClusterEvent.MemberRemoved));

        protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);
    }
}
