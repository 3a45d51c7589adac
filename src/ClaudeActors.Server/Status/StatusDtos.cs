using System.Text.Json.Serialization;
using ClaudeActors.Server.Cluster;

namespace ClaudeActors.Server.Status;

/// <summary>The answer of <c>GET /v1/status</c>: what the status page shows, as this node sees it now.</summary>
internal sealed record StatusObject(
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("node")] string Node,
    [property: JsonPropertyName("now")] DateTimeOffset Now,
    [property: JsonPropertyName("started_at")] DateTimeOffset StartedAt,
    [property: JsonPropertyName("uptime_seconds")] long UptimeSeconds,
    [property: JsonPropertyName("workers")] StatusWorkers Workers,
    [property: JsonPropertyName("processes")] StatusProcesses Processes,
    [property: JsonPropertyName("conversations")] StatusConversations Conversations,
    [property: JsonPropertyName("rate_limits")] StatusRateLimits RateLimits,
    [property: JsonPropertyName("cluster")] ClusterObject Cluster,
    [property: JsonPropertyName("requests")] StatusRequests Requests,
    [property: JsonPropertyName("errors")] IReadOnlyList<RecentError> Errors);

/// <summary>The CLI workers: turns running (<c>busy</c>) out of <c>max</c>, and requests waiting for one.</summary>
internal sealed record StatusWorkers(
    [property: JsonPropertyName("max")] int Max,
    [property: JsonPropertyName("busy")] int Busy,
    [property: JsonPropertyName("queued")] int Queued,
    [property: JsonPropertyName("max_queue")] int MaxQueue);

/// <summary>
/// CLI processes on this node: conversations' warm processes (and their cap), and the standby set (ready and starting,
/// out of <c>standby_target</c>). A figure this node could not get in time is null.
/// </summary>
internal sealed record StatusProcesses(
    [property: JsonPropertyName("warm")] int? Warm,
    [property: JsonPropertyName("warm_cap")] int WarmCap,
    [property: JsonPropertyName("standby_ready")] int? StandbyReady,
    [property: JsonPropertyName("standby_starting")] int? StandbyStarting,
    [property: JsonPropertyName("standby_target")] int StandbyTarget);

/// <summary>
/// Conversations: <c>live</c> entities on this node (in memory, not passivated), and every conversation the index knows
/// (<c>total</c>, the whole cluster's), with whether the index has caught up with the journal.
/// </summary>
internal sealed record StatusConversations(
    [property: JsonPropertyName("live")] int? Live,
    [property: JsonPropertyName("total")] int? Total,
    [property: JsonPropertyName("index_caught_up")] bool? IndexCaughtUp);

/// <summary>
/// This node's rate limiting: whether its workers refuse new requests right now (every worker busy and the queue full),
/// the 429 answers among the recent requests in the last minute, the latest one, and the subscription's own rate-limit
/// state as the CLI last reported it on this node (null before any report).
/// </summary>
internal sealed record StatusRateLimits(
    [property: JsonPropertyName("refusing")] bool Refusing,
    [property: JsonPropertyName("limited_last_minute")] int LimitedLastMinute,
    [property: JsonPropertyName("last_limited")] RecentRequest? LastLimited,
    [property: JsonPropertyName("subscription")] StatusSubscription? Subscription);

/// <summary>
/// The subscription's rate-limit state from the CLI's latest <c>rate_limit_event</c>: its status (<c>allowed</c>,
/// <c>allowed_warning</c>, <c>rejected</c>), the window it is about, how much of it is used (0 to 1), when it resets (Unix
/// seconds), and when this node heard it.
/// </summary>
internal sealed record StatusSubscription(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("window")] string? Window,
    [property: JsonPropertyName("utilization")] double? Utilization,
    [property: JsonPropertyName("resets_at")] long? ResetsAt,
    [property: JsonPropertyName("reported_at")] DateTimeOffset ReportedAt);

/// <summary>Requests this node answered since it started (<c>total</c>, <c>failed</c>: status 400 or more) and the latest ones, newest first.</summary>
internal sealed record StatusRequests(
    [property: JsonPropertyName("total")] long Total,
    [property: JsonPropertyName("failed")] long Failed,
    [property: JsonPropertyName("recent")] IReadOnlyList<RecentRequest> Recent);
