namespace ClaudeActors.Usage;

/// <summary>One API key's usage within its tenant's day.</summary>
internal sealed record KeyUsage(string Key, UsageAmount Amount);
