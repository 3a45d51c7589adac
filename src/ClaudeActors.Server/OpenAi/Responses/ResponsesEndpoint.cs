using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClaudeActors.Chat;
using ClaudeActors.Server.Hosting;
using ClaudeActors.Server.OpenAi.Chat;
using ClaudeActors.Server.OpenAi.Errors;
using ClaudeActors.Server.Security;

namespace ClaudeActors.Server.OpenAi.Responses;

/// <summary>
/// The OpenAI Responses API: <c>POST /v1/responses</c> (plain and streamed) runs a turn on the same pipeline as chat
/// completions; a stored response is that turn of a conversation entity, read back by <c>GET</c>, forgotten by
/// <c>DELETE</c>, its input listed by <c>GET …/input_items</c>, and continued by <c>previous_response_id</c>.
/// </summary>
internal static class ResponsesEndpoint
{
    public static RouteGroupBuilder MapResponses(this RouteGroupBuilder group)
    {
        group.MapPost("/responses", CreateAsync);
        group.MapGet("/responses/{id}", GetAsync);
        group.MapDelete("/responses/{id}", DeleteAsync);
        group.MapGet("/responses/{id}/input_items", ResponseInputItems.ListAsync);
        group.MapPost("/responses/{id}/cancel", () => OpenAiErrors.Json(
            400, "Only background responses can be cancelled, and this server does not run background responses.", "invalid_request_error", "response_id"));
        return group;
    }

    private static async Task<IResult> CreateAsync(
        HttpContext http, ResponseRequestReader reader, ResponseStore store, ChatService chat, ShutdownDrain drain, ILogger<ChatEventCursor> logger)
    {
        ParsedResponseRequest request;
        StoredResponse? previous = null;
        try
        {
            using var document = await JsonDocument.ParseAsync(http.Request.Body, default, http.RequestAborted);
            if (ResponseRequestReader.PreviousResponseId(document.RootElement) is { } previousId)
            {
                previous = await store.FindAsync(previousId, http.Tenant(), http.RequestAborted);
                if (previous is null)
                {
                    return OpenAiErrors.Json(400, $"Previous response with id '{previousId}' not found.", "invalid_request_error", "previous_response_id", "previous_response_not_found");
                }
            }

            request = reader.Read(document.RootElement, http.Request.Headers[SessionHeaders.SessionId], previous?.Turn);
        }
        catch (Exception ex) when (JsonRequestBody.Refusal(ex) is { } bad)
        {
            return bad;
        }

        var (idempotencyKey, idempotencyProblem) = IdempotencyKeys.Read(http.Request);
        if (idempotencyProblem is not null)
        {
            return OpenAiErrors.Json(400, idempotencyProblem, "invalid_request_error", null, "invalid_idempotency_key");
        }

        var chatRequest = request.Chat;
        if (previous is not null && chatRequest.SessionId is { } named && named != previous.ConversationId)
        {
            return OpenAiErrors.Json(400, "previous_response_id belongs to another conversation than the session id of the request.", "invalid_request_error", "previous_response_id");
        }

        // A stored response needs a conversation to hold it: the previous response's, the client's, or a new one. Results
        // of tool calls without previous_response_id go to the conversation that resent history names (found by its hash).
        // A new conversation for a keyed request is named after the key, so a resend reaches it and is replayed.
        var nonce = ResponseIds.NewNonce(idempotencyKey);
        var sessionId = previous?.ConversationId ?? chatRequest.SessionId
            ?? (request.Store && chatRequest.Turn.ToolResults.Count == 0 ? (idempotencyKey is null ? Guid.NewGuid().ToString("D") : "response-" + nonce) : null);
        var turn = chatRequest.Turn with
        {
            IdempotencyKey = idempotencyKey,
            FollowsResponseId = previous?.Nonce,
            ResponseId = request.Store ? nonce : null,
            ResponseEnvelope = request.Store ? request.Envelope.ToJson() : null,
        };

        var (cursor, early) = await HttpTurn.StartAsync(
            http, chat, drain, logger, turn, sessionId, recordContinuation: true, buffered: !chatRequest.Stream, chatRequest.RequestedModel);
        if (cursor is null)
        {
            return early!;
        }

        var id = ResponseIds.Of(nonce, request.Store ? cursor.Session?.SessionId : null);
        if (chatRequest.Stream)
        {
            http.Response.Headers["X-Accel-Buffering"] = "no";
            return TypedResults.ServerSentEvents(StreamAsync(cursor, new ResponseEventWriter(id, nonce, AnsweredBy(request.Envelope, cursor))));
        }

        var (text, completed, error) = await cursor.ReadAnswerAsync();
        if (error is not null)
        {
            return OpenAiErrors.Result(error, http.Response);
        }

        var outcome = completed is null ? new ResponseOutcome(text, [], null, Cli.Protocol.CliUsage.Zero) : ResponseOutcome.From(completed);
        return Json(ResponseObjects.Final(id, nonce, AnsweredBy(request.Envelope, cursor), outcome));
    }

    /// <summary>The response names the model the client asked for, or the fallback model when that one answered instead.</summary>
    private static ResponseEnvelope AnsweredBy(ResponseEnvelope envelope, ChatEventCursor cursor) =>
        cursor.FallbackModel is { } fallback ? envelope with { Model = fallback } : envelope;

    private static async IAsyncEnumerable<SseItem<string>> StreamAsync(ChatEventCursor cursor, ResponseEventWriter writer)
    {
        foreach (var item in writer.Start())
        {
            yield return item;
        }

        while (true)
        {
            var (ev, failure) = await cursor.NextAsync();
            IEnumerable<SseItem<string>> items = ev switch
            {
                ChatTextDelta delta => writer.Text(delta.Text),
                ChatToolCallDelta call => writer.Call(call),
                ChatCompleted done => writer.Completed(ResponseOutcome.From(done)),
                _ => [],
            };
            if (failure is not null)
            {
                var (status, error) = OpenAiErrors.From(failure);
                items = writer.Failed(status switch { 429 => "rate_limit_exceeded", 400 => "invalid_prompt", _ => "server_error" }, error.Message);
            }

            foreach (var item in items)
            {
                yield return item;
            }

            if (ev is null or ChatCompleted)
            {
                yield break;
            }
        }
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, ResponseStore store)
    {
        if (http.Request.Query.TryGetValue("stream", out var stream) && stream.ToString() == "true")
        {
            return OpenAiErrors.Json(400, "Replaying a response as a stream is not supported; GET it without stream=true.", "invalid_request_error", "stream");
        }

        var found = await store.FindAsync(id, http.Tenant(), http.RequestAborted);
        return found is null
            ? NotFound(id)
            : Json(ResponseObjects.Final(found.Id, found.Nonce, found.Envelope, found.Outcome));
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext http, ResponseStore store) =>
        await store.DeleteAsync(id, http.Tenant(), http.RequestAborted)
            ? Json(new JsonObject { ["id"] = id, ["object"] = "response", ["deleted"] = true })
            : NotFound(id);

    public static IResult NotFound(string id) =>
        OpenAiErrors.Json(404, $"Response with id '{id}' not found.", "invalid_request_error");

    public static IResult Json(JsonNode body) => TypedResults.Text(body.ToJsonString(OpenAiJson.Options), "application/json");
}
