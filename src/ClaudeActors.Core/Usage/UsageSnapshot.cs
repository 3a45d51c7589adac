using ClaudeActors.Serialization;

namespace ClaudeActors.Usage;

/// <summary>A <see cref="UsageLedger"/>'s state as a snapshot (a list of days, which the JSON serializer writes plainly).</summary>
[MessageManifest("usage.snapshot")]
internal sealed record UsageSnapshot(ValueList<UsageDay> Days) : IClaudeActorsMessage
{
    public static UsageSnapshot Of(UsageState state) => new([.. state.All()]);

    public UsageState ToState() => UsageState.Of(Days);
}
