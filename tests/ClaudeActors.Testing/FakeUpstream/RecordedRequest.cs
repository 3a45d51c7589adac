using System.Text.Json;

namespace ClaudeActors.Testing.FakeUpstream;

/// <summary>
/// One request the <see cref="FakeAnthropicServer"/> received, with helpers that read the Messages API body.
/// </summary>
/// <remarks>
/// The CLI adds context of its own to every request: a <c>system</c> array (a billing-header block, its agent prompt,
/// then any <c>--system-prompt</c> text), a <c>system</c>-role entry inside <c>messages</c> with environment details
/// (unless <c>--bare</c>), sometimes <c>&lt;system-reminder&gt;</c> text blocks in user messages, and after each image
/// a text block <c>[Image: source: &lt;path of the copy it saved under $TMPDIR&gt;]</c>.
/// <see cref="MessageRoles"/>, <see cref="UserTexts"/> and <see cref="LastUserText"/> leave those injected parts out;
/// <see cref="SystemRoleMessageTexts"/> and <see cref="Messages"/> show them.
/// </remarks>
/// <param name="Index">Position in arrival order, from 0, over all requests the server received.</param>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Request path without the query, e.g. <c>/v1/messages</c>.</param>
/// <param name="QueryString">Query string including the leading <c>?</c> (the CLI sends <c>?beta=true</c>), or empty.</param>
/// <param name="Headers">Request headers, names case-insensitive, repeated values joined with <c>", "</c>.</param>
/// <param name="RawBody">The body as text.</param>
/// <param name="Body">The body parsed as JSON (a clone that outlives the request), or an undefined element when it was not JSON.</param>
public sealed record RecordedRequest(
    int Index,
    string Method,
    string Path,
    string QueryString,
    IReadOnlyDictionary<string, string> Headers,
    string RawBody,
    JsonElement Body)
{
    private const string SystemReminderPrefix = "<system-reminder>";
    private const string ImageSourcePrefix = "[Image: source: ";

    /// <summary>Whether this is a call of the Messages API (<c>POST /v1/messages</c>), the kind that gets a <see cref="FakeReply"/>.</summary>
    public bool IsMessages => string.Equals(Method, "POST", StringComparison.OrdinalIgnoreCase) && Path == "/v1/messages";

    /// <summary><c>model</c>, or null.</summary>
    public string? Model => GetString(Body, "model");

    /// <summary>Whether the body asks for <c>"stream": true</c>.</summary>
    public bool IsStreaming => Body.ValueKind == JsonValueKind.Object
        && Body.TryGetProperty("stream", out var stream)
        && stream.ValueKind == JsonValueKind.True;

    /// <summary><c>max_tokens</c>, or null.</summary>
    public int? MaxTokens => Body.ValueKind == JsonValueKind.Object
        && Body.TryGetProperty("max_tokens", out var value)
        && value.TryGetInt32(out var number) ? number : null;

    /// <summary><c>output_config.effort</c> (what <c>--effort</c> sets), or null.</summary>
    public string? OutputEffort => Body.ValueKind == JsonValueKind.Object
        && Body.TryGetProperty("output_config", out var config)
        ? GetString(config, "effort")
        : null;

    /// <summary>All entries of <c>messages</c>, CLI-injected ones included.</summary>
    public IReadOnlyList<JsonElement> Messages => GetArray(Body, "messages");

    /// <summary>Roles of the conversation (<c>user</c>/<c>assistant</c>), in order, without the CLI's <c>system</c>-role entries.</summary>
    public IReadOnlyList<string> MessageRoles => [.. ConversationMessages().Select(message => GetString(message, "role") ?? "")];

    /// <summary>Texts of the <c>system</c>-role entries the CLI puts inside <c>messages</c> (environment details).</summary>
    public IReadOnlyList<string> SystemRoleMessageTexts =>
        [.. Messages.Where(message => GetString(message, "role") == "system").Select(message => ContentText(message, keepInjected: true))];

    /// <summary>The top-level <c>system</c> prompt, its text blocks joined with newlines (includes the CLI's own blocks).</summary>
    public string SystemText => Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty("system", out var system)
        ? BlocksText(system, keepInjected: true)
        : "";

    /// <summary>
    /// Text of each user message, in order: its text blocks joined with newlines, without tool results and without
    /// the CLI's <c>&lt;system-reminder&gt;</c> and <c>[Image: source: ...]</c> blocks.
    /// </summary>
    public IReadOnlyList<string> UserTexts =>
        [.. ConversationMessages().Where(message => GetString(message, "role") == "user").Select(message => ContentText(message, keepInjected: false))];

    /// <summary>
    /// Text of each user message as the model reads it: its text blocks one after another with nothing between them,
    /// without the CLI's injected blocks (see <see cref="UserTexts"/>).
    /// </summary>
    public IReadOnlyList<string> UserMessageTexts =>
        [.. ConversationMessages().Where(message => GetString(message, "role") == "user").Select(message => ContentText(message, keepInjected: false, separator: ""))];

    /// <summary>Text of the last user message (see <see cref="UserTexts"/>), or null when there is none.</summary>
    public string? LastUserText => UserTexts is { Count: > 0 } texts ? texts[^1] : null;

    /// <summary>Whether any message carries an image block (also inside tool results).</summary>
    public bool HasImage => Messages.Any(ContainsImage);

    /// <summary>Names of the tools offered to the model (<c>--tools ""</c> gives none).</summary>
    public IReadOnlyList<string> ToolNames => [.. GetArray(Body, "tools").Select(tool => GetString(tool, "name") ?? "")];

    /// <summary>A header value, or null.</summary>
    /// <summary>
    /// The <c>tool_result</c> blocks of the user messages after the last assistant message: tool use id and text (text
    /// blocks of the result joined), in order. Empty when the request brings no tool results.
    /// </summary>
    public IReadOnlyList<(string ToolUseId, string Text, bool IsError)> ToolResults
    {
        get
        {
            var tail = Messages.Reverse().TakeWhile(m => GetString(m, "role") == "user").Reverse();
            var results = new List<(string, string, bool)>();
            foreach (var block in tail.SelectMany(m => m.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.Array ? c.EnumerateArray() : []))
            {
                if (GetString(block, "type") != "tool_result")
                {
                    continue;
                }

                var text = block.TryGetProperty("content", out var inner) ? inner.ValueKind switch
                {
                    JsonValueKind.String => inner.GetString() ?? "",
                    JsonValueKind.Array => string.Concat(inner.EnumerateArray().Select(b => GetString(b, "text") ?? "")),
                    _ => "",
                } : "";
                results.Add((GetString(block, "tool_use_id") ?? "", text, block.TryGetProperty("is_error", out var error) && error.ValueKind == JsonValueKind.True));
            }

            return results;
        }
    }

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    private IEnumerable<JsonElement> ConversationMessages() =>
        Messages.Where(message => GetString(message, "role") != "system");

    private static string ContentText(JsonElement message, bool keepInjected, string separator = "\n") =>
        message.ValueKind == JsonValueKind.Object && message.TryGetProperty("content", out var content)
            ? BlocksText(content, keepInjected, separator)
            : "";

    private static string BlocksText(JsonElement content, bool keepInjected, string separator = "\n")
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString() ?? "";
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return "";
        }

        var texts = new List<string>();
        foreach (var block in content.EnumerateArray())
        {
            if (GetString(block, "type") != "text" || GetString(block, "text") is not { } text)
            {
                continue;
            }

            if (!keepInjected && IsInjectedByCli(text))
            {
                continue;
            }

            texts.Add(text);
        }

        return string.Join(separator, texts);
    }

    private static bool IsInjectedByCli(string text)
    {
        var trimmed = text.Trim();
        return trimmed.StartsWith(SystemReminderPrefix, StringComparison.Ordinal)
            || (trimmed.StartsWith(ImageSourcePrefix, StringComparison.Ordinal) && trimmed.EndsWith(']'));
    }

    private static bool ContainsImage(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                if (GetString(element, "type") == "image")
                {
                    return true;
                }

                foreach (var property in element.EnumerateObject())
                {
                    if (ContainsImage(property.Value))
                    {
                        return true;
                    }
                }

                return false;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (ContainsImage(item))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    private static string? GetString(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object
        && element.TryGetProperty(property, out var value)
        && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static IReadOnlyList<JsonElement> GetArray(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object
        && element.TryGetProperty(property, out var value)
        && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray()]
            : [];
}
