using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClaudeActors.Conversations;
using ClaudeActors.Server.OpenAi.Chat;
using ClaudeActors.Server.OpenAi.Errors;
using static ClaudeActors.Server.OpenAi.Chat.ChatRequestParser;

namespace ClaudeActors.Server.OpenAi.Responses;

/// <summary>
/// Reads a Responses API request. It checks what only this API has (items, flat tools, <c>text.format</c>, metadata,
/// the fields this server refuses) with errors that name the Responses parameter, and rewrites the rest as the chat
/// completion request it means, which <see cref="ChatRequestParser"/> turns into the turn: <c>instructions</c> and
/// system/developer items are system messages, <c>function_call</c> items are an assistant's <c>tool_calls</c>,
/// <c>function_call_output</c> items are <c>role: "tool"</c> messages. A request that continues a response
/// (<c>previous_response_id</c>) and answers its calls gets those calls from the stored turn.
/// </summary>
internal sealed class ResponseRequestReader(ChatRequestParser chat, TimeProvider time)
{
    public const int MaxMetadataPairs = 16;
    public const int MaxMetadataKeyLength = 64;
    public const int MaxMetadataValueLength = 512;

    private static readonly string[] Refused = ["conversation", "prompt", "context_management", "moderation"];

    private static readonly string[] Passed = ["model", "parallel_tool_calls", "temperature", "top_p", "session_id", Chat.BudgetField.Name];

    /// <summary><c>previous_response_id</c>, or null; a non-string is a 400.</summary>
    public static string? PreviousResponseId(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object ? OptionalString(root, "previous_response_id") : null;

    /// <summary>
    /// Reads the request; <paramref name="previous"/> is the turn of <c>previous_response_id</c> (its calls are what
    /// <c>function_call_output</c> items answer), or null.
    /// </summary>
    public ParsedResponseRequest Read(JsonElement root, string? sessionHeader, TurnRecord? previous)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new RequestValidationException("The request body must be a JSON object.");
        }

        CheckRefused(root);
        var request = new JsonObject();
        foreach (var name in Passed)
        {
            if (root.TryGetProperty(name, out var value))
            {
                request[name] = JsonNode.Parse(value.GetRawText());
            }
        }

        var settings = new JsonObject();
        var instructions = OptionalString(root, "instructions");
        settings["instructions"] = instructions;
        var messages = new JsonArray();
        if (!string.IsNullOrEmpty(instructions))
        {
            messages.Add(new JsonObject { ["role"] = "system", ["content"] = instructions });
        }

        var input = ReadInput(root, messages, previous);
        request["messages"] = messages;
        ReadTools(root, request, settings);
        ReadText(root, request, settings);
        settings["max_output_tokens"] = ReadMaxOutputTokens(root, request);
        settings["max_tool_calls"] = Echo(root, "max_tool_calls");
        settings["parallel_tool_calls"] = OptionalBool(root, "parallel_tool_calls") ?? true;
        settings["previous_response_id"] = OptionalString(root, "previous_response_id");
        settings["reasoning"] = ReadReasoning(root, request);
        var store = OptionalBool(root, "store") ?? true;
        settings["store"] = store;
        settings["temperature"] = Echo(root, "temperature") ?? 1.0;
        settings["top_p"] = Echo(root, "top_p") ?? 1.0;
        settings["top_logprobs"] = Echo(root, "top_logprobs") ?? 0;
        settings["user"] = OptionalString(root, "user");
        settings["metadata"] = ReadMetadata(root);
        var stream = OptionalBool(root, "stream") ?? false;
        request["stream"] = stream;

        ParsedChatRequest parsed;
        using (var document = JsonDocument.Parse(request.ToJsonString()))
        {
            parsed = chat.Parse(document.RootElement, sessionHeader);
        }

        var model = string.IsNullOrEmpty(parsed.RequestedModel) ? "default" : parsed.RequestedModel;
        return new ParsedResponseRequest(parsed, store, new ResponseEnvelope(time.GetUtcNow().ToUnixTimeSeconds(), model, settings, input));
    }

    private static void CheckRefused(JsonElement root)
    {
        foreach (var name in Refused)
        {
            if (root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
            {
                throw new RequestValidationException($"'{name}' is not supported by this server; continue a conversation with previous_response_id.", name);
            }
        }

        if (OptionalBool(root, "background") == true)
        {
            throw new RequestValidationException("Background responses are not supported by this server; send the request with stream or wait for the answer.", "background");
        }
    }

    /// <summary>Adds the input's messages to <paramref name="messages"/> and returns the input as stored items (with ids).</summary>
    private static JsonArray ReadInput(JsonElement root, JsonArray messages, TurnRecord? previous)
    {
        if (!root.TryGetProperty("input", out var input) || input.ValueKind == JsonValueKind.Null)
        {
            throw new RequestValidationException("'input' is required: a string or an array of input items.", "input");
        }

        var items = new JsonArray();
        if (input.ValueKind == JsonValueKind.String)
        {
            var text = Text(input, "input");
            messages.Add(new JsonObject { ["role"] = "user", ["content"] = text });
            items.Add(MessageItem(null, "user", new JsonArray(InputText(text))));
            return items;
        }

        if (input.ValueKind != JsonValueKind.Array || input.GetArrayLength() == 0)
        {
            throw new RequestValidationException("'input' must be a string or a non-empty array of input items.", "input");
        }

        JsonObject? assistant = null;
        var calledHere = false;
        var index = 0;
        foreach (var item in input.EnumerateArray())
        {
            var path = $"input[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new RequestValidationException($"{path} must be an object.", path);
            }

            var type = OptionalString(item, "type", path + ".type") ?? (item.TryGetProperty("role", out _) ? "message" : null);
            var id = OptionalString(item, "id", path + ".id");
            switch (type)
            {
                case "message":
                    var role = OptionalString(item, "role", path + ".role") ?? throw new RequestValidationException($"{path}.role is required.", path + ".role");
                    if (role == "assistant")
                    {
                        var said = AssistantText(item, path);
                        assistant = new JsonObject { ["role"] = "assistant", ["content"] = said };
                        messages.Add(assistant);
                        items.Add(MessageItem(id, role, new JsonArray(ResponseObjects.TextPart(said))));
                        break;
                    }

                    if (role is not ("user" or "system" or "developer"))
                    {
                        throw new RequestValidationException($"{path}.role '{role}' is not one of user, assistant, system, developer.", path + ".role");
                    }

                    var (content, parts) = InputContent(item, path, allowImages: role == "user");
                    messages.Add(new JsonObject { ["role"] = role, ["content"] = content });
                    items.Add(MessageItem(id, role, parts));
                    assistant = null;
                    break;
                case "function_call":
                    var callId = Required(item, "call_id", path);
                    var name = Required(item, "name", path);
                    var arguments = Required(item, "arguments", path);
                    if (assistant is null)
                    {
                        assistant = new JsonObject { ["role"] = "assistant", ["content"] = null };
                        messages.Add(assistant);
                    }

                    if (assistant["tool_calls"] is not JsonArray calls)
                    {
                        assistant["tool_calls"] = calls = [];
                    }

                    calls.Add(ChatCall(callId, name, arguments));
                    calledHere = true;
                    items.Add(new JsonObject
                    {
                        ["id"] = id ?? "fc_" + NewId(),
                        ["type"] = "function_call",
                        ["status"] = "completed",
                        ["arguments"] = arguments,
                        ["call_id"] = callId,
                        ["name"] = name,
                    });
                    break;
                case "function_call_output":
                    var answered = Required(item, "call_id", path);
                    var output = CallOutput(item, path);
                    if (!calledHere && previous is { ToolCalls.Count: > 0 })
                    {
                        // The calls were answered by the previous response: the chat turn needs them before their results.
                        messages.Add(new JsonObject
                        {
                            ["role"] = "assistant",
                            ["content"] = previous.Answer,
                            ["tool_calls"] = new JsonArray([.. previous.ToolCalls.Select(c => (JsonNode)ChatCall(c.Id, c.Name, c.Arguments))]),
                        });
                        calledHere = true;
                    }

                    messages.Add(new JsonObject { ["role"] = "tool", ["tool_call_id"] = answered, ["content"] = output });
                    assistant = null;
                    items.Add(new JsonObject
                    {
                        ["id"] = id ?? "fco_" + NewId(),
                        ["type"] = "function_call_output",
                        ["call_id"] = answered,
                        ["output"] = output,
                        ["status"] = "completed",
                    });
                    break;
                case "reasoning":
                    // This server never sends reasoning items; one passed back carries nothing the CLI can use.
                    break;
                default:
                    throw new RequestValidationException(
                        $"{path}: input items of type '{type ?? "(none)"}' are not supported; use message, function_call and function_call_output items.",
                        path + ".type");
            }
        }

        return items;
    }

    private static JsonObject ChatCall(string id, string name, string arguments) => new()
    {
        ["id"] = id,
        ["type"] = "function",
        ["function"] = new JsonObject { ["name"] = name, ["arguments"] = arguments },
    };

    private static JsonObject MessageItem(string? id, string role, JsonArray content) => new()
    {
        ["id"] = id ?? "msg_" + NewId(),
        ["type"] = "message",
        ["role"] = role,
        ["status"] = "completed",
        ["content"] = content,
    };

    private static JsonObject InputText(string text) => new() { ["type"] = "input_text", ["text"] = text };

    /// <summary>A user, system or developer message's content: as chat content, and as stored input parts.</summary>
    private static (JsonNode Chat, JsonArray Parts) InputContent(JsonElement item, string path, bool allowImages)
    {
        if (!item.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null)
        {
            throw new RequestValidationException($"{path}.content is required.", path + ".content");
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            var text = Text(content, path + ".content");
            return (JsonValue.Create(text), new JsonArray(InputText(text)));
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw new RequestValidationException($"{path}.content must be a string or an array of input parts.", path + ".content");
        }

        var chatParts = new JsonArray();
        var parts = new JsonArray();
        var index = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partPath = $"{path}.content[{index++}]";
            var type = part.ValueKind == JsonValueKind.Object ? OptionalString(part, "type", partPath + ".type") : null;
            switch (type)
            {
                case "input_text" or "text":
                    var text = OptionalString(part, "text", partPath + ".text") ?? "";
                    chatParts.Add(new JsonObject { ["type"] = "text", ["text"] = text });
                    parts.Add(InputText(text));
                    break;
                case "input_image" when allowImages:
                    if (part.TryGetProperty("file_id", out var file) && file.ValueKind != JsonValueKind.Null)
                    {
                        throw new RequestValidationException($"{partPath}: images by file_id are not supported; send the image as a data: URL in image_url.", partPath + ".file_id");
                    }

                    var url = OptionalString(part, "image_url", partPath + ".image_url")
                        ?? throw new RequestValidationException($"{partPath}.image_url is required (a data: URL).", partPath + ".image_url");
                    var detail = OptionalString(part, "detail", partPath + ".detail") ?? "auto";
                    chatParts.Add(new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = url } });
                    parts.Add(new JsonObject { ["type"] = "input_image", ["image_url"] = url, ["detail"] = detail });
                    break;
                default:
                    throw new RequestValidationException(
                        $"{partPath}: content parts of type '{type ?? "(none)"}' are not supported here; use input_text{(allowImages ? " or input_image" : "")}.",
                        partPath + ".type");
            }
        }

        return (chatParts, parts);
    }

    private static string AssistantText(JsonElement item, string path)
    {
        if (!item.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null)
        {
            return "";
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            return Text(content, path + ".content");
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw new RequestValidationException($"{path}.content must be a string or an array of output parts.", path + ".content");
        }

        var text = new StringBuilder();
        foreach (var part in content.EnumerateArray())
        {
            var type = part.ValueKind == JsonValueKind.Object ? OptionalString(part, "type") : null;
            text.Append(type switch
            {
                "output_text" or "input_text" or "text" => OptionalString(part, "text") ?? "",
                "refusal" => OptionalString(part, "refusal") ?? "",
                _ => throw new RequestValidationException($"{path}.content: an assistant message holds output_text or refusal parts.", path + ".content"),
            });
        }

        return text.ToString();
    }

    private static string CallOutput(JsonElement item, string path)
    {
        if (!item.TryGetProperty("output", out var output) || output.ValueKind == JsonValueKind.Null)
        {
            throw new RequestValidationException($"{path}.output is required.", path + ".output");
        }

        if (output.ValueKind == JsonValueKind.String)
        {
            return Text(output, path + ".output");
        }

        if (output.ValueKind != JsonValueKind.Array)
        {
            throw new RequestValidationException($"{path}.output must be a string or an array of input_text parts.", path + ".output");
        }

        var text = new StringBuilder();
        foreach (var part in output.EnumerateArray())
        {
            if (part.ValueKind != JsonValueKind.Object || OptionalString(part, "type") != "input_text")
            {
                throw new RequestValidationException($"{path}.output: only input_text parts are supported in a function call's output.", path + ".output");
            }

            text.Append(OptionalString(part, "text") ?? "");
        }

        return text.ToString();
    }

    /// <summary>Flat function tools as chat's nested ones; <c>tool_choice</c>, with <c>allowed_tools</c> narrowing the tools.</summary>
    private static void ReadTools(JsonElement root, JsonObject request, JsonObject settings)
    {
        var tools = new JsonArray();
        var echoed = new JsonArray();
        if (root.TryGetProperty("tools", out var given) && given.ValueKind != JsonValueKind.Null)
        {
            if (given.ValueKind != JsonValueKind.Array)
            {
                throw new RequestValidationException("tools must be an array of function tools.", "tools");
            }

            var index = 0;
            foreach (var tool in given.EnumerateArray())
            {
                var path = $"tools[{index++}]";
                var type = tool.ValueKind == JsonValueKind.Object ? OptionalString(tool, "type", path + ".type") : null;
                if (type != "function")
                {
                    throw new RequestValidationException(
                        $"{path}: tools of type '{type ?? "(none)"}' are not supported by this server; only function tools are.", path + ".type", "unsupported_tool_type");
                }

                var function = new JsonObject { ["name"] = Required(tool, "name", path) };
                foreach (var name in (string[])["description", "parameters", "strict"])
                {
                    if (tool.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
                    {
                        function[name] = JsonNode.Parse(value.GetRawText());
                    }
                }

                tools.Add(new JsonObject { ["type"] = "function", ["function"] = function });
                echoed.Add(JsonNode.Parse(tool.GetRawText()));
            }
        }

        settings["tools"] = echoed;
        settings["tool_choice"] = Echo(root, "tool_choice") ?? "auto";
        if (!root.TryGetProperty("tool_choice", out var choice) || choice.ValueKind == JsonValueKind.Null)
        {
            request["tools"] = tools;
            return;
        }

        if (choice.ValueKind == JsonValueKind.String)
        {
            request["tool_choice"] = choice.GetString();
            request["tools"] = tools;
            return;
        }

        var kind = choice.ValueKind == JsonValueKind.Object ? OptionalString(choice, "type", "tool_choice.type") : null;
        switch (kind)
        {
            case "function":
                request["tool_choice"] = new JsonObject { ["type"] = "function", ["function"] = new JsonObject { ["name"] = Required(choice, "name", "tool_choice") } };
                request["tools"] = tools;
                break;
            case "allowed_tools":
                var mode = OptionalString(choice, "mode", "tool_choice.mode") ?? "auto";
                if (mode is not ("auto" or "required"))
                {
                    throw new RequestValidationException("tool_choice.mode must be \"auto\" or \"required\".", "tool_choice.mode");
                }

                if (!choice.TryGetProperty("tools", out var allowed) || allowed.ValueKind != JsonValueKind.Array)
                {
                    throw new RequestValidationException("tool_choice.tools must be an array of {\"type\":\"function\",\"name\":...}.", "tool_choice.tools");
                }

                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var entry in allowed.EnumerateArray())
                {
                    if (entry.ValueKind != JsonValueKind.Object || OptionalString(entry, "type") != "function")
                    {
                        throw new RequestValidationException("tool_choice.tools may only name function tools.", "tool_choice.tools");
                    }

                    var name = Required(entry, "name", "tool_choice.tools");
                    if (!tools.Any(t => t!["function"]!["name"]!.GetValue<string>() == name))
                    {
                        throw new RequestValidationException($"tool_choice.tools names the function '{name}', which is not among the tools.", "tool_choice.tools");
                    }

                    names.Add(name);
                }

                request["tools"] = new JsonArray([.. tools.Where(t => names.Contains(t!["function"]!["name"]!.GetValue<string>())).Select(t => t!.DeepClone())]);
                request["tool_choice"] = mode;
                break;
            default:
                throw new RequestValidationException(
                    $"tool_choice of type '{kind ?? "(none)"}' is not supported; use \"none\", \"auto\", \"required\", a function or allowed_tools.", "tool_choice");
        }
    }

    /// <summary><c>text.format</c> as chat's <c>response_format</c> (flat here, nested there).</summary>
    private static void ReadText(JsonElement root, JsonObject request, JsonObject settings)
    {
        settings["text"] = new JsonObject { ["format"] = new JsonObject { ["type"] = "text" } };
        if (!root.TryGetProperty("text", out var text) || text.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (text.ValueKind != JsonValueKind.Object)
        {
            throw new RequestValidationException("text must be an object such as {\"format\":{\"type\":\"text\"}}.", "text");
        }

        settings["text"] = JsonNode.Parse(text.GetRawText());
        if (!text.TryGetProperty("format", out var format) || format.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        var type = format.ValueKind == JsonValueKind.Object ? OptionalString(format, "type", "text.format.type") : null;
        switch (type)
        {
            case "text":
                break;
            case "json_object":
                request["response_format"] = new JsonObject { ["type"] = "json_object" };
                break;
            case "json_schema":
                var name = Required(format, "name", "text.format");
                if (!format.TryGetProperty("schema", out var schema) || schema.ValueKind != JsonValueKind.Object)
                {
                    throw new RequestValidationException("text.format.schema is required: a JSON Schema object.", "text.format.schema");
                }

                var spec = new JsonObject { ["name"] = name, ["schema"] = JsonNode.Parse(schema.GetRawText()) };
                foreach (var field in (string[])["strict", "description"])
                {
                    if (format.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null)
                    {
                        spec[field] = JsonNode.Parse(value.GetRawText());
                    }
                }

                request["response_format"] = new JsonObject { ["type"] = "json_schema", ["json_schema"] = spec };
                break;
            default:
                throw new RequestValidationException($"text.format.type '{type ?? "(none)"}' is not one of text, json_object, json_schema.", "text.format.type");
        }
    }

    private static int? ReadMaxOutputTokens(JsonElement root, JsonObject request)
    {
        if (!root.TryGetProperty("max_output_tokens", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var max) || max < 1)
        {
            throw new RequestValidationException("max_output_tokens must be a positive integer.", "max_output_tokens");
        }

        request["max_completion_tokens"] = max;
        return max;
    }

    private static JsonObject ReadReasoning(JsonElement root, JsonObject request)
    {
        var echo = new JsonObject { ["effort"] = null, ["summary"] = null };
        if (!root.TryGetProperty("reasoning", out var reasoning) || reasoning.ValueKind == JsonValueKind.Null)
        {
            return echo;
        }

        if (reasoning.ValueKind != JsonValueKind.Object)
        {
            throw new RequestValidationException("reasoning must be an object such as {\"effort\":\"low\"}.", "reasoning");
        }

        var effort = OptionalString(reasoning, "effort", "reasoning.effort");
        if (effort is not (null or "none" or "minimal" or "low" or "medium" or "high" or "xhigh" or "max"))
        {
            throw new RequestValidationException($"reasoning.effort '{effort}' is not one of none, minimal, low, medium, high, xhigh, max.", "reasoning.effort");
        }

        request["reasoning_effort"] = effort;
        echo["effort"] = effort;
        echo["summary"] = OptionalString(reasoning, "summary", "reasoning.summary");
        return echo;
    }

    private static JsonObject ReadMetadata(JsonElement root)
    {
        var metadata = new JsonObject();
        if (!root.TryGetProperty("metadata", out var given) || given.ValueKind == JsonValueKind.Null)
        {
            return metadata;
        }

        if (given.ValueKind != JsonValueKind.Object)
        {
            throw new RequestValidationException("metadata must be an object of strings.", "metadata");
        }

        foreach (var pair in given.EnumerateObject())
        {
            if (pair.Value.ValueKind != JsonValueKind.String || pair.Name.Length > MaxMetadataKeyLength || Text(pair.Value, "metadata").Length > MaxMetadataValueLength)
            {
                throw new RequestValidationException(
                    $"metadata holds up to {MaxMetadataPairs} pairs of strings: keys up to {MaxMetadataKeyLength} characters, values up to {MaxMetadataValueLength}.", "metadata");
            }

            metadata[pair.Name] = pair.Value.GetString();
        }

        if (metadata.Count > MaxMetadataPairs)
        {
            throw new RequestValidationException($"metadata holds up to {MaxMetadataPairs} pairs.", "metadata");
        }

        return metadata;
    }

    private static JsonNode? Echo(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? JsonNode.Parse(value.GetRawText()) : null;

    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    private static string Required(JsonElement element, string name, string path) =>
        OptionalString(element, name, path + "." + name) ?? throw new RequestValidationException($"{path}.{name} is required.", path + "." + name);
}
