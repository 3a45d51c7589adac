using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Cluster;

namespace ClaudeActors.Clustering;

/// <summary>
/// Tells a reader on this node when the node it reads from has left the cluster (removed: downed after a crash or a
/// pause, or gone after a shut-down). A turn's stream comes from the node that runs the conversation; if that node dies,
/// the reader here must not wait for it. One token per node address, cancelled when Akka.Cluster removes the member.
/// </summary>
internal sealed class NodeDepartures
{
    private readonly ConcurrentDictionary<Address, CancellationTokenSource> _byAddress = new();
    private readonly Address _self;

    public NodeDepartures(ActorSystem system)
    {
        var cluster = Cluster.Get(system);
        _self = cluster.SelfAddress;
        system.ActorOf(Props.Create(() => new Listener(this)), "node-departures");
    }

    /// <summary>Cancelled once the member at <paramref name="address"/> is removed; never for this node or no address.</summary>
    public CancellationToken WhenGone(string? address) =>
        address is null || !Address.TryParse(address, out var node) || node.Host is null || node == _self ? CancellationToken.None : Source(node).Token;

    private CancellationTokenSource Source(Address address) => _byAddress.GetOrAdd(address, static _ => new CancellationTokenSource());

    private sealed class Listener : ReceiveActor
    {
        public Listener(NodeDepartures departures)
        {
            Receive<ClusterEvent.MemberRemoved>(removed => departures.Source(removed.Member.Address).Cancel());
            Receive<ClusterEvent.IMemberEvent>(_ => { });
        }

        protected override void PreStart() =>
            Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.MemberRemoved));

        protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);
    }
}
