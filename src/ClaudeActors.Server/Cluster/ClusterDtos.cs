using System.Text.Json.Serialization;
using ClaudeActors.Clustering;

namespace ClaudeActors.Server.Cluster;

/// <summary>The answer of <c>GET /v1/cluster</c>: the node that answered and every member it knows.</summary>
internal sealed record ClusterObject(
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("self")] string Self,
    [property: JsonPropertyName("leader")] string? Leader,
    [property: JsonPropertyName("members")] IReadOnlyList<ClusterMemberObject> Members)
{
    /// <summary>The cluster as the node at <paramref name="self"/> sees its <paramref name="members"/>.</summary>
    public static ClusterObject From(string self, IReadOnlyList<ClusterMember> members) =>
        new(
            "cluster",
            self,
            members.FirstOrDefault(m => m.IsLeader)?.Address,
            [.. members.Select(m => new ClusterMemberObject(
                m.Address, m.Status, m.Reachable, m.Roles, m.IsSelf, m.IsLeader, m.Figures?.Conversations, m.Figures?.WarmProcesses))]);
}

/// <summary>
/// One member: its address, status (Joining, Up, Leaving, Exiting, Down, ...), reachability, roles, and what it runs
/// (null when it did not answer).
/// </summary>
internal sealed record ClusterMemberObject(
    [property: JsonPropertyName("address")] string Address,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("reachable")] bool Reachable,
    [property: JsonPropertyName("roles")] IReadOnlyList<string> Roles,
    [property: JsonPropertyName("self")] bool Self,
    [property: JsonPropertyName("leader")] bool Leader,
    [property: JsonPropertyName("conversations")] int? Conversations,
    [property: JsonPropertyName("warm_processes")] int? WarmProcesses);
