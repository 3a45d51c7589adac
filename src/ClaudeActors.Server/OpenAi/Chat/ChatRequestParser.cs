using ClaudeActors.Conversations;
using System.Text;
using System.Text.Json;
using ClaudeActors.Chat;
using ClaudeActors.Cli.Protocol;
using ClaudeActors.Server.OpenAi.Errors;
using ClaudeActors.Server.OpenAi.Models;
using ClaudeActors.Server.Sessions;

namespace ClaudeActors.Server.OpenAi.Chat;

/// <summary>
/// Reads an OpenAI chat completion request into a <see cref="ChatTurnRequest"/>, refusing what the server cannot
/// honour with a 400 that names the parameter. System and developer messages form the system prompt; the last run
/// of user messages is the new input; everything before it is history.
/// </summary>
internal sealed class ChatRequestParser(ModelCatalog models)
{
    public const int MaxStopSequences = 4;
    private const int MaxModelLength = 256;

    private static readonly HashSet<string> ImageTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "image/png", "image/jpeg", "image/gif", "image/webp",
    };

    public ParsedChatRequest Parse(JsonElement root, string? sessionHeader = null)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new RequestValidationException("The request body must be a JSON object.");
        }

        var requestedModel = ReadModel(root);
        CheckUnsupported(root);
        var tools = ToolRequestReader.ReadTools(root);
        var (system, history, prompt, toolResults, answered) = ReadMessages(root);
        var stream = OptionalBool(root, "stream") ?? false;
        var includeUsage = false;
        if (root.TryGetProperty("stream_options", out var streamOptions) && streamOptions.ValueKind == JsonValueKind.Object)
        {
            includeUsage = OptionalBool(streamOptions, "include_usage", "stream_options.include_usage") ?? false;
        }

        var turn = new ChatTurnRequest
        {
            Model = models.Resolve(requestedModel),
            Effort = ReadEffort(root),
            SystemPrompt = system,
            History = history,
            Prompt = prompt,
            MaxOutputTokens = ReadMaxTokens(root),
            JsonSchema = ResponseFormatReader.Read(root),
            Tools = tools.Offered,
            ToolResults = toolResults,
            AnsweredToolCallIds = answered,
            ParallelToolCalls = OptionalBool(root, "parallel_tool_calls") ?? true,
            MaxBudgetUsd = BudgetField.Read(root),
        };
        if (toolResults.Count == 0)
        {
            turn = turn with { ToolInstruction = tools.Instruction };
        }

        if (turn.JsonSchema is not null && (turn.Tools.Count > 0 || turn.ToolResults.Count > 0))
        {
            throw new RequestValidationException(
                "response_format json_schema/json_object cannot be combined with tools on this server: the CLI answers a JSON schema through a tool of its own. Send the tool loop first, then ask for the structured answer in a request without tools.",
                "response_format");
        }

        var stop = ReadStop(root);
        if (stop.Count > 0 && turn.JsonSchema is not null)
        {
            throw new RequestValidationException("stop cannot be used with a JSON response_format: the answer is one whole JSON value, never cut.", "stop");
        }

        return new ParsedChatRequest(turn, requestedModel, stream, includeUsage, stop, ReadSessionId(root, sessionHeader));
    }

    /// <summary>The model the client named (empty when none), checked.</summary>
    internal static string ReadModel(JsonElement root)
    {
        var requestedModel = OptionalString(root, "model") ?? "";
        if (requestedModel.Length > MaxModelLength || requestedModel.Any(char.IsControl))
        {
            throw new RequestValidationException("The model name is not valid.", "model");
        }

        return requestedModel;
    }

    private static void CheckUnsupported(JsonElement root)
    {
        if (root.TryGetProperty("n", out var n) && n.ValueKind != JsonValueKind.Null
            && (n.ValueKind != JsonValueKind.Number || !n.TryGetInt32(out var count) || count != 1))
        {
            throw new RequestValidationException("Only n=1 is supported: the Claude CLI writes one answer per request.", "n");
        }

        if (root.TryGetProperty("modalities", out var modalities) && modalities.ValueKind == JsonValueKind.Array
            && modalities.EnumerateArray().Any(m => m.ValueKind == JsonValueKind.String && m.GetString() != "text"))
        {
            throw new RequestValidationException("Only text output is supported.", "modalities");
        }

        CheckRange(root, "temperature", 0, 2);
        CheckRange(root, "top_p", 0, 1);
        CheckRange(root, "frequency_penalty", -2, 2);
        CheckRange(root, "presence_penalty", -2, 2);
    }

    private static (string? System, List<CliMessage> History, IReadOnlyList<CliContentBlock> Prompt, List<ClaudeActors.Cli.Tools.ClientToolResult> ToolResults, List<string> Answered) ReadMessages(JsonElement root)
    {
        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
        {
            throw new RequestValidationException("'messages' must be a non-empty array.", "messages");
        }

        var system = new List<string>();
        var conversation = new List<CliMessage>();
        var toolMessages = new ToolRequestReader.Messages();
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var path = $"messages[{index++}]";
            if (message.ValueKind != JsonValueKind.Object)
            {
                throw new RequestValidationException($"{path} must be an object.", path);
            }

            var role = OptionalString(message, "role", path + ".role")
                ?? throw new RequestValidationException($"{path}.role is required.", path + ".role");
            switch (role)
            {
                case "system" or "developer":
                    system.Add(ReadText(message, path));
                    break;
                case "user":
                    conversation.Add(new CliMessage(CliRole.User, ReadUserContent(message, path)));
                    break;
                case "assistant":
                    var text = ReadText(message, path);
                    var said = toolMessages.ReadAssistant(message, path, text);
                    conversation.Add(new CliMessage(CliRole.Assistant, said.Length == 0 ? [] : [new CliTextBlock(said)]));
                    break;
                case "tool" or "function":
                    var result = toolMessages.ReadResult(message, path, role, ReadText(message, path), conversation.Count);
                    conversation.Add(new CliMessage(CliRole.User, [new CliTextBlock(ToolCallText.Result(result.ToolCallId, result.Content))]));
                    break;
                default:
                    throw new RequestValidationException($"{path}.role '{role}' is not one of system, developer, user, assistant.", path + ".role");
            }
        }

        if (toolMessages.TrailingResults(conversation.Count) is { } trailing)
        {
            // The request answers the assistant's tool calls: the results continue the paused turn; no new prompt.
            var first = conversation.Count - trailing.Count;
            var before = system.Where(s => s.Length > 0).ToList();
            return (before.Count == 0 ? null : string.Join("\n\n", before), conversation.Take(first).ToList(), [], trailing, toolMessages.LastCallIds);
        }

        var promptStart = conversation.Count;
        while (promptStart > 0 && conversation[promptStart - 1].Role == CliRole.User)
        {
            promptStart--;
        }

        if (promptStart == conversation.Count)
        {
            throw new RequestValidationException("The last message must be a user message: it is the input the model answers.", "messages");
        }

        var prompt = conversation.Skip(promptStart).SelectMany(m => m.Content).ToList();
        if (prompt.Count == 0)
        {
            throw new RequestValidationException("The last user message is empty.", "messages");
        }

        var joined = system.Where(s => s.Length > 0).ToList();
        return (joined.Count == 0 ? null : string.Join("\n\n", joined), conversation.Take(promptStart).ToList(), prompt, [], []);
    }

    private static List<CliContentBlock> ReadUserContent(JsonElement message, string path)
    {
        if (!message.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null)
        {
            throw new RequestValidationException($"{path}.content is required.", path + ".content");
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            var text = Text(content, path + ".content");
            return text.Length == 0 ? [] : [new CliTextBlock(text)];
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw new RequestValidationException($"{path}.content must be a string or an array of parts.", path + ".content");
        }

        var blocks = new List<CliContentBlock>();
        var index = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partPath = $"{path}.content[{index++}]";
            var type = part.ValueKind == JsonValueKind.Object ? OptionalString(part, "type", partPath + ".type") : null;
            switch (type)
            {
                case "text":
                    var text = OptionalString(part, "text", partPath + ".text") ?? "";
                    if (text.Length > 0)
                    {
                        blocks.Add(new CliTextBlock(text));
                    }

                    break;
                case "image_url":
                    blocks.Add(ReadImage(part, partPath));
                    break;
                default:
                    throw new RequestValidationException(
                        $"{partPath}: content parts of type '{type ?? "(none)"}' are not supported; use text or image_url.", partPath + ".type");
            }
        }

        return blocks;
    }

    private static CliImageBlock ReadImage(JsonElement part, string path)
    {
        string? url = null;
        if (part.TryGetProperty("image_url", out var image))
        {
            url = image.ValueKind switch
            {
                JsonValueKind.String => Text(image, path + ".image_url"),
                JsonValueKind.Object => OptionalString(image, "url", path + ".image_url.url"),
                _ => throw new RequestValidationException($"{path}.image_url must be an object with a url.", path + ".image_url"),
            };
        }

        if (string.IsNullOrEmpty(url))
        {
            throw new RequestValidationException($"{path}.image_url.url is required.", path + ".image_url.url");
        }

        if (!url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            throw new RequestValidationException(
                $"{path}: remote image URLs are not fetched by this server; send the image inline as a data: URL (data:image/png;base64,...).",
                path + ".image_url.url",
                "invalid_image_url");
        }

        var comma = url.IndexOf(',', StringComparison.Ordinal);
        var header = comma > 5 ? url[5..comma] : "";
        const string base64Suffix = ";base64";
        if (comma < 0 || !header.EndsWith(base64Suffix, StringComparison.OrdinalIgnoreCase))
        {
            throw new RequestValidationException($"{path}: the data: URL must be base64 encoded (data:image/png;base64,...).", path + ".image_url.url", "invalid_image_url");
        }

        var mediaType = header[..^base64Suffix.Length];
        if (!ImageTypes.Contains(mediaType))
        {
            throw new RequestValidationException($"{path}: image type '{mediaType}' is not supported; use PNG, JPEG, GIF or WebP.", path + ".image_url.url", "invalid_image_format");
        }

        var data = url[(comma + 1)..];
        if (data.Length == 0 || !System.Buffers.Text.Base64.IsValid(data.AsSpan()))
        {
            throw new RequestValidationException($"{path}: the image data is not valid base64.", path + ".image_url.url", "invalid_image_url");
        }

        return new CliImageBlock(mediaType.ToLowerInvariant(), data);
    }

    private static string ReadText(JsonElement message, string path)
    {
        if (!message.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null)
        {
            return "";
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            return Text(content, path + ".content");
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw new RequestValidationException($"{path}.content must be a string or an array of text parts.", path + ".content");
        }

        var text = new StringBuilder();
        foreach (var part in content.EnumerateArray())
        {
            var type = part.ValueKind == JsonValueKind.Object ? OptionalString(part, "type") : null;
            if (type is "text" or "refusal")
            {
                text.Append(OptionalString(part, type) ?? "");
            }
            else
            {
                throw new RequestValidationException($"{path}.content: only text parts are allowed here.", path + ".content");
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// The conversation id: <c>session_id</c> in the body (OpenAI SDKs send it through <c>extra_body</c>), taken as it
    /// is, or the <c>X-Session-Id</c> header, always percent-decoded once (<see cref="SessionIdEncoding"/>); when both
    /// are given they must agree.
    /// </summary>
    internal static string? ReadSessionId(JsonElement root, string? header)
    {
        var body = OptionalString(root, "session_id");
        if (string.IsNullOrEmpty(header))
        {
            header = null;
        }
        else if (!SessionIdEncoding.TryDecode(header, out header))
        {
            throw new RequestValidationException(
                "The X-Session-Id header is percent-encoded UTF-8: every '%' starts a %XX byte, so send a literal '%' as %25.",
                "session_id",
                "invalid_session_id");
        }

        if (body is not null && header is not null && body != header)
        {
            throw new RequestValidationException("session_id and the X-Session-Id header name different sessions.", "session_id");
        }

        var id = body ?? header;
        if (id is not null && Conversations.ConversationIds.Validate(id) is { } problem)
        {
            throw new RequestValidationException(problem, "session_id", "invalid_session_id");
        }

        return id;
    }

    private static string? ReadEffort(JsonElement root)
    {
        var effort = OptionalString(root, "reasoning_effort");
        return effort switch
        {
            null => null,
            "none" or "minimal" or "low" => "low",
            "medium" => "medium",
            "high" => "high",
            "xhigh" => "xhigh",
            "max" => "max",
            _ => throw new RequestValidationException(
                $"reasoning_effort '{effort}' is not one of none, minimal, low, medium, high, xhigh, max.", "reasoning_effort"),
        };
    }

    internal static int? ReadMaxTokens(JsonElement root)
    {
        foreach (var name in (string[])["max_completion_tokens", "max_tokens"])
        {
            if (root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
            {
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var max) || max < 1)
                {
                    throw new RequestValidationException($"{name} must be a positive integer.", name);
                }

                return max;
            }
        }

        return null;
    }

    internal static List<string> ReadStop(JsonElement root)
    {
        if (!root.TryGetProperty("stop", out var stop) || stop.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        var sequences = stop.ValueKind switch
        {
            JsonValueKind.String => [Text(stop, "stop")],
            JsonValueKind.Array when stop.EnumerateArray().All(s => s.ValueKind == JsonValueKind.String) =>
                stop.EnumerateArray().Select(s => Text(s, "stop")).ToList(),
            _ => throw new RequestValidationException("stop must be a string or an array of strings.", "stop"),
        };
        if (sequences.Count > MaxStopSequences || sequences.Any(s => s.Length == 0))
        {
            throw new RequestValidationException($"stop takes up to {MaxStopSequences} non-empty sequences.", "stop");
        }

        return sequences;
    }

    internal static void CheckRange(JsonElement root, string name, double min, double max)
    {
        if (root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            && (value.ValueKind != JsonValueKind.Number || value.GetDouble() < min || value.GetDouble() > max))
        {
            throw new RequestValidationException($"{name} must be a number between {min} and {max}.", name);
        }
    }

    internal static string? OptionalString(JsonElement element, string name, string? path = null)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? Text(value, path ?? name)
            : throw new RequestValidationException($"{path ?? name} must be a string.", path ?? name);
    }

    /// <summary>A JSON string's text; a string that is not valid UTF-16 (a lone surrogate escape) is a 400.</summary>
    internal static string Text(JsonElement value, string path)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new RequestValidationException($"{path} holds invalid text (an unpaired surrogate escape).", path);
        }
    }

    internal static bool? OptionalBool(JsonElement element, string name, string? path = null)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new RequestValidationException($"{path ?? name} must be true or false.", path ?? name),
        };
    }
}
