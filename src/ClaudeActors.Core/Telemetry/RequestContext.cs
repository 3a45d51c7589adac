namespace ClaudeActors.Telemetry;

/// <summary>
/// The request id of the request whose code runs now (an async-local the HTTP layer sets), for code that hands work to
/// an actor: the id goes into the message, and the actor's side logs with it.
/// </summary>
internal static class RequestContext
{
    private static readonly AsyncLocal<string?> Id = new();

    /// <summary>The current request's id, or null outside a request.</summary>
    public static string? RequestId => Id.Value;

    /// <summary>Sets the current request id for the calling flow (and what it starts).</summary>
    public static void Set(string? requestId) => Id.Value = requestId;
}
