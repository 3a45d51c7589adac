namespace ClaudeActors.Testing.FakeUpstream;

/// <summary>
/// Token counts a <see cref="FakeReply"/> reports: input and cache counts in <c>message_start</c>,
/// output tokens in <c>message_delta</c> (the CLI reports the <c>message_delta</c> output count as final).
/// </summary>
/// <param name="InputTokens"><c>usage.input_tokens</c>.</param>
/// <param name="OutputTokens"><c>usage.output_tokens</c> of the final <c>message_delta</c>.</param>
/// <param name="CacheReadInputTokens"><c>usage.cache_read_input_tokens</c>.</param>
/// <param name="CacheCreationInputTokens"><c>usage.cache_creation_input_tokens</c>.</param>
public sealed record FakeUsage(
    int InputTokens = 10,
    int OutputTokens = 5,
    int CacheReadInputTokens = 0,
    int CacheCreationInputTokens = 0)
{
    /// <summary>10 input tokens, 5 output tokens, no cache tokens.</summary>
    public static FakeUsage Default { get; } = new();
}
