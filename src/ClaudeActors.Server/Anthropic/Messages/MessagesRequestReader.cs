using System.Text;
using System.Text.Json;
using ClaudeActors.Chat;
using ClaudeActors.Cli.Protocol;
using ClaudeActors.Cli.Tools;
using ClaudeActors.Server.OpenAi.Chat;
using ClaudeActors.Server.OpenAi.Errors;
using ClaudeActors.Server.OpenAi.Models;

namespace ClaudeActors.Server.Anthropic.Messages;

/// <summary>
/// Reads an Anthropic Messages request (<c>POST /v1/messages</c>) into the same <see cref="ChatTurnRequest"/> a chat
/// completion becomes, so both run on one pipeline: <c>system</c> is the system prompt, the last run of user messages
/// the new input, everything before it history. Assistant <c>tool_use</c> blocks and user <c>tool_result</c> blocks read
/// exactly as OpenAI <c>tool_calls</c> and <c>role: "tool"</c> messages do, so a tool loop continues the same
/// conversation either way. What the CLI cannot honour is refused with a 400 naming the field.
/// </summary>
internal sealed class MessagesRequestReader(ModelCatalog models)
{
    /// <summary>The most stop sequences taken.</summary>
    public const int MaxStopSequences = 16;

    private static readonly HashSet<string> ImageTypes = new(StringComparer.Ordinal) { "image/png", "image/jpeg", "image/gif", "image/webp" };

    public ParsedChatRequest Read(JsonElement root, string? sessionHeader)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new RequestValidationException("The request body must be a JSON object.");
        }

        var model = String(root, "model") ?? throw new RequestValidationException("model: Field required", "model");
        if (model.Length is 0 or > 256 || model.Any(char.IsControl))
        {
            throw new RequestValidationException("model: the model name is not valid.", "model");
        }

        CheckUnsupported(root);
        var maxTokens = ReadMaxTokens(root);
        var (offered, parallel) = ReadTools(root);
        var system = new List<string>();
        if (ReadSystem(root) is { } top)
        {
            system.Add(top);
        }

        var (history, prompt, results, answered) = ReadMessages(root, system);
        var turn = new ChatTurnRequest
        {
            Model = models.Resolve(model),
            Effort = ReadEffort(root),
            SystemPrompt = system.Count == 0 ? null : string.Join("\n\n", system),
            History = history,
            Prompt = prompt,
            MaxOutputTokens = maxTokens,
            MaxBudgetUsd = BudgetField.Read(root),
            JsonSchema = ReadFormat(root),
            Tools = offered.Offered,
            ToolResults = results,
            AnsweredToolCallIds = answered,
            ParallelToolCalls = parallel,
            ToolInstruction = results.Count == 0 ? offered.Instruction : null,
        };
        if (turn.JsonSchema is not null && (turn.Tools.Count > 0 || turn.ToolResults.Count > 0))
        {
            throw new RequestValidationException(
                "output_config.format cannot be combined with tools on this server: the CLI answers a JSON schema through a tool of its own. Run the tool loop first, then ask for the structured answer without tools.",
                "output_config.format");
        }

        var stop = ReadStopSequences(root);
        if (stop.Count > 0 && turn.JsonSchema is not null)
        {
            throw new RequestValidationException("stop_sequences cannot be used with output_config.format: the answer is one whole JSON value, never cut.", "stop_sequences");
        }

        var stream = Bool(root, "stream") ?? false;
        return new ParsedChatRequest(turn, model, stream, IncludeUsage: true, stop, ChatRequestParser.ReadSessionId(root, sessionHeader));
    }

    private static void CheckUnsupported(JsonElement root)
    {
        foreach (var name in (string[])["container", "mcp_servers"])
        {
            if (root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
            {
                throw new RequestValidationException($"{name}: not supported by this server; the Claude CLI runs no server-side containers or MCP connectors for clients.", name);
            }
        }

        if (root.TryGetProperty("metadata", out var metadata) && metadata.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
        {
            throw new RequestValidationException("metadata: must be an object such as {\"user_id\": \"...\"}.", "metadata");
        }

        ChatRequestParser.CheckRange(root, "temperature", 0, 1);
        ChatRequestParser.CheckRange(root, "top_p", 0, 1);
    }

    private static int ReadMaxTokens(JsonElement root)
    {
        if (!root.TryGetProperty("max_tokens", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw new RequestValidationException("max_tokens: Field required", "max_tokens");
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var max) && max >= 1
            ? max
            : throw new RequestValidationException("max_tokens: must be a positive integer.", "max_tokens");
    }

    private static string? ReadSystem(JsonElement root)
    {
        if (!root.TryGetProperty("system", out var system) || system.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var text = system.ValueKind switch
        {
            JsonValueKind.String => Text(system, "system"),
            JsonValueKind.Array => TextBlocks(system, "system"),
            _ => throw new RequestValidationException("system: must be a string or an array of text blocks.", "system"),
        };
        return text.Length == 0 ? null : text;
    }

    /// <summary>The text of an array of <c>text</c> blocks (a system prompt, a tool result), joined with blank lines.</summary>
    private static string TextBlocks(JsonElement blocks, string path)
    {
        var texts = new List<string>();
        var index = 0;
        foreach (var block in blocks.EnumerateArray())
        {
            var blockPath = $"{path}[{index++}]";
            if (block.ValueKind != JsonValueKind.Object || String(block, "type", blockPath + ".type") != "text")
            {
                throw new RequestValidationException($"{blockPath}: only text blocks are supported here.", blockPath);
            }

            texts.Add(String(block, "text", blockPath + ".text") ?? "");
        }

        return string.Join("\n\n", texts.Where(t => t.Length > 0));
    }

    private static (List<CliMessage> History, IReadOnlyList<CliContentBlock> Prompt, List<ClientToolResult> Results, List<string> Answered) ReadMessages(JsonElement root, List<string> system)
    {
        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
        {
            throw new RequestValidationException("messages: must be a non-empty array.", "messages");
        }

        var conversation = new List<CliMessage>();
        var lastCalls = new List<string>();
        List<ClientToolResult>? trailing = null;
        List<string> answered = [];
        var index = 0;
        var count = messages.GetArrayLength();
        foreach (var message in messages.EnumerateArray())
        {
            var path = $"messages[{index++}]";
            if (message.ValueKind != JsonValueKind.Object)
            {
                throw new RequestValidationException($"{path}: must be an object.", path);
            }

            var role = String(message, "role", path + ".role") ?? throw new RequestValidationException($"{path}.role: Field required", path + ".role");
            if (!message.TryGetProperty("content", out var content) || content.ValueKind is not (JsonValueKind.String or JsonValueKind.Array))
            {
                throw new RequestValidationException($"{path}.content: must be a string or an array of content blocks.", path + ".content");
            }

            switch (role)
            {
                case "user":
                    var (blocks, results) = ReadUser(content, path, lastCalls);
                    if (results.Count > 0 && index == count)
                    {
                        if (blocks.Count > 0)
                        {
                            throw new RequestValidationException(
                                $"{path}: a user message that answers tool calls takes only tool_result blocks on this server; send further text in the next request.", path + ".content");
                        }

                        trailing = results;
                        answered = lastCalls;
                        break;
                    }

                    conversation.Add(new CliMessage(CliRole.User, [.. results.Select(r => new CliTextBlock(ToolCallText.Result(r.ToolCallId, r.Content))), .. blocks]));
                    lastCalls = [];
                    break;
                case "assistant":
                    var (said, calls) = ReadAssistant(content, path);
                    conversation.Add(new CliMessage(CliRole.Assistant, said.Length == 0 ? [] : [new CliTextBlock(said)]));
                    lastCalls = calls;
                    break;
                case "system":
                    // Newer API versions take system messages too: their text joins the system prompt.
                    var text = content.ValueKind == JsonValueKind.String ? Text(content, path + ".content") : TextBlocks(content, path + ".content");
                    if (text.Length > 0)
                    {
                        system.Add(text);
                    }

                    break;
                default:
                    throw new RequestValidationException($"{path}.role: '{role}' is not one of user, assistant, system.", path + ".role");
            }
        }

        if (trailing is not null)
        {
            // The request answers the assistant's tool calls: the results continue the paused turn; no new prompt.
            return (conversation, [], trailing, answered);
        }

        var promptStart = conversation.Count;
        while (promptStart > 0 && conversation[promptStart - 1].Role == CliRole.User)
        {
            promptStart--;
        }

        if (promptStart == conversation.Count)
        {
            throw new RequestValidationException(
                "messages: the last message is an assistant message (a prefill). The Claude CLI cannot continue a partial assistant answer; end with a user message.",
                "messages");
        }

        var prompt = conversation.Skip(promptStart).SelectMany(m => m.Content).ToList();
        if (prompt.Count == 0)
        {
            throw new RequestValidationException("messages: the last user message is empty.", "messages");
        }

        return (conversation.Take(promptStart).ToList(), prompt, [], []);
    }

    private static (List<CliContentBlock> Blocks, List<ClientToolResult> Results) ReadUser(JsonElement content, string path, List<string> lastCalls)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            var text = Text(content, path + ".content");
            return (text.Length == 0 ? [] : [new CliTextBlock(text)], []);
        }

        var blocks = new List<CliContentBlock>();
        var results = new List<ClientToolResult>();
        var index = 0;
        foreach (var block in content.EnumerateArray())
        {
            var blockPath = $"{path}.content[{index++}]";
            switch (BlockType(block, blockPath))
            {
                case "text":
                    var text = String(block, "text", blockPath + ".text") ?? "";
                    if (text.Length > 0)
                    {
                        blocks.Add(new CliTextBlock(text));
                    }

                    break;
                case "image":
                    blocks.Add(ReadImage(block, blockPath));
                    break;
                case "tool_result":
                    results.Add(ReadToolResult(block, blockPath, lastCalls, results));
                    break;
                case var other:
                    throw new RequestValidationException(
                        $"{blockPath}: content blocks of type '{other}' are not supported in user messages; use text, image (base64) or tool_result.", blockPath + ".type");
            }
        }

        return (blocks, results);
    }

    private static ClientToolResult ReadToolResult(JsonElement block, string path, List<string> lastCalls, List<ClientToolResult> earlier)
    {
        var id = String(block, "tool_use_id", path + ".tool_use_id") ?? throw new RequestValidationException($"{path}.tool_use_id: Field required", path + ".tool_use_id");
        if (!lastCalls.Contains(id, StringComparer.Ordinal))
        {
            throw new RequestValidationException(
                $"{path}: tool_result block '{id}' answers none of the tool_use blocks of the assistant message right before it.", path + ".tool_use_id");
        }

        if (earlier.Any(r => r.ToolCallId == id))
        {
            throw new RequestValidationException($"{path}: tool_use '{id}' is answered twice.", path + ".tool_use_id");
        }

        var text = !block.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null ? ""
            : content.ValueKind == JsonValueKind.String ? Text(content, path + ".content")
            : content.ValueKind == JsonValueKind.Array ? TextBlocks(content, path + ".content")
            : throw new RequestValidationException($"{path}.content: must be a string or an array of text blocks.", path + ".content");
        if (Bool(block, "is_error", path + ".is_error") == true)
        {
            text = "Error: " + text;
        }

        return new ClientToolResult(id, text);
    }

    private static (string Said, List<string> Calls) ReadAssistant(JsonElement content, string path)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            return (Text(content, path + ".content"), []);
        }

        var text = new StringBuilder();
        var calls = new StringBuilder();
        var ids = new List<string>();
        var index = 0;
        foreach (var block in content.EnumerateArray())
        {
            var blockPath = $"{path}.content[{index++}]";
            switch (BlockType(block, blockPath))
            {
                case "text":
                    text.Append(String(block, "text", blockPath + ".text"));
                    break;
                case "thinking" or "redacted_thinking":
                    // The model's own thinking, passed back: the CLI keeps its own, so it is dropped.
                    break;
                case "tool_use":
                    var id = String(block, "id", blockPath + ".id") ?? throw new RequestValidationException($"{blockPath}.id: Field required", blockPath + ".id");
                    var name = String(block, "name", blockPath + ".name") ?? throw new RequestValidationException($"{blockPath}.name: Field required", blockPath + ".name");
                    if (!block.TryGetProperty("input", out var input) || input.ValueKind != JsonValueKind.Object)
                    {
                        throw new RequestValidationException($"{blockPath}.input: must be an object.", blockPath + ".input");
                    }

                    ids.Add(id);
                    calls.Append(ToolCallText.Call(name, input.GetRawText(), id));
                    break;
                case var other:
                    throw new RequestValidationException(
                        $"{blockPath}: content blocks of type '{other}' are not supported in assistant messages; use text or tool_use.", blockPath + ".type");
            }
        }

        return (text.Append(calls).ToString(), ids);
    }

    private static CliImageBlock ReadImage(JsonElement block, string path)
    {
        if (!block.TryGetProperty("source", out var source) || source.ValueKind != JsonValueKind.Object)
        {
            throw new RequestValidationException($"{path}.source: Field required", path + ".source");
        }

        var type = String(source, "type", path + ".source.type");
        if (type != "base64")
        {
            throw new RequestValidationException(
                $"{path}.source: image sources of type '{type}' are not supported; this server fetches no URLs or files for callers. Send the image as {{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"...\"}}.",
                path + ".source.type");
        }

        var mediaType = String(source, "media_type", path + ".source.media_type") ?? "";
        if (!ImageTypes.Contains(mediaType))
        {
            throw new RequestValidationException($"{path}.source.media_type: '{mediaType}' is not one of image/jpeg, image/png, image/gif, image/webp.", path + ".source.media_type");
        }

        var data = String(source, "data", path + ".source.data") ?? "";
        if (data.Length == 0 || !System.Buffers.Text.Base64.IsValid(data.AsSpan()))
        {
            throw new RequestValidationException($"{path}.source.data: the image data is not valid base64.", path + ".source.data");
        }

        return new CliImageBlock(mediaType, data);
    }

    private static (ToolRequestReader.Offer Offer, bool Parallel) ReadTools(JsonElement root)
    {
        var tools = new List<ClientTool>();
        if (root.TryGetProperty("tools", out var list) && list.ValueKind != JsonValueKind.Null)
        {
            if (list.ValueKind != JsonValueKind.Array)
            {
                throw new RequestValidationException("tools: must be an array of tools.", "tools");
            }

            var index = 0;
            foreach (var tool in list.EnumerateArray())
            {
                var path = $"tools[{index++}]";
                var type = tool.ValueKind == JsonValueKind.Object ? String(tool, "type", path + ".type") : null;
                if (tool.ValueKind != JsonValueKind.Object || type is not (null or "custom"))
                {
                    throw new RequestValidationException(
                        $"{path}: only client tools ({{\"name\",\"description\",\"input_schema\"}}) are supported; server tools such as '{type}' are not.", path + ".type");
                }

                if (!tool.TryGetProperty("input_schema", out var schema) || schema.ValueKind != JsonValueKind.Object)
                {
                    throw new RequestValidationException($"{path}.input_schema: Field required", path + ".input_schema");
                }

                tools.Add(ToolRequestReader.ReadFunction(tool, path, "input_schema"));
            }
        }

        if (tools.GroupBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            throw new RequestValidationException($"tools: the tool name '{duplicate.Key}' is declared twice.", "tools");
        }

        if (!root.TryGetProperty("tool_choice", out var choice) || choice.ValueKind == JsonValueKind.Null)
        {
            return (new ToolRequestReader.Offer(tools, null), true);
        }

        if (choice.ValueKind != JsonValueKind.Object)
        {
            throw new RequestValidationException("tool_choice: must be an object such as {\"type\": \"auto\"}.", "tool_choice");
        }

        var parallel = Bool(choice, "disable_parallel_tool_use", "tool_choice.disable_parallel_tool_use") != true;
        switch (String(choice, "type", "tool_choice.type"))
        {
            case "auto":
                return (new ToolRequestReader.Offer(tools, null), parallel);
            case "none":
                return (new ToolRequestReader.Offer([], null), parallel);
            case "any":
                if (tools.Count == 0)
                {
                    throw new RequestValidationException("tool_choice: type 'any' needs at least one tool.", "tool_choice");
                }

                return (new ToolRequestReader.Offer(tools, ToolRequestReader.RequiredInstruction), parallel);
            case "tool":
                var name = String(choice, "name", "tool_choice.name") ?? throw new RequestValidationException("tool_choice.name: Field required", "tool_choice.name");
                var tool = tools.FirstOrDefault(t => t.Name == name)
                    ?? throw new RequestValidationException($"tool_choice.name: '{name}' is not among the tools.", "tool_choice.name");
                return (new ToolRequestReader.Offer([tool], ToolRequestReader.NamedInstruction(tool.Name)), parallel);
            case var other:
                throw new RequestValidationException($"tool_choice.type: '{other}' is not one of auto, any, tool, none.", "tool_choice.type");
        }
    }

    /// <summary>
    /// <c>output_config.effort</c>, else <c>thinking</c>: an enabled budget maps to low (under 4096 tokens), medium
    /// (under 16384) or high; adaptive and disabled leave the CLI's default.
    /// </summary>
    private static string? ReadEffort(JsonElement root)
    {
        if (root.TryGetProperty("output_config", out var config) && config.ValueKind == JsonValueKind.Object
            && String(config, "effort", "output_config.effort") is { } effort)
        {
            return effort is "low" or "medium" or "high" or "xhigh" or "max"
                ? effort
                : throw new RequestValidationException($"output_config.effort: '{effort}' is not one of low, medium, high, xhigh, max.", "output_config.effort");
        }

        if (!root.TryGetProperty("thinking", out var thinking) || thinking.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (thinking.ValueKind != JsonValueKind.Object)
        {
            throw new RequestValidationException("thinking: must be an object such as {\"type\": \"enabled\", \"budget_tokens\": 2048}.", "thinking");
        }

        switch (String(thinking, "type", "thinking.type"))
        {
            case "disabled" or "adaptive":
                return null;
            case "enabled":
                if (!thinking.TryGetProperty("budget_tokens", out var budget) || budget.ValueKind != JsonValueKind.Number
                    || !budget.TryGetInt32(out var tokens) || tokens < 1024)
                {
                    throw new RequestValidationException("thinking.budget_tokens: must be an integer of at least 1024.", "thinking.budget_tokens");
                }

                return tokens < 4096 ? "low" : tokens < 16384 ? "medium" : "high";
            case var other:
                throw new RequestValidationException($"thinking.type: '{other}' is not one of enabled, adaptive, disabled.", "thinking.type");
        }
    }

    private static string? ReadFormat(JsonElement root)
    {
        if (!root.TryGetProperty("output_config", out var config) || config.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (config.ValueKind != JsonValueKind.Object)
        {
            throw new RequestValidationException("output_config: must be an object.", "output_config");
        }

        if (!config.TryGetProperty("format", out var format) || format.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (format.ValueKind != JsonValueKind.Object || String(format, "type", "output_config.format.type") != "json_schema")
        {
            throw new RequestValidationException("output_config.format: must be {\"type\": \"json_schema\", \"schema\": {...}}.", "output_config.format");
        }

        if (!format.TryGetProperty("schema", out var schema) || schema.ValueKind != JsonValueKind.Object)
        {
            throw new RequestValidationException("output_config.format.schema: Field required (a JSON Schema object).", "output_config.format.schema");
        }

        if (String(schema, "type", "output_config.format.schema.type") != "object")
        {
            throw new RequestValidationException(
                "output_config.format.schema: must describe a JSON object at its root (\"type\": \"object\"): the CLI returns structured output as the input of a tool, which is always an object.",
                "output_config.format.schema");
        }

        var text = System.Text.Json.Nodes.JsonNode.Parse(schema.GetRawText())!.ToJsonString(ClaudeActors.Server.OpenAi.OpenAiJson.Options);
        return text.Length <= ResponseFormatReader.MaxSchemaLength
            ? text
            : throw new RequestValidationException(
                $"output_config.format.schema: too large, at most {ResponseFormatReader.MaxSchemaLength} characters of compact JSON.", "output_config.format.schema");
    }

    private static List<string> ReadStopSequences(JsonElement root)
    {
        if (!root.TryGetProperty("stop_sequences", out var stop) || stop.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (stop.ValueKind != JsonValueKind.Array || stop.EnumerateArray().Any(s => s.ValueKind != JsonValueKind.String))
        {
            throw new RequestValidationException("stop_sequences: must be an array of strings.", "stop_sequences");
        }

        var sequences = stop.EnumerateArray().Select(s => Text(s, "stop_sequences")).ToList();
        return sequences.Count <= MaxStopSequences && sequences.All(s => s.Length > 0)
            ? sequences
            : throw new RequestValidationException($"stop_sequences: up to {MaxStopSequences} non-empty sequences.", "stop_sequences");
    }

    private static string BlockType(JsonElement block, string path) =>
        block.ValueKind == JsonValueKind.Object && String(block, "type", path + ".type") is { } type
            ? type
            : throw new RequestValidationException($"{path}: must be a content block object with a type.", path);

    private static string? String(JsonElement element, string name, string? path = null) => ChatRequestParser.OptionalString(element, name, path);

    private static string Text(JsonElement value, string path) => ChatRequestParser.Text(value, path);

    private static bool? Bool(JsonElement element, string name, string? path = null) => ChatRequestParser.OptionalBool(element, name, path);
}
