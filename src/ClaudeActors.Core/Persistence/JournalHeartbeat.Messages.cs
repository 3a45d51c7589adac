using ClaudeActors.Serialization;

namespace ClaudeActors.Persistence;

/// <summary>Ask <see cref="JournalHeartbeat"/> to store a heartbeat now; the answer is a <see cref="JournalStatus"/>.</summary>
internal sealed record ProbeJournal
{
    public static readonly ProbeJournal Instance = new();
}

/// <summary>Ask <see cref="JournalHeartbeat"/> for the journal's status as the last write found it (no write now).</summary>
internal sealed record GetJournalStatus
{
    public static readonly GetJournalStatus Instance = new();
}

/// <summary>
/// Whether the journal stores writes: <see cref="Ok"/>, or why not (<see cref="Reason"/>, no paths or host names) and
/// since when it has been failing.
/// </summary>
internal sealed record JournalStatus(bool Ok, string? Reason, DateTimeOffset? FailingSince)
{
    public static readonly JournalStatus Working = new(true, null, null);
}

/// <summary>The heartbeat event (one kept per node; older ones are deleted).</summary>
[MessageManifest("journal.heartbeat")]
internal sealed record JournalHeartbeatRecorded(DateTimeOffset At) : IClaudeActorsMessage;
