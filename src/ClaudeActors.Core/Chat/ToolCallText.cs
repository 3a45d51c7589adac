using System.Text.Encodings.Web;
using System.Text.Json;

namespace ClaudeActors.Chat;

/// <summary>
/// How tool calls and their results read in a history of text: the same words when the client resends them and when
/// the conversation records them, so the history hash of a resent tool round matches the conversation that made it.
/// </summary>
internal static class ToolCallText
{
    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// An assistant's call: <c>[called name(arguments) as id]</c>. Arguments that are JSON are written compact, so a
    /// client that parsed them and sends them back re-serialized (Anthropic's <c>tool_use.input</c> is an object, not
    /// text) reads the same as the model's own spacing and escapes.
    /// </summary>
    public static string Call(string name, string? arguments, string id) => $"[called {name}({Canonical(arguments)}) as {id}]";

    /// <summary>A client's result: <c>[tool result id] content</c>.</summary>
    public static string Result(string id, string content) => $"[tool result {id}] {content}";

    private static string? Canonical(string? arguments)
    {
        if (string.IsNullOrWhiteSpace(arguments))
        {
            return arguments;
        }

        try
        {
            using var document = JsonDocument.Parse(arguments);
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, Compact))
            {
                document.RootElement.WriteTo(writer);
            }

            return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
        }
        catch (JsonException)
        {
            return arguments;
        }
    }
}
