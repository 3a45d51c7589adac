using ClaudeActors.Telemetry;

namespace ClaudeActors.Server.Telemetry;

/// <summary>
/// First in the pipeline: gives every request its id (<see cref="RequestIds"/>), answers it in <c>x-request-id</c>, tags
/// the request's span with it and puts it on every log line logged while the request runs (and, through the turn
/// message, on the conversation's side); once answered, counts the request by endpoint (route pattern) and status.
/// </summary>
internal sealed class RequestTelemetry(RequestDelegate next, ClaudeActorsMetrics metrics)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var id = RequestIds.Choose(context.Request.Headers[RequestIds.Header].Count == 1 ? context.Request.Headers[RequestIds.Header][0] : null);
        context.TraceIdentifier = id;
        context.Response.Headers[RequestIds.Header] = id;
        System.Diagnostics.Activity.Current?.SetTag(ClaudeActorsTelemetry.RequestIdTag, id);
        RequestContext.Set(id);
        try
        {
            await next(context);
        }
        finally
        {
            metrics.RequestAnswered(Endpoint(context), context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted ? 499 : context.Response.StatusCode);
        }
    }

    /// <summary>The route pattern that answered (bounded: never the raw path), or <c>unmatched</c>.</summary>
    private static string Endpoint(HttpContext context) =>
        context.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } pattern } ? pattern : "unmatched";
}
