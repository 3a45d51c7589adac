using System.Collections.Immutable;
using ClaudeActors.Serialization;

namespace ClaudeActors.Usage;

/// <summary>
/// A tenant's usage by UTC day, and by day and key: the fold of its <see cref="UsageRecorded"/> events. A turn without a
/// key (a server without keys) counts in the day only.
/// </summary>
internal sealed record UsageState
{
    public static readonly UsageState Empty = new();

    public ImmutableSortedDictionary<DateOnly, UsageAmount> Days { get; init; } = ImmutableSortedDictionary<DateOnly, UsageAmount>.Empty;

    public ImmutableSortedDictionary<DateOnly, ImmutableSortedDictionary<string, UsageAmount>> Keys { get; init; } =
        ImmutableSortedDictionary<DateOnly, ImmutableSortedDictionary<string, UsageAmount>>.Empty;

    /// <summary>How many of the latest records' ids are kept, to answer a record sent again without counting it twice.</summary>
    public const int RememberedIds = 4096;

    /// <summary>The ids of the latest records, oldest first.</summary>
    public ImmutableList<Guid> RecentIds { get; init; } = [];

    private ImmutableHashSet<Guid> RecentIdSet { get; init; } = [];

    /// <summary>Whether the record <paramref name="id"/> is among the latest ones counted.</summary>
    public bool HasRecorded(Guid id) => RecentIdSet.Contains(id);

    public UsageState Apply(UsageRecorded recorded)
    {
        var day = DateOnly.FromDateTime(recorded.At.UtcDateTime);
        var next = this with { Days = Days.SetItem(day, Days.GetValueOrDefault(day, UsageAmount.Zero) + recorded.Amount) };
        if (recorded.Id is { } id)
        {
            next = next.Remember(id);
        }

        if (recorded.Key is not { } key)
        {
            return next;
        }

        var keys = Keys.GetValueOrDefault(day, ImmutableSortedDictionary.Create<string, UsageAmount>(StringComparer.Ordinal));
        return next with { Keys = Keys.SetItem(day, keys.SetItem(key, keys.GetValueOrDefault(key, UsageAmount.Zero) + recorded.Amount)) };
    }

    /// <summary>The days from <paramref name="from"/> to <paramref name="to"/> inclusive that have usage, oldest first.</summary>
    public IReadOnlyList<UsageDay> Between(DateOnly from, DateOnly to) =>
        [.. Days.Where(entry => entry.Key >= from && entry.Key <= to).Select(entry => DayOf(entry.Key, entry.Value))];

    /// <summary>Every day, for a snapshot.</summary>
    public IReadOnlyList<UsageDay> All() => [.. Days.Select(entry => DayOf(entry.Key, entry.Value))];

    /// <summary>The state of <paramref name="days"/> and the latest records' ids, from a snapshot.</summary>
    public static UsageState Of(IEnumerable<UsageDay> days, IEnumerable<Guid> recentIds)
    {
        var list = days.ToList();
        var ids = recentIds.TakeLast(RememberedIds).ToImmutableList();
        return new()
        {
            RecentIds = ids,
            RecentIdSet = [.. ids],
            Days = list.ToImmutableSortedDictionary(day => day.Day, day => day.Amount),
            Keys = list.Where(day => day.Keys is { Count: > 0 }).ToImmutableSortedDictionary(
                day => day.Day,
                day => day.Keys!.ToImmutableSortedDictionary(k => k.Key, k => k.Amount, StringComparer.Ordinal)),
        };
    }

    private UsageState Remember(Guid id)
    {
        var ids = RecentIds.Add(id);
        var set = RecentIdSet.Add(id);
        if (ids.Count > RememberedIds)
        {
            set = set.Remove(ids[0]);
            ids = ids.RemoveAt(0);
        }

        return this with { RecentIds = ids, RecentIdSet = set };
    }

    private UsageDay DayOf(DateOnly day, UsageAmount amount) => new(
        day,
        amount,
        Keys.TryGetValue(day, out var keys) ? ValueList.Create<KeyUsage>([.. keys.Select(k => new KeyUsage(k.Key, k.Value))]) : null);
}
