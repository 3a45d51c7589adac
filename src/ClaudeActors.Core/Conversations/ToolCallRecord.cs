namespace ClaudeActors.Conversations;

/// <summary>A call of a client function as the turn recorded it: the call's id, the client's name and the arguments (JSON text).</summary>
internal sealed record ToolCallRecord(string Id, string Name, string Arguments);
