namespace ClaudeActors.Cli.Tools;

/// <summary>The client's answer to one tool call (OpenAI <c>role: "tool"</c> message): the call's id and its text.</summary>
internal sealed record ClientToolResult(string ToolCallId, string Content);
