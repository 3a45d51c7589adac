namespace ClaudeActors.Clustering;

/// <summary>
/// A member of the cluster as <c>GET /v1/cluster</c> shows it; <see cref="Figures"/> is null when the node did not
/// answer (unreachable, or starting or leaving).
/// </summary>
internal sealed record ClusterMember(
    string Address,
    string Status,
    bool Reachable,
    IReadOnlyList<string> Roles,
    bool IsSelf,
    bool IsLeader,
    NodeFigures? Figures);
