namespace ClaudeActors.Cli.Protocol;

/// <summary>Token usage the CLI reports for a turn (as the upstream reported it).</summary>
internal sealed record CliUsage(long InputTokens, long OutputTokens, long CacheReadInputTokens, long CacheCreationInputTokens)
{
    public static CliUsage Zero { get; } = new(0, 0, 0, 0);

    /// <summary>Every token of the prompt: new input, read from cache and written to cache.</summary>
    public long PromptTokens => InputTokens + CacheReadInputTokens + CacheCreationInputTokens;

    /// <summary>The usage of two calls together.</summary>
    public static CliUsage operator +(CliUsage left, CliUsage right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return new(
            left.InputTokens + right.InputTokens,
            left.OutputTokens + right.OutputTokens,
            left.CacheReadInputTokens + right.CacheReadInputTokens,
            left.CacheCreationInputTokens + right.CacheCreationInputTokens);
    }
}
