using Akka.Actor;
using Akka.Cluster;

namespace ClaudeActors.Clustering;

/// <summary>
/// The cluster as this node sees it (Akka.Cluster's membership), with each member's figures asked of that member's
/// <see cref="NodeStats"/> in parallel.
/// </summary>
internal sealed class ClusterOverview(ActorSystem system)
{
    /// <summary>This node's address.</summary>
    public string SelfAddress => Cluster.Get(system).SelfAddress.ToString();

    public async Task<IReadOnlyList<ClusterMember>> MembersAsync(CancellationToken cancellationToken)
    {
        var cluster = Cluster.Get(system);
        var state = cluster.State;
        var unreachable = state.Unreachable.Select(m => m.Address).ToHashSet();
        var members = state.Members.OrderBy(m => m.Address.ToString(), StringComparer.Ordinal).ToList();
        var figures = await Task.WhenAll(members.Select(m => FiguresAsync(m.Address, unreachable.Contains(m.Address), cancellationToken))).ConfigureAwait(false);
        return [.. members.Select((m, i) => new ClusterMember(
            m.Address.ToString(),
            m.Status.ToString(),
            !unreachable.Contains(m.Address),
            [.. m.Roles.Order(StringComparer.Ordinal)],
            m.Address == cluster.SelfAddress,
            m.Address == state.Leader,
            figures[i]))];
    }

    private async Task<NodeFigures?> FiguresAsync(Address address, bool unreachable, CancellationToken cancellationToken)
    {
        if (unreachable)
        {
            return null;
        }

        try
        {
            return await system.ActorSelection(address + NodeStats.Path)
                .Ask<NodeFigures>(GetNodeFigures.Instance, NodeStats.AskTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AskTimeoutException or TaskCanceledException or ActorNotFoundException)
        {
            return null;
        }
    }
}
