using System.Text.Json.Nodes;
using ClaudeActors.Cli.Protocol;
using ClaudeActors.Conversations;

namespace ClaudeActors.Server.OpenAi.Responses;

/// <summary>
/// The Responses API's JSON objects: the Response, its output items and its usage. Item ids derive from the response's
/// nonce, so a stored response reads back with the ids it was streamed with. Every field the OpenAI SDKs read without a
/// null check is always present and typed (see the README's "Responses API").
/// </summary>
internal static class ResponseObjects
{
    public static string MessageId(string nonce) => "msg_" + nonce;

    public static string CallItemId(string nonce, int index) => $"fc_{nonce}_{index}";

    public static JsonObject TextPart(string text) => new()
    {
        ["type"] = "output_text",
        ["annotations"] = new JsonArray(),
        ["logprobs"] = new JsonArray(),
        ["text"] = text,
    };

    /// <summary>The assistant's message item; <paramref name="text"/> null for one that has no part yet.</summary>
    public static JsonObject Message(string nonce, string? text, string status) => new()
    {
        ["id"] = MessageId(nonce),
        ["type"] = "message",
        ["status"] = status,
        ["content"] = text is null ? new JsonArray() : new JsonArray(TextPart(text)),
        ["role"] = "assistant",
    };

    public static JsonObject FunctionCall(string nonce, int index, ToolCallRecord call, string arguments, string status) => new()
    {
        ["id"] = CallItemId(nonce, index),
        ["type"] = "function_call",
        ["status"] = status,
        ["arguments"] = arguments,
        ["call_id"] = call.Id,
        ["name"] = call.Name,
    };

    /// <summary>The output items of a finished answer: its message (if any), then its calls.</summary>
    public static JsonArray Output(string nonce, ResponseOutcome outcome)
    {
        var output = new JsonArray();
        if (outcome.HasMessage)
        {
            output.Add(Message(nonce, outcome.Text, outcome.CutShort || outcome.Interrupted ? "incomplete" : "completed"));
        }

        for (var i = 0; i < outcome.Calls.Count; i++)
        {
            output.Add(FunctionCall(nonce, i, outcome.Calls[i], outcome.Calls[i].Arguments, "completed"));
        }

        return output;
    }

    public static JsonObject Usage(CliUsage usage) => new()
    {
        ["input_tokens"] = usage.PromptTokens,
        ["input_tokens_details"] = new JsonObject
        {
            ["cached_tokens"] = usage.CacheReadInputTokens,
            ["cache_write_tokens"] = usage.CacheCreationInputTokens,
        },
        ["output_tokens"] = usage.OutputTokens,
        ["output_tokens_details"] = new JsonObject { ["reasoning_tokens"] = 0 },
        ["total_tokens"] = usage.PromptTokens + usage.OutputTokens,
    };

    /// <summary>The finished Response of an outcome: the same object for the POST's answer and a later GET.</summary>
    public static JsonObject Final(string id, string nonce, ResponseEnvelope envelope, ResponseOutcome outcome) =>
        Response(id, envelope, outcome.Status, Output(nonce, outcome), Usage(outcome.Usage), error: null, outcome.CutShort ? "max_output_tokens" : null);

    /// <summary>A Response object in any state (the stream's lifecycle events carry it too).</summary>
    public static JsonObject Response(string id, ResponseEnvelope envelope, string status, JsonArray output, JsonObject? usage, JsonObject? error, string? incompleteReason) => new()
    {
        ["id"] = id,
        ["object"] = "response",
        ["created_at"] = envelope.CreatedAt,
        ["status"] = status,
        ["background"] = false,
        ["error"] = error,
        ["incomplete_details"] = incompleteReason is null ? null : new JsonObject { ["reason"] = incompleteReason },
        ["instructions"] = envelope.Setting("instructions"),
        ["max_output_tokens"] = envelope.Setting("max_output_tokens"),
        ["max_tool_calls"] = envelope.Setting("max_tool_calls"),
        ["model"] = envelope.Model,
        ["output"] = output,
        ["parallel_tool_calls"] = envelope.Setting("parallel_tool_calls"),
        ["previous_response_id"] = envelope.Setting("previous_response_id"),
        ["reasoning"] = envelope.Setting("reasoning"),
        ["service_tier"] = "default",
        ["store"] = envelope.Setting("store"),
        ["temperature"] = envelope.Setting("temperature"),
        ["text"] = envelope.Setting("text"),
        ["tool_choice"] = envelope.Setting("tool_choice"),
        ["tools"] = envelope.Setting("tools"),
        ["top_logprobs"] = envelope.Setting("top_logprobs"),
        ["top_p"] = envelope.Setting("top_p"),
        ["truncation"] = "disabled",
        ["usage"] = usage,
        ["user"] = envelope.Setting("user"),
        ["metadata"] = envelope.Setting("metadata"),
    };
}
