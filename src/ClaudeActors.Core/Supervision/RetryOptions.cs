using System.ComponentModel.DataAnnotations;

namespace ClaudeActors.Supervision;

/// <summary>How the supervisor retries transient failures. Bound from <c>ClaudeActors:Retry</c>.</summary>
internal sealed class RetryOptions
{
    public const string SectionName = "ClaudeActors:Retry";

    /// <summary>Retries after the first attempt; 0 turns retrying off. Default 5 (env <c>CLAUDE_MAX_RETRIES</c>).</summary>
    [Range(0, 100)]
    public int MaxRetries { get; set; } = 5;

    /// <summary>
    /// Retry n waits about <c>base * 2^(n-1)</c> seconds, with jitter, capped at <see cref="MaxBackoffSeconds"/>.
    /// Default 2.0 (env <c>CLAUDE_BASE_BACKOFF</c>).
    /// </summary>
    [Range(0.0, 3600)]
    public double BaseBackoffSeconds { get; set; } = 2.0;

    /// <summary>The longest wait between two attempts. Default 60 s.</summary>
    [Range(0.0, 3600)]
    public double MaxBackoffSeconds { get; set; } = 60;

    /// <summary>
    /// How long a turn may go on retrying, counted from the start of its first attempt. No retry starts after it, and
    /// no wait runs past it, so a client waits for a failing turn at most this long plus one attempt (its own retries
    /// come on top). Default 30 s.
    /// </summary>
    [Range(0.0, 86400)]
    public double MaxRetrySeconds { get; set; } = 30;

    /// <summary>Adds random jitter to each wait, so many retrying clients spread out. Default true.</summary>
    public bool UseJitter { get; set; } = true;
}
