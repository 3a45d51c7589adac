using ClaudeActors.Serialization;

namespace ClaudeActors.Usage;

/// <summary>A message for a tenant's <see cref="UsageLedger"/>, routed by <see cref="Tenant"/>.</summary>
internal interface IUsageCommand : IClaudeActorsMessage
{
    string Tenant { get; }
}

/// <summary>
/// One turn's usage, to add to its tenant's day and to its key's (by name, null for none); answered with
/// <see cref="UsageRecordedAck"/>. <see cref="Id"/> makes a record sent again (its answer was lost) count once.
/// </summary>
[MessageManifest("usage.record")]
internal sealed record RecordUsage(string Tenant, Guid Id, UsageAmount Amount, DateTimeOffset At, string? Key = null) : IUsageCommand;

/// <summary>The answer to <see cref="RecordUsage"/> once it is persisted.</summary>
[MessageManifest("usage.recorded-ack")]
internal sealed record UsageRecordedAck : IClaudeActorsMessage
{
    public static readonly UsageRecordedAck Instance = new();
}

/// <summary>The tenant's usage by UTC day, <see cref="From"/> to <see cref="To"/> inclusive; answered with <see cref="UsageReport"/>.</summary>
[MessageManifest("usage.get")]
internal sealed record GetUsage(string Tenant, DateOnly From, DateOnly To) : IUsageCommand;

/// <summary>A tenant's usage by day, with each key's, oldest first (days without turns are left out).</summary>
[MessageManifest("usage.report")]
internal sealed record UsageReport(string Tenant, ValueList<UsageDay> Days) : IClaudeActorsMessage;

/// <summary>
/// The event: one turn's usage added to a tenant's day, and to its key's (by name; null for none), with the id of its
/// <see cref="RecordUsage"/>.
/// </summary>
[MessageManifest("usage.recorded")]
internal sealed record UsageRecorded(UsageAmount Amount, DateTimeOffset At, string? Key = null, Guid? Id = null) : IClaudeActorsMessage;
