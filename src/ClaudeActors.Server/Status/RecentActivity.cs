namespace ClaudeActors.Server.Status;

/// <summary>
/// This node's recent requests and errors for the status page, in bounded rings (<see cref="RequestCapacity"/> and
/// <see cref="ErrorCapacity"/>), and its request counts since it started. Filled by <see cref="RequestRecorder"/> and
/// <see cref="LogErrorSink"/>; nothing here holds a request or answer body.
/// </summary>
internal sealed class RecentActivity(TimeProvider time)
{
    public const int RequestCapacity = 200;

    public const int ErrorCapacity = 100;

    /// <summary>The longest error message kept; longer ones are cut.</summary>
    public const int MessageLimit = 500;

    private readonly RecentRing<RecentRequest> _requests = new(RequestCapacity);
    private readonly RecentRing<RecentError> _errors = new(ErrorCapacity);
    private long _failed;

    /// <summary>When this node started recording (its start-up).</summary>
    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();

    public TimeProvider Time => time;

    /// <summary>Requests recorded since the start.</summary>
    public long Total => _requests.Added;

    /// <summary>Of <see cref="Total"/>, those answered with a status of 400 or more.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    public IReadOnlyList<RecentRequest> Requests => _requests.NewestFirst();

    public IReadOnlyList<RecentError> Errors => _errors.NewestFirst();

    /// <summary>Records an answered request; one with an error status is listed among the errors too.</summary>
    public void AddRequest(
        DateTimeOffset at, string method, string path, int status, double latencyMs, double? firstByteMs, bool aborted, ErrorBody? error, string? retryAfter)
    {
        _requests.Add(seq => new RecentRequest(
            seq, at, method, path, status, Math.Round(latencyMs, 1), firstByteMs is { } first ? Math.Round(first, 1) : null, aborted, error?.Code ?? error?.Type, retryAfter));
        if (status < 400)
        {
            return;
        }

        Interlocked.Increment(ref _failed);
        var message = error?.Message ?? $"HTTP {status}";
        _errors.Add(seq => new RecentError(
            seq, at, "request", status >= 500 ? "error" : "warning", $"{method} {path}", status, error?.Code ?? error?.Type, Cut(message)));
    }

    /// <summary>Records a warning or error the server logged.</summary>
    public void AddLogged(DateTimeOffset at, string level, string category, string message) =>
        _errors.Add(seq => new RecentError(seq, at, "log", level, category, null, null, Cut(message)));

    private static string Cut(string message) => message.Length <= MessageLimit ? message : string.Concat(message.AsSpan(0, MessageLimit - 1), "…");
}
