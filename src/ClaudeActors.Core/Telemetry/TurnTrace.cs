namespace ClaudeActors.Telemetry;

/// <summary>
/// What a turn message carries so that the turn's spans and log lines join its request's, on whichever node it runs:
/// the W3C <c>traceparent</c> of the request's span (null when nobody traces) and the request id.
/// </summary>
internal sealed record TurnTrace(string? TraceParent, string? RequestId)
{
    /// <summary>The current span's <c>traceparent</c> and <paramref name="requestId"/>; null when there is neither.</summary>
    public static TurnTrace? Current(string? requestId)
    {
        var parent = System.Diagnostics.Activity.Current?.Id;
        return parent is null && requestId is null ? null : new TurnTrace(parent, requestId);
    }
}
