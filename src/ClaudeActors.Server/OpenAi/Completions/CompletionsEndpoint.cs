using System.Net.ServerSentEvents;
using System.Text.Json;
using ClaudeActors.Chat;
using ClaudeActors.Cli.Protocol;
using ClaudeActors.Server.Hosting;
using ClaudeActors.Server.OpenAi.Chat;
using ClaudeActors.Server.OpenAi.Errors;
using ClaudeActors.Server.Security;
using ClaudeActors.Server.Usage;

namespace ClaudeActors.Server.OpenAi.Completions;

/// <summary>
/// <c>POST /v1/completions</c>, the legacy text completion API, plain and streamed: each prompt is a stateless turn on
/// the CLI worker pool (never a conversation), run one after another, and the answers come back in the
/// <c>text_completion</c> shape, choice index = the prompt's position.
/// </summary>
internal static class CompletionsEndpoint
{
    public static RouteGroupBuilder MapCompletions(this RouteGroupBuilder group)
    {
        group.MapPost("/completions", HandleAsync);
        return group;
    }

    private static async Task<IResult> HandleAsync(
        HttpContext http, CompletionRequestReader reader, ChatService chat, TimeProvider time, ShutdownDrain drain, SubscriptionLimits limits, ILogger<ChatEventCursor> logger)
    {
        var (request, refusal) = await JsonRequestBody.ReadAsync(http.Request, reader.Read);
        if (request is null)
        {
            return refusal!;
        }

        // As in chat: the turns end when the client goes away or the server stops (after its drain time).
        var ending = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, drain.TurnsCut);
        http.Response.RegisterForDispose(ending);
        var aborted = ending.Token;
        ChatEventCursor Open(int prompt)
        {
            var events = chat.StatelessAsync(request.Turns[prompt] with { Payer = http.Caller().Payer }, buffered: !request.Stream, aborted);
            var cursor = new ChatEventCursor(events, request.RequestedModel, logger, drain.TurnsCut, aborted)
            {
                RateLimited = limits.Report,
            };

            // Every turn ends with the request at the latest, whatever path the response takes (see chat).
            http.Response.RegisterForDisposeAsync(cursor);
            return cursor;
        }

        // The first answer is awaited before the response is committed, so a failure before it has its HTTP status.
        var first = Open(0);
        limits.WriteWhenStarting(http.Response, () => first.RateLimit);
        try
        {
            await first.PrimeAsync();
        }
        catch (ChatFailure failure)
        {
            return OpenAiErrors.Result(failure, http.Response);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            return Results.Empty;
        }

        var answer = new TextCompletion("cmpl-" + RandomIds.Next(), "text_completion", time.GetUtcNow().ToUnixTimeSeconds(), first.Model, null, [], null);
        if (request.Stream)
        {
            http.Response.Headers["X-Accel-Buffering"] = "no";
            return TypedResults.ServerSentEvents(StreamAsync(first, Open, request, answer));
        }

        return await CompleteAsync(first, Open, request, answer, http.Response);
    }

    private static async Task<IResult> CompleteAsync(
        ChatEventCursor first, Func<int, ChatEventCursor> open, ParsedCompletionRequest request, TextCompletion answer, HttpResponse response)
    {
        var choices = new List<TextCompletionChoice>();
        var usage = CliUsage.Zero;
        for (var prompt = 0; prompt < request.Turns.Count; prompt++)
        {
            await using var cursor = prompt == 0 ? first : open(prompt);
            var (text, completed, failure) = await cursor.ReadAnswerAsync();
            if (failure is not null)
            {
                return OpenAiErrors.Result(failure, response);
            }

            var (kept, stopped) = StopSequenceFilter.Apply(text, request.Stop);
            choices.Add(new TextCompletionChoice(kept, prompt, null, stopped ? "stop" : FinishReasons.From(completed?.StopReason)));
            usage += completed?.Usage ?? CliUsage.Zero;
        }

        return TypedResults.Json(answer with { Choices = choices, Usage = ChatUsage.From(usage) }, OpenAiJson.Options);
    }

    /// <summary>
    /// The answers as whole <c>text_completion</c> chunks: each prompt's text as it comes, then a chunk with its
    /// <c>finish_reason</c>; after the last prompt the usage chunk (empty choices) when asked for, then <c>[DONE]</c>.
    /// A failure after the first byte is an error event, and the stream ends.
    /// </summary>
    private static async IAsyncEnumerable<SseItem<string>> StreamAsync(
        ChatEventCursor first, Func<int, ChatEventCursor> open, ParsedCompletionRequest request, TextCompletion answer)
    {
        var usage = CliUsage.Zero;
        for (var prompt = 0; prompt < request.Turns.Count; prompt++)
        {
            ChatFailure? failure = null;
            var cursor = prompt == 0 ? first : open(prompt);
            await using (cursor)
            {
                if (prompt > 0)
                {
                    try
                    {
                        await cursor.PrimeAsync();
                    }
                    catch (ChatFailure ex)
                    {
                        failure = ex;
                    }
                }

                var filter = new StopSequenceFilter(request.Stop);
                var streamedAny = false;
                string? finish = null;
                while (failure is null)
                {
                    var (ev, failed) = await cursor.NextAsync();
                    failure = failed;
                    var text = "";
                    switch (ev)
                    {
                        case null:
                            break;
                        case ChatTextDelta delta:
                            streamedAny = true;
                            text = filter.Push(delta.Text);
                            break;
                        case ChatCompleted completed:
                            text = streamedAny ? "" : filter.Push(completed.Text);
                            usage += completed.Usage;
                            finish = filter.Stopped ? "stop" : FinishReasons.From(completed.StopReason);
                            break;
                        default:
                            continue;
                    }

                    if (text.Length > 0)
                    {
                        yield return Chunk(answer, new TextCompletionChoice(text, prompt, null, null));
                    }

                    if (ev is null || (filter.Stopped && !request.IncludeUsage))
                    {
                        // Cut by a stop sequence and nobody waits for the usage: the turn ends here (the cursor's disposal).
                        break;
                    }
                }

                if (failure is not null)
                {
                    var (_, error) = OpenAiErrors.From(failure);
                    yield return new SseItem<string>(JsonSerializer.Serialize(new OpenAiErrorBody(error), OpenAiJson.Options));
                    yield break;
                }

                var rest = filter.Flush();
                if (rest.Length > 0)
                {
                    yield return Chunk(answer, new TextCompletionChoice(rest, prompt, null, null));
                }

                yield return Chunk(answer, new TextCompletionChoice("", prompt, null, filter.Stopped ? "stop" : finish ?? "stop"));
            }
        }

        if (request.IncludeUsage)
        {
            yield return new SseItem<string>(JsonSerializer.Serialize(answer with { Usage = ChatUsage.From(usage) }, OpenAiJson.Options));
        }

        yield return new SseItem<string>("[DONE]");
    }

    private static SseItem<string> Chunk(TextCompletion answer, TextCompletionChoice choice) =>
        new(JsonSerializer.Serialize(answer with { Choices = [choice] }, OpenAiJson.Options));
}
