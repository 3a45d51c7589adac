namespace ClaudeActors.Testing.FakeUpstream;

/// <summary>
/// A <c>tool_use</c> block of a scripted reply: its id (null makes one from the message id), the tool's name as the
/// model calls it (the CLI's MCP name, for instance <c>mcp__client__get_weather</c>, or the CLI's own
/// <c>StructuredOutput</c>) and the input JSON, streamed as <c>input_json_delta</c> fragments.
/// </summary>
public sealed record FakeToolUse(string? Id, string Name, string InputJson)
{
    /// <summary>The input JSON cut into two fragments, as a model streams it.</summary>
    public IReadOnlyList<string> Fragments => InputJson.Length < 2 ? [InputJson] : [InputJson[..(InputJson.Length / 2)], InputJson[(InputJson.Length / 2)..]];

    /// <summary>A call of a client function through the server's MCP server (<c>mcp__client__&lt;name&gt;</c>).</summary>
    public static FakeToolUse Client(string id, string function, string inputJson) => new(id, "mcp__client__" + function, inputJson);
}
