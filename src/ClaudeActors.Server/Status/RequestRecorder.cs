namespace ClaudeActors.Server.Status;

/// <summary>
/// The outermost middleware: records every answered request in <see cref="RecentActivity"/> (method, path, status,
/// latency, time to the first byte, and an error answer's code and message), except the status page's own requests
/// and health probes, which would crowd out the rest.
/// </summary>
internal sealed class RequestRecorder(RequestDelegate next, RecentActivity activity)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (StatusEndpoints.IsUnrecorded(http.Request.Path))
        {
            await next(http);
            return;
        }

        var time = activity.Time;
        var at = time.GetUtcNow();
        var started = time.GetTimestamp();
        var original = http.Response.Body;
        var recording = new RecordingStream(original, http.Response, time);
        http.Response.Body = recording;
        try
        {
            await next(http);
        }
        finally
        {
            http.Response.Body = original;
            var status = http.Response.StatusCode;
            var firstByte = recording.FirstByteAt is { } first ? time.GetElapsedTime(started, first).TotalMilliseconds : (double?)null;
            activity.AddRequest(
                at,
                http.Request.Method,
                Shorten((http.Request.PathBase + http.Request.Path).Value ?? "/"),
                status,
                time.GetElapsedTime(started).TotalMilliseconds,
                firstByte,
                http.RequestAborted.IsCancellationRequested,
                status >= 400 ? ErrorBody.Read(recording.ErrorBody) : null,
                http.Response.Headers.RetryAfter.Count > 0 ? http.Response.Headers.RetryAfter.ToString() : null);
        }
    }

    /// <summary>A path as listed: ids in paths are client-chosen and may be long.</summary>
    private static string Shorten(string path) => path.Length <= 200 ? path : string.Concat(path.AsSpan(0, 199), "…");
}
