namespace ClaudeActors.Cli.Protocol;

/// <summary>Token usage the CLI reports for a turn (as the upstream reported it).</summary>
internal sealed record CliUsage(long InputTokens, long OutputTokens, long CacheReadInputTokens, long CacheCreationInputTokens)
{
    public static CliUsage Zero { get; } = new(0, 0, 0, 0);

    /// <summary>Every token of the prompt: new input, read from cache and written to cache.</summary>
    public long PromptTokens => InputTokens + CacheReadInputTokens + CacheCreationInputTokens;
}
