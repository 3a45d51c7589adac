using System.ComponentModel.DataAnnotations;

namespace ClaudeActors.Workers;

/// <summary>The bounded pool of CLI workers. Bound from <c>ClaudeActors:Workers</c>.</summary>
internal sealed class WorkerPoolOptions
{
    public const string SectionName = "ClaudeActors:Workers";

    /// <summary>At most this many CLI processes work at once. Default 4 (env <c>CLAUDE_MAX_CONCURRENCY</c>).</summary>
    [Range(1, 1024)]
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>At most this many requests wait for a worker; more get 429. Default 64.</summary>
    [Range(0, 100_000)]
    public int MaxQueueLength { get; set; } = 64;

    /// <summary>A request that waited this long for a worker gets 429. Default 120 s.</summary>
    [Range(0.001, 86_400)]
    public double QueueTimeoutSeconds { get; set; } = 120;

    /// <summary>One CLI call may take this long before its process is killed. Default 300 s (env <c>CLAUDE_TIMEOUT</c>).</summary>
    [Range(0.001, 86_400)]
    public double TimeoutSeconds { get; set; } = 300;
}
