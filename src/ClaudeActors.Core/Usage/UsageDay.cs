namespace ClaudeActors.Usage;

/// <summary>A tenant's usage on one UTC day.</summary>
internal sealed record UsageDay(DateOnly Day, UsageAmount Amount);
