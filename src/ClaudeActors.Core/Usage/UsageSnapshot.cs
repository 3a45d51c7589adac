using ClaudeActors.Serialization;

namespace ClaudeActors.Usage;

/// <summary>
/// A <see cref="UsageLedger"/>'s state as a snapshot: a list of days, which the JSON serializer writes plainly, and the
/// latest records, oldest first.
/// </summary>
[MessageManifest("usage.snapshot")]
internal sealed record UsageSnapshot(ValueList<UsageDay> Days, ValueList<RecentRecord>? Recent = null) : IClaudeActorsMessage
{
    public static UsageSnapshot Of(UsageState state) => new([.. state.All()], [.. state.RecentRecords]);

    public UsageState ToState() => UsageState.Of(Days, Recent ?? []);
}
