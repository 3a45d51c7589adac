using System.Text.Json.Serialization;

namespace ClaudeActors.Server.Status;

/// <summary>
/// One error the status page lists: a request answered with an error status (<see cref="Source"/> <c>request</c>, with
/// its status, code and message as the client got them) or a warning or error the server logged (<c>log</c>, with the
/// logger's category in <see cref="Where"/>). <see cref="Level"/> is <c>warning</c> or <c>error</c> (a 5xx answer).
/// </summary>
internal sealed record RecentError(
    [property: JsonPropertyName("seq")] long Seq,
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("level")] string Level,
    [property: JsonPropertyName("where")] string Where,
    [property: JsonPropertyName("status")] int? Status,
    [property: JsonPropertyName("code")] string? Code,
    [property: JsonPropertyName("message")] string Message);
