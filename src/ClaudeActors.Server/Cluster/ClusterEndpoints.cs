using ClaudeActors.Clustering;
using ClaudeActors.Server.OpenAi;

namespace ClaudeActors.Server.Cluster;

/// <summary>
/// <c>GET /v1/cluster</c>: the members of the Akka.NET cluster as the answering node sees them, each with the
/// conversations (live entities) and warm CLI processes it has, asked of that node.
/// </summary>
internal static class ClusterEndpoints
{
    public static RouteGroupBuilder MapCluster(this RouteGroupBuilder group)
    {
        group.MapGet("/cluster", GetAsync);
        return group;
    }

    private static async Task<IResult> GetAsync(ClusterOverview overview, CancellationToken cancellationToken)
    {
        var members = await overview.MembersAsync(cancellationToken);
        return TypedResults.Json(ClusterObject.From(overview.SelfAddress, members), OpenAiJson.Options);
    }
}
