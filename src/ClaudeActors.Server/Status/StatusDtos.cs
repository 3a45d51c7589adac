using System.Text.Json.Serialization;

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
    [property: JsonPropertyName("cluster")] StatusCluster Cluster,
    [property: JsonPropertyName("requests")] StatusRequests Requests,
    [property: JsonPropertyName("errors")] IReadOnlyList<StatusError> Errors);

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
/// the 429 answers among the recent requests in the last minute, and the latest one.
/// </summary>
internal sealed record StatusRateLimits(
    [property: JsonPropertyName("refusing")] bool Refusing,
    [property: JsonPropertyName("limited_last_minute")] int LimitedLastMinute,
    [property: JsonPropertyName("last_limited")] StatusRequest? LastLimited);

/// <summary>The cluster as this node sees it (as <c>GET /v1/cluster</c>).</summary>
internal sealed record StatusCluster(
    [property: JsonPropertyName("self")] string Self,
    [property: JsonPropertyName("leader")] string? Leader,
    [property: JsonPropertyName("members")] IReadOnlyList<StatusMember> Members);

/// <summary>A member: its status, reachability, roles, and its live conversations and warm processes (null when it did not answer).</summary>
internal sealed record StatusMember(
    [property: JsonPropertyName("address")] string Address,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("reachable")] bool Reachable,
    [property: JsonPropertyName("roles")] IReadOnlyList<string> Roles,
    [property: JsonPropertyName("self")] bool Self,
    [property: JsonPropertyName("leader")] bool Leader,
    [property: JsonPropertyName("conversations")] int? Conversations,
    [property: JsonPropertyName("warm_processes")] int? WarmProcesses);

/// <summary>Requests this node answered since it started (<c>total</c>, <c>failed</c>: status 400 or more) and the latest ones, newest first.</summary>
internal sealed record StatusRequests(
    [property: JsonPropertyName("total")] long Total,
    [property: JsonPropertyName("failed")] long Failed,
    [property: JsonPropertyName("recent")] IReadOnlyList<StatusRequest> Recent);

/// <summary>One recent request.</summary>
internal sealed record StatusRequest(
    [property: JsonPropertyName("seq")] long Seq,
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("latency_ms")] double LatencyMs,
    [property: JsonPropertyName("first_byte_ms")] double? FirstByteMs,
    [property: JsonPropertyName("aborted")] bool Aborted,
    [property: JsonPropertyName("error_code")] string? ErrorCode,
    [property: JsonPropertyName("retry_after")] string? RetryAfter)
{
    public static StatusRequest From(RecentRequest r) =>
        new(r.Seq, r.At, r.Method, r.Path, r.Status, Math.Round(r.LatencyMs, 1), r.FirstByteMs is { } f ? Math.Round(f, 1) : null, r.Aborted, r.ErrorCode, r.RetryAfter);
}

/// <summary>One recent error, newest first: a request answered with an error (<c>request</c>) or a logged warning or error (<c>log</c>).</summary>
internal sealed record StatusError(
    [property: JsonPropertyName("seq")] long Seq,
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("level")] string Level,
    [property: JsonPropertyName("where")] string Where,
    [property: JsonPropertyName("status")] int? Status,
    [property: JsonPropertyName("code")] string? Code,
    [property: JsonPropertyName("message")] string Message)
{
    public static StatusError From(RecentError e) => new(e.Seq, e.At, e.Source, e.Level, e.Where, e.Status, e.Code, e.Message);
}
