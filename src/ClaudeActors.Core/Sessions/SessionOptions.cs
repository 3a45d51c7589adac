using System.ComponentModel.DataAnnotations;

namespace ClaudeActors.Sessions;

/// <summary>Conversations and their warm CLI processes. Bound from <c>ClaudeActors:Sessions</c>.</summary>
internal sealed class SessionOptions
{
    public const string SectionName = "ClaudeActors:Sessions";

    /// <summary>
    /// A conversation idle this long is passivated: its CLI process ends, its history stays. Default 1800 s
    /// (env <c>SESSION_TTL_SECONDS</c>).
    /// </summary>
    [Range(0.01, 31_536_000)]
    public double TtlSeconds { get; set; } = 1800;

    /// <summary>
    /// At most this many warm CLI processes (about 190 MB each); past it the least recently used idle conversation is
    /// passivated. Default 16.
    /// </summary>
    [Range(1, 10_000)]
    public int MaxWarmProcesses { get; set; } = 16;

    /// <summary>
    /// Requests without a session id continue the conversation whose history they resend (matched by a hash of the
    /// normalised messages), so stateless clients get warm processes and prompt-cache hits too. Default true.
    /// </summary>
    public bool AutoSessions { get; set; } = true;

    /// <summary>How long an interrupted turn may take to wind down before its process is killed. Default 5 s.</summary>
    [Range(0.1, 300)]
    public double InterruptGraceSeconds { get; set; } = 5;
}
