using Akka.Actor;
using Akka.Hosting;
using ClaudeActors.Clustering;
using ClaudeActors.Processes;
using ClaudeActors.Projections;
using ClaudeActors.Server.Cluster;
using ClaudeActors.Server.Usage;
using SessionOptions = ClaudeActors.Sessions.SessionOptions;
using ClaudeActors.Workers;
using Microsoft.Extensions.Options;

namespace ClaudeActors.Server.Status;

/// <summary>
/// Builds the status page's data from what the node already keeps: the workers' admission, the cluster's membership
/// with each member's figures (as <c>GET /v1/cluster</c>), the standby set, the conversation index, and the recent
/// requests and errors. The actors are asked in parallel with a short deadline; a figure that does not come in time is
/// null, so one slow part never holds the page.
/// </summary>
internal sealed class StatusReporter(
    RecentActivity activity,
    WorkerPool pool,
    ClusterOverview cluster,
    IRequiredActor<StandbyProcesses> standby,
    IRequiredActor<ConversationIndex> index,
    IOptions<WorkerPoolOptions> workers,
    IOptions<SessionOptions> sessions,
    IOptions<ProcessOptions> processes,
    SubscriptionLimits subscription)
{
    /// <summary>How long the actors may take to answer.</summary>
    public static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(3);

    public async Task<StatusObject> ReportAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(AskTimeout);
        var membersTask = cluster.MembersAsync(deadline.Token);
        var standbyTask = StandbyAsync(deadline.Token);
        var indexTask = IndexAsync(deadline.Token);
        var members = await membersTask.ConfigureAwait(false);
        var standbyStatus = await standbyTask.ConfigureAwait(false);
        var indexStatus = await indexTask.ConfigureAwait(false);

        var now = activity.Time.GetUtcNow();
        var self = members.FirstOrDefault(m => m.IsSelf)?.Figures;
        var requests = activity.Requests;
        var limited = requests.Where(r => r.Status == StatusCodes.Status429TooManyRequests).ToList();
        return new StatusObject(
            "status",
            cluster.SelfAddress,
            now,
            activity.StartedAt,
            (long)(now - activity.StartedAt).TotalSeconds,
            new StatusWorkers(pool.MaxConcurrency, pool.Active, pool.Queued, workers.Value.MaxQueueLength),
            new StatusProcesses(self?.WarmProcesses, sessions.Value.MaxWarmProcesses, standbyStatus?.Ready, standbyStatus?.Starting, processes.Value.Standby),
            new StatusConversations(self?.Conversations, indexStatus?.Conversations, indexStatus?.CaughtUp),
            new StatusRateLimits(
                pool.RefusalNow() is not null,
                limited.Count(r => now - r.At <= TimeSpan.FromMinutes(1)),
                limited.Count > 0 ? limited[0] : null,
                subscription.Latest is { } latest
                    ? new StatusSubscription(latest.Limit.Status, latest.Limit.Window, latest.Limit.Utilization, latest.Limit.ResetsAt, latest.At)
                    : null),
            ClusterObject.From(cluster.SelfAddress, members),
            new StatusRequests(activity.Total, activity.Failed, requests),
            activity.Errors);
    }

    private async Task<StandbyProcesses.Status?> StandbyAsync(CancellationToken cancellationToken)
    {
        if (processes.Value.Standby == 0 || standby.ActorRef.IsNobody())
        {
            return new StandbyProcesses.Status(0, 0);
        }

        try
        {
            return await standby.ActorRef.Ask<StandbyProcesses.Status>(StandbyProcesses.GetStatus.Instance, AskTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AskTimeoutException or OperationCanceledException)
        {
            return null;
        }
    }

    private async Task<IndexStatus?> IndexAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await index.ActorRef.Ask<IndexStatus>(GetIndexStatus.Instance, AskTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AskTimeoutException or OperationCanceledException)
        {
            return null;
        }
    }
}
