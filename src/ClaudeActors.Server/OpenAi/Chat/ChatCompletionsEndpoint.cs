using System.Net.ServerSentEvents;
using System.Text.Json;
using ClaudeActors.Chat;
using ClaudeActors.Server.Hosting;
using ClaudeActors.Server.OpenAi.Errors;

namespace ClaudeActors.Server.OpenAi.Chat;

/// <summary><c>POST /v1/chat/completions</c>, plain and streamed.</summary>
internal static class ChatCompletionsEndpoint
{
    private static readonly IReadOnlyList<object> NoAnnotations = [];

    public static RouteGroupBuilder MapChatCompletions(this RouteGroupBuilder group)
    {
        group.MapPost("/chat/completions", HandleAsync);
        return group;
    }

    private static async Task<IResult> HandleAsync(
        HttpContext http, ChatRequestParser parser, ChatService chat, TimeProvider time, ShutdownDrain drain, ILogger<ChatEventCursor> logger)
    {
        var (request, refusal) = await JsonRequestBody.ReadAsync(http.Request, root => parser.Parse(root, http.Request.Headers[SessionHeaders.SessionId]));
        if (request is null)
        {
            return refusal!;
        }

        var (turn, idempotencyProblem) = IdempotencyKeys.Apply(http.Request, request.Turn);
        if (idempotencyProblem is not null)
        {
            return OpenAiErrors.Json(400, idempotencyProblem, "invalid_request_error", null, "invalid_idempotency_key");
        }

        var (cursor, early) = await HttpTurn.StartAsync(
            http, chat, drain, logger, turn, request.SessionId, recordContinuation: request.Stop.Count == 0, buffered: !request.Stream, request.RequestedModel);
        if (cursor is null)
        {
            return early!;
        }

        var id = "chatcmpl-" + RandomIds.Next();
        var created = time.GetUtcNow().ToUnixTimeSeconds();
        if (request.Stream)
        {
            // A proxy in front (nginx) must pass each event on as it comes, not buffer the answer.
            http.Response.Headers["X-Accel-Buffering"] = "no";
            return TypedResults.ServerSentEvents(StreamAsync(cursor, request, id, created));
        }

        return await CompleteAsync(cursor, request, id, created, http.Response);
    }

    private static async Task<IResult> CompleteAsync(ChatEventCursor cursor, ParsedChatRequest request, string id, long created, HttpResponse response)
    {
        var (answer, completed, failure) = await cursor.ReadAnswerAsync();
        if (failure is not null)
        {
            return OpenAiErrors.Result(failure, response);
        }

        var (content, stopped) = StopSequenceFilter.Apply(answer, request.Stop);
        var finish = stopped ? "stop" : FinishReasons.From(completed?.StopReason);
        var calls = completed?.ToolCalls ?? [];
        var message = new ChatMessageDto("assistant", calls.Count > 0 && content.Length == 0 ? null : content, null, NoAnnotations)
        {
            ToolCalls = calls.Count == 0 ? null : [.. calls.Select(c => new ToolCallDto(null, c.Id, "function", new ToolCallFunctionDto(c.Name, c.Arguments)))],
        };
        var usage = ChatUsage.From(completed?.Usage ?? Cli.Protocol.CliUsage.Zero);
        return TypedResults.Json(
            new ChatCompletion(id, "chat.completion", created, cursor.Model, [new ChatChoice(0, message, null, finish)], usage, null, cursor.Session?.SessionId),
            OpenAiJson.Options);
    }

    private static async IAsyncEnumerable<SseItem<string>> StreamAsync(
        ChatEventCursor cursor,
        ParsedChatRequest request,
        string id,
        long created)
    {
        var filter = new StopSequenceFilter(request.Stop);
        var streamedAny = false;
        string? finish = null;
        ChatUsage? usage = null;
        var session = cursor.Session?.SessionId;
        yield return Chunk(id, created, cursor.Model, session, new ChunkDelta("assistant", "", null), null);
        while (true)
        {
            // A cancelled turn ends in the cursor: the client is gone (nothing to write), or the server stops (an error).
            var (ev, failure) = await cursor.NextAsync();
            if (failure is not null)
            {
                var (_, error) = OpenAiErrors.From(failure);
                yield return new SseItem<string>(JsonSerializer.Serialize(new OpenAiErrorBody(error), OpenAiJson.Options));
                yield break;
            }

            if (ev is null)
            {
                break;
            }

            var text = "";
            if (ev is ChatToolCallDelta call)
            {
                // Text written before the calls goes out first, then each call: id, type and name, then argument fragments.
                var pending = filter.Flush();
                if (pending.Length > 0)
                {
                    yield return Chunk(id, created, cursor.Model, session, new ChunkDelta(null, pending, null), null);
                }

                var fragment = new ToolCallDto(call.Index, call.Id, call.Id is null ? null : "function", new ToolCallFunctionDto(call.Name, call.Arguments));
                yield return Chunk(id, created, cursor.Model, session, new ChunkDelta(null, null, null) { ToolCalls = [fragment] }, null);
                continue;
            }

            if (ev is ChatTextDelta delta)
            {
                streamedAny = true;
                text = filter.Push(delta.Text);
            }
            else if (ev is ChatCompleted completed)
            {
                text = streamedAny ? "" : filter.Push(completed.Text);
                usage = ChatUsage.From(completed.Usage);
                finish = filter.Stopped ? "stop" : FinishReasons.From(completed.StopReason);
            }

            if (text.Length > 0)
            {
                yield return Chunk(id, created, cursor.Model, session, new ChunkDelta(null, text, null), null);
            }

            if (filter.Stopped && !request.IncludeUsage)
            {
                // Nobody waits for the usage: end the turn now instead of paying for text that is cut anyway.
                finish = "stop";
                break;
            }
        }

        var rest = filter.Flush();
        if (rest.Length > 0)
        {
            yield return Chunk(id, created, cursor.Model, session, new ChunkDelta(null, rest, null), null);
        }

        yield return Chunk(id, created, cursor.Model, session, new ChunkDelta(null, null, null), finish ?? "stop");
        if (request.IncludeUsage && usage is not null)
        {
            yield return new SseItem<string>(JsonSerializer.Serialize(
                new ChatCompletionChunk(id, "chat.completion.chunk", created, cursor.Model, null, [], usage, cursor.Session?.SessionId), OpenAiJson.Options));
        }

        yield return new SseItem<string>("[DONE]");
    }

    private static SseItem<string> Chunk(string id, long created, string model, string? session, ChunkDelta delta, string? finish) =>
        new(JsonSerializer.Serialize(
            new ChatCompletionChunk(id, "chat.completion.chunk", created, model, null, [new ChunkChoice(0, delta, null, finish)], null, session),
            OpenAiJson.Options));
}
