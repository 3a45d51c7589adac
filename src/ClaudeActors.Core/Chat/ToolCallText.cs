namespace ClaudeActors.Chat;

/// <summary>
/// How tool calls and their results read in a history of text: the same words when the client resends them and when
/// the conversation records them, so the history hash of a resent tool round matches the conversation that made it.
/// </summary>
internal static class ToolCallText
{
    /// <summary>An assistant's call: <c>[called name(arguments) as id]</c>.</summary>
    public static string Call(string name, string? arguments, string id) => $"[called {name}({arguments}) as {id}]";

    /// <summary>A client's result: <c>[tool result id] content</c>.</summary>
    public static string Result(string id, string content) => $"[tool result {id}] {content}";
}
