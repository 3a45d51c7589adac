namespace ClaudeActors.Usage;

/// <summary>Requests (turns), tokens in, cached (read from the cache), written to the cache and out, and cost in USD.</summary>
internal sealed record UsageAmount(long Requests, long InputTokens, long CachedTokens, long CacheCreationTokens, long OutputTokens, double CostUsd)
{
    public static readonly UsageAmount Zero = new(0, 0, 0, 0, 0, 0);

    /// <summary>One turn: its tokens and its own cost (none reported counts as 0).</summary>
    public static UsageAmount Of(Chat.ChatCompleted completed) => Of(completed.Usage, 1, completed.CostUsd);

    /// <summary><paramref name="requests"/> with the tokens the CLI reported and a cost (none reported counts as 0).</summary>
    public static UsageAmount Of(Cli.Protocol.CliUsage usage, long requests, double? costUsd) => new(
        requests,
        usage.InputTokens,
        usage.CacheReadInputTokens,
        usage.CacheCreationInputTokens,
        usage.OutputTokens,
        costUsd ?? 0);

    public static UsageAmount operator +(UsageAmount a, UsageAmount b) => new(
        a.Requests + b.Requests,
        a.InputTokens + b.InputTokens,
        a.CachedTokens + b.CachedTokens,
        a.CacheCreationTokens + b.CacheCreationTokens,
        a.OutputTokens + b.OutputTokens,
        a.CostUsd + b.CostUsd);
}
