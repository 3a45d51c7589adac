using System.Text.Json.Serialization;

namespace ClaudeActors.Server.Status;

/// <summary>
/// One answered request as the status page lists it: no body, no query string, no header but <c>Retry-After</c>, so no
/// prompt text. <see cref="FirstByteMs"/> is when the first byte of the body was written (for a stream, about the time
/// to the first token); <see cref="Aborted"/> says the client left before the answer was complete. <see cref="Seq"/>
/// numbers the node's requests from 1.
/// </summary>
internal sealed record RecentRequest(
    [property: JsonPropertyName("seq")] long Seq,
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("latency_ms")] double LatencyMs,
    [property: JsonPropertyName("first_byte_ms")] double? FirstByteMs,
    [property: JsonPropertyName("aborted")] bool Aborted,
    [property: JsonPropertyName("error_code")] string? ErrorCode,
    [property: JsonPropertyName("retry_after")] string? RetryAfter);
