namespace ClaudeActors.Server.Status;

/// <summary>
/// One answered request as the status page lists it: no body, no query string, no header but <c>Retry-After</c>, so no
/// prompt text. <see cref="FirstByteMs"/> is when the first byte of the body was written (for a stream, about the time
/// to the first token); <see cref="Aborted"/> says the client left before the answer was complete.
/// </summary>
internal sealed record RecentRequest(
    long Seq,
    DateTimeOffset At,
    string Method,
    string Path,
    int Status,
    double LatencyMs,
    double? FirstByteMs,
    bool Aborted,
    string? ErrorCode,
    string? RetryAfter);
