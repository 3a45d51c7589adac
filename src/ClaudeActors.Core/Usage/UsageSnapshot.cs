using ClaudeActors.Serialization;

namespace ClaudeActors.Usage;

/// <summary>
/// A <see cref="UsageLedger"/>'s state as a snapshot: a list of days, which the JSON serializer writes plainly, and the
/// ids of the latest records, oldest first.
/// </summary>
[MessageManifest("usage.snapshot")]
internal sealed record UsageSnapshot(ValueList<UsageDay> Days, ValueList<Guid>? RecentIds = null) : IClaudeActorsMessage
{
    public static UsageSnapshot Of(UsageState state) => new([.. state.All()], [.. state.RecentIds]);

    public UsageState ToState() => UsageState.Of(Days, RecentIds ?? []);
}
