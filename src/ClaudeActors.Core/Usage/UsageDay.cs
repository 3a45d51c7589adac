using ClaudeActors.Serialization;

namespace ClaudeActors.Usage;

/// <summary>A tenant's usage on one UTC day, and that of each of its keys (by name; empty without keys).</summary>
internal sealed record UsageDay(DateOnly Day, UsageAmount Amount, ValueList<KeyUsage>? Keys = null)
{
    /// <summary>What the key named <paramref name="key"/> used this day.</summary>
    public UsageAmount OfKey(string key) => Keys?.FirstOrDefault(k => k.Key == key)?.Amount ?? UsageAmount.Zero;
}
