using ClaudeActors.Chat;
using ClaudeActors.Server.Hosting;

namespace ClaudeActors.Server.OpenAi.Chat;

/// <summary>
/// Starts the turn of a parsed request for an HTTP request, the same for every surface on the chat pipeline (chat
/// completions, the Anthropic Messages API): the <c>Idempotency-Key</c> header, a turn that ends with the client or
/// when the server stops (after its drain time; the cursor turns that into an error), and a cursor that is disposed
/// with the request on every path.
/// </summary>
internal static class ChatTurnStart
{
    /// <summary>The turn's cursor and the token that ends it, or why the <c>Idempotency-Key</c> header is not valid.</summary>
    public static (ChatEventCursor? Cursor, CancellationToken Aborted, string? IdempotencyProblem) Begin(
        HttpContext http, ParsedChatRequest request, ChatService chat, ShutdownDrain drain, ILogger logger)
    {
        var (idempotencyKey, idempotencyProblem) = IdempotencyKeys.Read(http.Request);
        if (idempotencyProblem is not null)
        {
            return (null, default, idempotencyProblem);
        }

        var turn = idempotencyKey is null ? request.Turn : request.Turn with { IdempotencyKey = idempotencyKey };
        var ending = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, drain.TurnsCut);
        http.Response.RegisterForDispose(ending);
        var aborted = ending.Token;
        var events = chat.StreamAsync(turn, request.SessionId, recordContinuation: request.Stop.Count == 0, buffered: !request.Stream, aborted);
        var cursor = new ChatEventCursor(events, request.RequestedModel, logger, drain.TurnsCut, aborted);

        // The turn ends with the request, on every path: an answer or an error written, an exception while the headers
        // are written, a stream the framework never reads, a client that left.
        http.Response.RegisterForDisposeAsync(cursor);
        return (cursor, aborted, null);
    }
}
