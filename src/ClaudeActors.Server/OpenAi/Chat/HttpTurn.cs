using ClaudeActors.Chat;
using ClaudeActors.Server.Hosting;
using ClaudeActors.Server.OpenAi.Errors;
using ClaudeActors.Server.Security;
using ClaudeActors.Server.Usage;

namespace ClaudeActors.Server.OpenAi.Chat;

/// <summary>
/// Starts a turn for an HTTP request, the same for every surface on the chat pipeline (chat completions, responses, the
/// Anthropic Messages API): it ends when the client goes away or the server
/// stops (after its drain time; the latter is answered with an error), and with the request on every path (an answer
/// or an error written, an exception while the headers are written, a stream the framework never reads, a client that
/// left). Reads up to the first piece of the answer, so a failure before it still gets a proper status.
/// </summary>
internal static class HttpTurn
{
    /// <summary>
    /// The turn's cursor, primed; or the answer to give instead: a failure before the start (in the surface's error shape,
    /// <paramref name="failed"/>; OpenAI's by default), nothing for a client that left.
    /// </summary>
    public static async Task<(ChatEventCursor? Cursor, IResult? Early)> StartAsync(
        HttpContext http,
        ChatService chat,
        ShutdownDrain drain,
        ILogger logger,
        ChatTurnRequest turn,
        string? sessionId,
        bool recordContinuation,
        bool buffered,
        string requestedModel,
        Func<ChatFailure, IResult>? failed = null)
    {
        var ending = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, drain.TurnsCut);
        http.Response.RegisterForDispose(ending);
        var aborted = ending.Token;
        // The key's tenant pays, also when an admin key acts in another tenant.
        var events = chat.StreamAsync(turn with { Payer = http.Caller().Payer }, sessionId, recordContinuation, buffered, http.Tenant(), aborted);
        var limits = http.RequestServices.GetRequiredService<SubscriptionLimits>();
        var cursor = new ChatEventCursor(events, requestedModel, logger, drain.TurnsCut, aborted) { RateLimited = limits.Report };
        limits.WriteWhenStarting(http.Response, () => cursor.RateLimit);

        // This is the one place that ends the turn.
        http.Response.RegisterForDisposeAsync(cursor);
        try
        {
            await cursor.PrimeAsync();
        }
        catch (ChatFailure failure)
        {
            SessionHeaders.Write(http.Response, cursor.Session);
            return (null, failed?.Invoke(failure) ?? OpenAiErrors.Result(failure, http.Response));
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            return (null, Results.Empty);
        }

        SessionHeaders.Write(http.Response, cursor.Session);
        return (cursor, null);
    }
}
