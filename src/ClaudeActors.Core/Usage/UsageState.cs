using System.Collections.Immutable;

namespace ClaudeActors.Usage;

/// <summary>A tenant's usage by UTC day: the fold of its <see cref="UsageRecorded"/> events.</summary>
internal sealed record UsageState
{
    public static readonly UsageState Empty = new();

    public ImmutableSortedDictionary<DateOnly, UsageAmount> Days { get; init; } = ImmutableSortedDictionary<DateOnly, UsageAmount>.Empty;

    public UsageState Apply(UsageRecorded recorded)
    {
        var day = DateOnly.FromDateTime(recorded.At.UtcDateTime);
        return this with { Days = Days.SetItem(day, Days.GetValueOrDefault(day, UsageAmount.Zero) + recorded.Amount) };
    }

    /// <summary>The days from <paramref name="from"/> to <paramref name="to"/> inclusive that have usage, oldest first.</summary>
    public IReadOnlyList<UsageDay> Between(DateOnly from, DateOnly to) =>
        [.. Days.Where(entry => entry.Key >= from && entry.Key <= to).Select(entry => new UsageDay(entry.Key, entry.Value))];
}
