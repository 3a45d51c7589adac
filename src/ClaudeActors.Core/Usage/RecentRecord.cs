namespace ClaudeActors.Usage;

/// <summary>A record a <see cref="UsageLedger"/> counted lately: its id and when it was made.</summary>
internal sealed record RecentRecord(Guid Id, DateTimeOffset At);
