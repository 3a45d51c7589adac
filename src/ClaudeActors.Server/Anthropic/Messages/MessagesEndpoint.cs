using System.Net.ServerSentEvents;
using System.Text.Json;
using ClaudeActors.Chat;
using ClaudeActors.Server.Anthropic.Errors;
using ClaudeActors.Server.Hosting;
using ClaudeActors.Server.OpenAi;
using ClaudeActors.Server.OpenAi.Chat;
using ClaudeActors.Server.OpenAi.Errors;

namespace ClaudeActors.Server.Anthropic.Messages;

/// <summary>
/// <c>POST /v1/messages</c> (plain and streamed) and <c>POST /v1/messages/count_tokens</c>: the Anthropic Messages API
/// as an adapter on the chat pipeline. The request becomes a <see cref="ChatTurnRequest"/>, the turn's events are
/// written in Anthropic's format, and conversation ids, idempotency keys and tool loops work as on chat completions.
/// </summary>
internal static class MessagesEndpoint
{
    public static RouteGroupBuilder MapMessages(this RouteGroupBuilder group)
    {
        group.MapPost("/messages", HandleAsync);
        group.MapPost("/messages/count_tokens", CountTokens);
        return group;
    }

    /// <summary>The CLI has no token counter and a real count costs a model call: a clear 400, which SDKs do not retry.</summary>
    private static IResult CountTokens(HttpContext http) => AnthropicErrors.Json(
        http,
        400,
        "count_tokens is not supported by this server: the Claude CLI offers no way to count tokens without running the model. The usage of each answer (POST /v1/messages) has the exact counts.");

    private static async Task<IResult> HandleAsync(
        HttpContext http, MessagesRequestReader reader, ChatService chat, ShutdownDrain drain, ILogger<ChatEventCursor> logger)
    {
        ParsedChatRequest request;
        try
        {
            using var document = await JsonDocument.ParseAsync(http.Request.Body, default, http.RequestAborted);
            request = reader.Read(document.RootElement, http.Request.Headers[SessionHeaders.SessionId]);
        }
        catch (JsonException)
        {
            return AnthropicErrors.Json(http, 400, "The request body is not valid JSON.");
        }
        catch (RequestValidationException ex)
        {
            return AnthropicErrors.Json(http, 400, ex.Message);
        }
        catch (BadHttpRequestException ex)
        {
            return AnthropicErrors.Json(http, ex.StatusCode, ex.Message);
        }

        var (turn, idempotencyProblem) = IdempotencyKeys.Apply(http.Request, request.Turn);
        if (idempotencyProblem is not null)
        {
            return AnthropicErrors.Json(http, 400, idempotencyProblem);
        }

        var (cursor, early) = await HttpTurn.StartAsync(
            http, chat, drain, logger, turn, request.SessionId, recordContinuation: request.Stop.Count == 0, buffered: !request.Stream, request.RequestedModel,
            failure => AnthropicErrors.Result(http, failure));
        if (cursor is null)
        {
            return early!;
        }

        var id = "msg_" + RandomIds.Next();
        if (request.Stream)
        {
            http.Response.Headers["X-Accel-Buffering"] = "no";
            return TypedResults.ServerSentEvents(StreamAsync(cursor, request, id, RequestIds.Of(http)));
        }

        var writer = new AnthropicMessageWriter(id, cursor.Model, request.Stop);
        while (true)
        {
            var (ev, failure) = await cursor.NextAsync();
            if (failure is not null)
            {
                return AnthropicErrors.Result(http, failure);
            }

            if (ev is null)
            {
                break;
            }

            if (ev is ChatStarted)
            {
                // A new attempt answers from the start.
                writer = new AnthropicMessageWriter(id, cursor.Model, request.Stop);
            }

            writer.On(ev).Consume();
        }

        writer.Model = cursor.Model;
        return Results.Content(AnthropicJson.Write(writer.Message()), "application/json", System.Text.Encoding.UTF8);
    }

    private static async IAsyncEnumerable<SseItem<string>> StreamAsync(ChatEventCursor cursor, ParsedChatRequest request, string id, string requestId)
    {
        var writer = new AnthropicMessageWriter(id, cursor.Model, request.Stop);
        foreach (var item in writer.Start())
        {
            yield return item;
        }

        while (true)
        {
            var (ev, failure) = await cursor.NextAsync();
            if (failure is not null)
            {
                yield return AnthropicMessageWriter.Error(failure, requestId);
                yield break;
            }

            if (ev is null)
            {
                break;
            }

            foreach (var item in writer.On(ev))
            {
                yield return item;
            }
        }

        foreach (var item in writer.Finish())
        {
            yield return item;
        }
    }

    private static void Consume(this IEnumerable<SseItem<string>> items)
    {
        foreach (var _ in items)
        {
        }
    }
}
