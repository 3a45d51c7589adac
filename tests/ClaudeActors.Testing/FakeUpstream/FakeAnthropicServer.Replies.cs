using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ClaudeActors.Testing.FakeUpstream;

/// <summary>Request handling: recording, routing, and writing <see cref="FakeReply"/>s on the wire.</summary>
public sealed partial class FakeAnthropicServer
{
    private async Task HandleAsync(HttpContext context)
    {
        var request = await RecordAsync(context).ConfigureAwait(false);
        var path = request.Path.TrimEnd('/');
        var isPost = HttpMethods.IsPost(request.Method);

        if (request.IsMessages)
        {
            await ReplyToMessagesAsync(context, request).ConfigureAwait(false);
        }
        else if (isPost && path == "/v1/messages/count_tokens")
        {
            var tokens = Math.Max(1, request.RawBody.Length / 4);
            await WriteJsonAsync(context, StatusCodes.Status200OK, new JsonObject { ["input_tokens"] = tokens }, context.RequestAborted).ConfigureAwait(false);
        }
        else
        {
            var body = AnthropicWire.ErrorBody("not_found_error", $"The fake Anthropic server does not serve {request.Method} {request.Path}.");
            await WriteJsonAsync(context, StatusCodes.Status404NotFound, body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private async Task<RecordedRequest> RecordAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        var raw = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);

        var body = default(JsonElement);
        if (raw.Length > 0)
        {
            try
            {
                using var document = JsonDocument.Parse(raw);
                body = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                // Not JSON: keep RawBody only.
            }
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in context.Request.Headers)
        {
            headers[header.Key] = header.Value.ToString();
        }

        var httpRequest = context.Request;
        var path = string.IsNullOrEmpty(httpRequest.Path.Value) ? "/" : httpRequest.Path.Value;
        var normalized = path.Length > 1 ? path.TrimEnd('/') : path;
        return Record(index => new RecordedRequest(
            index,
            httpRequest.Method,
            normalized,
            httpRequest.QueryString.Value ?? "",
            headers,
            raw,
            body));
    }

    private async Task ReplyToMessagesAsync(HttpContext context, RecordedRequest request)
    {
        StreamOpened();
        var outcome = FakeStreamOutcome.Faulted;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _shutdown.Token);
        try
        {
            var reply = ChooseReply(request);
            outcome = await WriteReplyAsync(context, request, reply, linked.Token).ConfigureAwait(false);
        }
        catch (Exception) when (_shutdown.IsCancellationRequested)
        {
            outcome = FakeStreamOutcome.ServerStopped;
        }
        catch (Exception exception) when (context.RequestAborted.IsCancellationRequested
            || exception is OperationCanceledException or IOException)
        {
            // Cancelled waits (delay, gate, hang) and failed writes both mean the client went away.
            outcome = FakeStreamOutcome.AbortedByClient;
        }
        finally
        {
            StreamClosed(request, outcome);
        }
    }

    private static async Task<FakeStreamOutcome> WriteReplyAsync(
        HttpContext context,
        RecordedRequest request,
        FakeReply reply,
        CancellationToken cancellationToken)
    {
        var response = context.Response;
        response.Headers["request-id"] = $"req_fake_{request.Index:D4}";
        foreach (var (name, value) in reply.Headers)
        {
            response.Headers.Append(name, value);
        }

        if (reply.Kind == FakeReplyKind.HttpError)
        {
            await WriteJsonAsync(context, reply.StatusCode, AnthropicWire.ErrorBody(reply.ErrorType, reply.ErrorMessage), cancellationToken).ConfigureAwait(false);
            return FakeStreamOutcome.Completed;
        }

        var id = $"msg_fake_{request.Index:D4}";
        var model = reply.Model ?? request.Model ?? "claude-fake";
        return request.IsStreaming
            ? await WriteStreamAsync(context, id, model, reply, cancellationToken).ConfigureAwait(false)
            : await WriteWholeMessageAsync(context, id, model, reply, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<FakeStreamOutcome> WriteStreamAsync(
        HttpContext context,
        string id,
        string model,
        FakeReply reply,
        CancellationToken cancellationToken)
    {
        var response = context.Response;
        response.StatusCode = reply.StatusCode;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        await response.StartAsync(cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);

        if (reply.SendsMessageStart)
        {
            await SendAsync(response, AnthropicWire.MessageStart(id, model, reply.Usage), cancellationToken).ConfigureAwait(false);
            if (HasTextBlock(reply))
            {
                await SendAsync(response, AnthropicWire.TextBlockStart(0), cancellationToken).ConfigureAwait(false);
            }

            for (var i = 0; i < reply.Chunks.Count; i++)
            {
                await PassGateAsync(reply, i, cancellationToken).ConfigureAwait(false);
                if (i > 0 && reply.ChunkDelay > TimeSpan.Zero)
                {
                    await Task.Delay(reply.ChunkDelay, cancellationToken).ConfigureAwait(false);
                }

                await SendAsync(response, AnthropicWire.TextDelta(0, reply.Chunks[i]), cancellationToken).ConfigureAwait(false);
            }

            await PassGateAsync(reply, Math.Max(reply.GateAfterChunks, reply.Chunks.Count), cancellationToken).ConfigureAwait(false);
        }
        else if (reply.Gate is { } gate)
        {
            await gate.PassAsync(cancellationToken).ConfigureAwait(false);
        }

        switch (reply.Kind)
        {
            case FakeReplyKind.BrokenStream:
                await Task.Delay(reply.BreakDelay, cancellationToken).ConfigureAwait(false);
                context.Abort();
                return FakeStreamOutcome.AbortedByServer;

            case FakeReplyKind.Hang:
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                return FakeStreamOutcome.Completed;

            case FakeReplyKind.SseError:
                await SendAsync(response, AnthropicWire.ErrorBody(reply.ErrorType, reply.ErrorMessage), cancellationToken).ConfigureAwait(false);
                await response.CompleteAsync().ConfigureAwait(false);
                return FakeStreamOutcome.Completed;

            default:
                var first = 0;
                if (HasTextBlock(reply))
                {
                    await SendAsync(response, AnthropicWire.BlockStop(0), cancellationToken).ConfigureAwait(false);
                    first = 1;
                }

                for (var i = 0; i < reply.ToolUses.Count; i++)
                {
                    var use = reply.ToolUses[i];
                    var index = first + i;
                    var useId = use.Id ?? id.Replace("msg_", "toolu_", StringComparison.Ordinal) + (i == 0 ? "" : "_" + i);
                    await SendAsync(response, AnthropicWire.ToolUseBlockStart(index, useId, use.Name), cancellationToken).ConfigureAwait(false);
                    foreach (var fragment in use.Fragments)
                    {
                        await SendAsync(response, AnthropicWire.InputJsonDelta(index, fragment), cancellationToken).ConfigureAwait(false);
                    }

                    await SendAsync(response, AnthropicWire.BlockStop(index), cancellationToken).ConfigureAwait(false);
                }

                await SendAsync(response, AnthropicWire.MessageDelta(reply.StopReason, reply.Usage), cancellationToken).ConfigureAwait(false);
                await SendAsync(response, AnthropicWire.MessageStop(), cancellationToken).ConfigureAwait(false);
                await response.CompleteAsync().ConfigureAwait(false);
                return FakeStreamOutcome.Completed;
        }
    }

    private static async Task<FakeStreamOutcome> WriteWholeMessageAsync(
        HttpContext context,
        string id,
        string model,
        FakeReply reply,
        CancellationToken cancellationToken)
    {
        if (reply.Gate is { } gate)
        {
            await gate.PassAsync(cancellationToken).ConfigureAwait(false);
        }

        switch (reply.Kind)
        {
            case FakeReplyKind.BrokenStream:
                context.Abort();
                return FakeStreamOutcome.AbortedByServer;

            case FakeReplyKind.Hang:
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                return FakeStreamOutcome.Completed;

            case FakeReplyKind.SseError:
                var status = AnthropicWire.StatusFor(reply.ErrorType);
                await WriteJsonAsync(context, status, AnthropicWire.ErrorBody(reply.ErrorType, reply.ErrorMessage), cancellationToken).ConfigureAwait(false);
                return FakeStreamOutcome.Completed;

            default:
                await WriteJsonAsync(context, reply.StatusCode, AnthropicWire.Message(id, model, reply), cancellationToken).ConfigureAwait(false);
                return FakeStreamOutcome.Completed;
        }
    }

    /// <summary>A reply that is only a tool call has no text block, as the real API sends none.</summary>
    private static bool HasTextBlock(FakeReply reply) => reply.ToolUses.Count == 0 || reply.Chunks.Count > 0;

    private static async Task PassGateAsync(FakeReply reply, int chunksSent, CancellationToken cancellationToken)
    {
        if (reply.Gate is { } gate && reply.GateAfterChunks == chunksSent)
        {
            await gate.PassAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task SendAsync(HttpResponse response, JsonObject payload, CancellationToken cancellationToken)
    {
        // Kestrel may swallow writes to a connection the client has closed; stop at the next event instead.
        cancellationToken.ThrowIfCancellationRequested();
        await response.Body.WriteAsync(AnthropicWire.SseEvent(payload), cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, JsonObject body, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        await response.CompleteAsync().ConfigureAwait(false);
    }
}
