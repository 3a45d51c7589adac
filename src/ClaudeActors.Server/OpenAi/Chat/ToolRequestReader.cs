using System.Text.Json;
using System.Text.RegularExpressions;
using ClaudeActors.Cli.Tools;
using ClaudeActors.Server.OpenAi.Errors;

namespace ClaudeActors.Server.OpenAi.Chat;

/// <summary>
/// Reads the tool-calling parts of an OpenAI chat request: <c>tools</c> (or the legacy <c>functions</c>),
/// <c>tool_choice</c> (or <c>function_call</c>), assistant <c>tool_calls</c> and <c>role: "tool"</c> messages, with a
/// 400 naming the parameter for anything malformed.
/// </summary>
internal static partial class ToolRequestReader
{
    /// <summary>
    /// What the model is offered: the functions (none for <c>tool_choice: "none"</c>, only the named one for a named
    /// choice) and, for <c>"required"</c> or a named choice, the instruction added to the prompt, since the CLI has no
    /// tool-choice setting.
    /// </summary>
    public sealed record Offer(IReadOnlyList<ClientTool> Offered, string? Instruction);

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex FunctionName();

    public static Offer ReadTools(JsonElement root)
    {
        var tools = new List<ClientTool>();
        if (root.TryGetProperty("tools", out var list) && list.ValueKind != JsonValueKind.Null)
        {
            if (list.ValueKind != JsonValueKind.Array)
            {
                throw new RequestValidationException("tools must be an array of function tools.", "tools");
            }

            var index = 0;
            foreach (var tool in list.EnumerateArray())
            {
                var path = $"tools[{index++}]";
                if (tool.ValueKind != JsonValueKind.Object || String(tool, "type", path + ".type") != "function"
                    || !tool.TryGetProperty("function", out var function) || function.ValueKind != JsonValueKind.Object)
                {
                    throw new RequestValidationException($"{path} must be {{\"type\":\"function\",\"function\":{{...}}}}; only function tools are supported.", path);
                }

                tools.Add(ReadFunction(function, path + ".function"));
            }
        }

        if (root.TryGetProperty("functions", out var functions) && functions.ValueKind != JsonValueKind.Null)
        {
            if (functions.ValueKind != JsonValueKind.Array)
            {
                throw new RequestValidationException("functions must be an array of functions.", "functions");
            }

            var index = 0;
            foreach (var function in functions.EnumerateArray())
            {
                tools.Add(ReadFunction(function, $"functions[{index++}]"));
            }
        }

        var duplicate = tools.GroupBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new RequestValidationException($"The function name '{duplicate.Key}' is declared twice.", "tools");
        }

        return Choose(root, tools);
    }

    private static Offer Choose(JsonElement root, List<ClientTool> tools)
    {
        var (name, choice) = root.TryGetProperty("tool_choice", out var c) && c.ValueKind != JsonValueKind.Null
            ? ("tool_choice", c)
            : root.TryGetProperty("function_call", out var f) && f.ValueKind != JsonValueKind.Null ? ("function_call", f) : (null, default);
        if (name is null)
        {
            return new Offer(tools, null);
        }

        if (choice.ValueKind == JsonValueKind.String)
        {
            switch (choice.GetString())
            {
                case "auto":
                    return new Offer(tools, null);
                case "none":
                    return new Offer([], null);
                case "required" when name == "tool_choice":
                    if (tools.Count == 0)
                    {
                        throw new RequestValidationException("tool_choice 'required' needs at least one tool.", name);
                    }

                    return new Offer(tools, RequiredInstruction);
            }

            throw new RequestValidationException($"{name} must be \"none\", \"auto\"{(name == "tool_choice" ? ", \"required\"" : "")} or a named function.", name);
        }

        var chosen = choice.ValueKind == JsonValueKind.Object
            ? choice.TryGetProperty("function", out var fn) && fn.ValueKind == JsonValueKind.Object ? String(fn, "name", name + ".function.name") : String(choice, "name", name + ".name")
            : null;
        if (chosen is null)
        {
            throw new RequestValidationException($"{name} names no function.", name);
        }

        var tool = tools.FirstOrDefault(t => t.Name == chosen)
            ?? throw new RequestValidationException($"{name} names the function '{chosen}', which is not among the tools.", name);
        return new Offer([tool], NamedInstruction(tool.Name));
    }

    /// <summary>The line sent after the prompt when the model must call one or more functions (the CLI has no such setting).</summary>
    public const string RequiredInstruction = "(Answer this message by calling one or more of the available functions.)";

    /// <summary>The line sent after the prompt when the model must call <paramref name="name"/>.</summary>
    public static string NamedInstruction(string name) => $"(Answer this message by calling the function {name}.)";

    /// <summary>
    /// Reads one function: its name, description and the JSON schema of its arguments, found under
    /// <paramref name="schemaProperty"/> (OpenAI <c>parameters</c>, Anthropic <c>input_schema</c>).
    /// </summary>
    internal static ClientTool ReadFunction(JsonElement function, string path, string schemaProperty = "parameters")
    {
        if (function.ValueKind != JsonValueKind.Object)
        {
            throw new RequestValidationException($"{path} must be an object.", path);
        }

        var name = String(function, "name", path + ".name");
        if (name is null || !FunctionName().IsMatch(name))
        {
            throw new RequestValidationException($"{path}.name must be 1 to 64 letters, digits, '_' or '-'.", path + ".name");
        }

        var parameters = "{\"type\":\"object\",\"properties\":{}}";
        if (function.TryGetProperty(schemaProperty, out var schema) && schema.ValueKind != JsonValueKind.Null)
        {
            if (schema.ValueKind != JsonValueKind.Object
                || (schema.TryGetProperty("type", out var type) && (type.ValueKind != JsonValueKind.String || type.GetString() != "object"))
                || (schema.TryGetProperty("properties", out var properties) && properties.ValueKind != JsonValueKind.Object)
                || (schema.TryGetProperty("required", out var required) && required.ValueKind != JsonValueKind.Array))
            {
                throw new RequestValidationException(
                    $"{path}.{schemaProperty} must be a JSON schema of an object (\"type\": \"object\", \"properties\" an object, \"required\" an array).",
                    $"{path}.{schemaProperty}",
                    "invalid_function_parameters");
            }

            parameters = schema.TryGetProperty("type", out _) ? schema.GetRawText() : InsertObjectType(schema);
        }

        return new ClientTool(name, String(function, "description", path + ".description"), parameters);
    }

    private static string InsertObjectType(JsonElement schema)
    {
        var raw = schema.GetRawText().TrimStart();
        return raw == "{}" ? "{\"type\":\"object\"}" : "{\"type\":\"object\"," + raw[1..];
    }

    private static string? String(JsonElement element, string name, string path)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw new RequestValidationException($"{path} must be a string.", path);
    }

    /// <summary>The tool-calling messages of one request, read in order.</summary>
    internal sealed class Messages
    {
        private readonly List<(int Position, ClientToolResult Result)> _results = [];
        private int _lastAssistant = -1;

        /// <summary>The ids of the last assistant message's tool calls.</summary>
        public List<string> LastCallIds { get; private set; } = [];

        /// <summary>Reads an assistant message's <c>tool_calls</c>; returns the text it stands for in a history.</summary>
        public string ReadAssistant(JsonElement message, string path, string text)
        {
            _lastAssistant = int.MaxValue;
            LastCallIds = [];
            var calls = message.TryGetProperty("tool_calls", out var list) && list.ValueKind == JsonValueKind.Array ? list
                : default;
            if (message.TryGetProperty("function_call", out var legacy) && legacy.ValueKind == JsonValueKind.Object)
            {
                var legacyName = String(legacy, "name", path + ".function_call.name") ?? "";
                LastCallIds = [legacyName];
                return text + $"[called {legacyName}({String(legacy, "arguments", path + ".function_call.arguments")})]";
            }

            if (calls.ValueKind != JsonValueKind.Array)
            {
                return text;
            }

            var said = new System.Text.StringBuilder(text);
            var index = 0;
            foreach (var call in calls.EnumerateArray())
            {
                var callPath = $"{path}.tool_calls[{index++}]";
                if (call.ValueKind != JsonValueKind.Object || !call.TryGetProperty("function", out var function) || function.ValueKind != JsonValueKind.Object)
                {
                    throw new RequestValidationException($"{callPath} must be a function call with an id.", callPath);
                }

                var id = String(call, "id", callPath + ".id") ?? throw new RequestValidationException($"{callPath}.id is required.", callPath + ".id");
                var name = String(function, "name", callPath + ".function.name") ?? "";
                LastCallIds.Add(id);
                said.Append(ClaudeActors.Chat.ToolCallText.Call(name, String(function, "arguments", callPath + ".function.arguments"), id));
            }

            return said.ToString();
        }

        /// <summary>Reads a <c>tool</c> (or legacy <c>function</c>) message at <paramref name="position"/> of the conversation.</summary>
        public ClientToolResult ReadResult(JsonElement message, string path, string role, string content, int position)
        {
            if (_lastAssistant < 0)
            {
                throw new RequestValidationException(
                    $"{path} is a {role} message with no assistant message with tool_calls before it.", path + ".role");
            }

            var id = role == "function"
                ? String(message, "name", path + ".name") ?? throw new RequestValidationException($"{path}.name is required.", path + ".name")
                : String(message, "tool_call_id", path + ".tool_call_id")
                    ?? throw new RequestValidationException($"{path}.tool_call_id is required.", path + ".tool_call_id");
            if (!LastCallIds.Contains(id, StringComparer.Ordinal))
            {
                throw new RequestValidationException(
                    $"{path}.tool_call_id '{id}' answers none of the tool calls of the assistant message before it.", path + ".tool_call_id");
            }

            var result = new ClientToolResult(id, content);
            _results.Add((position, result));
            return result;
        }

        /// <summary>The tool results that end the conversation (of <paramref name="count"/> messages), or null.</summary>
        public List<ClientToolResult>? TrailingResults(int count)
        {
            var trailing = new List<ClientToolResult>();
            for (var i = _results.Count - 1; i >= 0 && _results[i].Position == count - 1 - trailing.Count; i--)
            {
                trailing.Insert(0, _results[i].Result);
            }

            return trailing.Count == 0 ? null : trailing;
        }
    }
}
