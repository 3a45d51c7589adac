using ClaudeActors.Chat;
using ClaudeActors.Server.OpenAi.Errors;

namespace ClaudeActors.Server.Hosting;

/// <summary>
/// What a client sees while the server stops (SIGTERM, Ctrl+C): a request that arrives gets 503
/// <c>server_shutting_down</c>, and a running turn is interrupted and ends with the same error (an error event when it
/// streams), so that the server can exit promptly instead of waiting for the model.
/// </summary>
internal static class ServerShutdown
{
    public static ChatFailure Failure() => ChatService.ShuttingDown();

    /// <summary>Refuses every request that arrives once the application is stopping.</summary>
    public static WebApplication UseShutdownRefusal(this WebApplication app)
    {
        var stopping = app.Lifetime.ApplicationStopping;
        app.Use((http, next) =>
        {
            if (!stopping.IsCancellationRequested)
            {
                return next(http);
            }

            http.Response.Headers.Connection = "close";
            return OpenAiErrors.Result(Failure(), http.Response).ExecuteAsync(http);
        });
        return app;
    }
}
