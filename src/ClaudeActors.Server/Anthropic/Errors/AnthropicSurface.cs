namespace ClaudeActors.Server.Anthropic.Errors;

/// <summary>
/// Makes every answer under <c>/v1/messages</c> speak Anthropic: a <c>request-id</c> header, and errors that the
/// shared pipeline writes in OpenAI's shape (the request guard, body limits, unknown routes and methods, the shutdown
/// refusal, an unhandled exception) rewritten into Anthropic's, with the same status. Other paths are left alone.
/// </summary>
internal static class AnthropicSurface
{
    /// <summary>The path prefix of the Anthropic Messages API.</summary>
    public const string PathPrefix = "/v1/messages";

    public static WebApplication UseAnthropicSurface(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            if (!http.Request.Path.StartsWithSegments(PathPrefix, StringComparison.OrdinalIgnoreCase))
            {
                await next(http);
                return;
            }

            var id = RequestIds.Of(http);
            http.Response.OnStarting(() =>
            {
                // Another handler may have cleared the headers (the exception handler does).
                http.Response.Headers[RequestIds.Header] = id;
                return Task.CompletedTask;
            });
            var original = http.Response.Body;
            await using var reshaping = new ErrorReshapingStream(original, http);
            http.Response.Body = reshaping;
            try
            {
                await next(http);
                await reshaping.CompleteAsync(http.RequestAborted);
            }
            finally
            {
                http.Response.Body = original;
            }
        });
        return app;
    }
}
