namespace ClaudeActors.Testing.FakeUpstream;

/// <summary>
/// A <c>tool_use</c> block a <see cref="FakeReply"/> ends with: streamed as <c>content_block_start</c> (empty input),
/// the input JSON in <see cref="InputChunks"/> <c>input_json_delta</c> fragments, and <c>content_block_stop</c>.
/// </summary>
public sealed record FakeToolUse(string Name, string InputJson)
{
    /// <summary>The block's id; null makes one from the request's index.</summary>
    public string? Id { get; init; }

    /// <summary>How many <c>partial_json</c> fragments the input is sent in.</summary>
    public int InputChunks { get; init; } = 3;
}
