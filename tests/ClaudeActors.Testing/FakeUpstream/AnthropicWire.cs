using System.Text;
using System.Text.Json.Nodes;

namespace ClaudeActors.Testing.FakeUpstream;

/// <summary>The JSON bodies and SSE events of the Anthropic Messages API, as the fake writes them.</summary>
internal static class AnthropicWire
{
    public static JsonObject ErrorBody(string type, string message) => new()
    {
        ["type"] = "error",
        ["error"] = new JsonObject { ["type"] = type, ["message"] = message },
    };

    public static JsonObject MessageStart(string id, string model, FakeUsage usage) => new()
    {
        ["type"] = "message_start",
        ["message"] = new JsonObject
        {
            ["id"] = id,
            ["type"] = "message",
            ["role"] = "assistant",
            ["model"] = model,
            ["content"] = new JsonArray(),
            ["stop_reason"] = null,
            ["stop_sequence"] = null,
            ["usage"] = new JsonObject
            {
                ["input_tokens"] = usage.InputTokens,
                ["output_tokens"] = 1,
                ["cache_read_input_tokens"] = usage.CacheReadInputTokens,
                ["cache_creation_input_tokens"] = usage.CacheCreationInputTokens,
            },
        },
    };

    public static JsonObject TextBlockStart(int index) => new()
    {
        ["type"] = "content_block_start",
        ["index"] = index,
        ["content_block"] = new JsonObject { ["type"] = "text", ["text"] = "" },
    };

    public static JsonObject TextDelta(int index, string text) => new()
    {
        ["type"] = "content_block_delta",
        ["index"] = index,
        ["delta"] = new JsonObject { ["type"] = "text_delta", ["text"] = text },
    };

    public static JsonObject ToolUseBlockStart(int index, string id, string name) => new()
    {
        ["type"] = "content_block_start",
        ["index"] = index,
        ["content_block"] = new JsonObject { ["type"] = "tool_use", ["id"] = id, ["name"] = name, ["input"] = new JsonObject() },
    };

    public static JsonObject InputJsonDelta(int index, string partialJson) => new()
    {
        ["type"] = "content_block_delta",
        ["index"] = index,
        ["delta"] = new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = partialJson },
    };

    public static JsonObject BlockStop(int index) => new()
    {
        ["type"] = "content_block_stop",
        ["index"] = index,
    };

    public static JsonObject MessageDelta(string stopReason, FakeUsage usage) => new()
    {
        ["type"] = "message_delta",
        ["delta"] = new JsonObject { ["stop_reason"] = stopReason, ["stop_sequence"] = null },
        ["usage"] = new JsonObject { ["output_tokens"] = usage.OutputTokens },
    };

    public static JsonObject MessageStop() => new() { ["type"] = "message_stop" };

    /// <summary>A whole (non-streaming) message, for requests without <c>"stream": true</c>.</summary>
    public static JsonObject Message(string id, string model, FakeReply reply) => new()
    {
        ["id"] = id,
        ["type"] = "message",
        ["role"] = "assistant",
        ["model"] = model,
        ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = reply.FullText }),
        ["stop_reason"] = reply.StopReason,
        ["stop_sequence"] = null,
        ["usage"] = new JsonObject
        {
            ["input_tokens"] = reply.Usage.InputTokens,
            ["output_tokens"] = reply.Usage.OutputTokens,
            ["cache_read_input_tokens"] = reply.Usage.CacheReadInputTokens,
            ["cache_creation_input_tokens"] = reply.Usage.CacheCreationInputTokens,
        },
    };

    /// <summary><c>event: {type}\ndata: {json}\n\n</c>, with the event name taken from the payload's <c>type</c>.</summary>
    public static byte[] SseEvent(JsonObject payload)
    {
        var name = payload["type"]?.GetValue<string>() ?? "message";
        return Encoding.UTF8.GetBytes($"event: {name}\ndata: {payload.ToJsonString()}\n\n");
    }

    /// <summary>HTTP status the real API would use for an error type (for non-streaming requests).</summary>
    public static int StatusFor(string errorType) => errorType switch
    {
        "invalid_request_error" => 400,
        "authentication_error" => 401,
        "permission_error" => 403,
        "not_found_error" => 404,
        "request_too_large" => 413,
        "rate_limit_error" => 429,
        "overloaded_error" => 529,
        _ => 500,
    };
}
