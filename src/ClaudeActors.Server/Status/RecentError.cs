namespace ClaudeActors.Server.Status;

/// <summary>
/// One error the status page lists: a request answered with an error status (<see cref="Source"/> <c>request</c>, with
/// its status, code and message as the client got them) or a warning or error the server logged (<c>log</c>, with the
/// logger's category in <see cref="Where"/>).
/// </summary>
internal sealed record RecentError(
    long Seq,
    DateTimeOffset At,
    string Source,
    string Level,
    string Where,
    int? Status,
    string? Code,
    string Message);
