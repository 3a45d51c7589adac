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

    /// <summary>At most how many records' ids are kept, to answer a record sent again without counting it twice.</summary>
    public const int RememberedIds = 4096;

    /// <summary>
    /// How long a record's id is kept after the newest one: longer than a client tries
    /// (<see cref="UsageClient.RetryFor"/>), with room for clocks that differ between nodes.
    /// </summary>
    public static readonly TimeSpan RememberFor = TimeSpan.FromMinutes(15);

    /// <summary>The latest records, oldest first.</summary>
    public ImmutableList<RecentRecord> RecentRecords { get; init; } = [];

    private ImmutableHashSet<Guid> RecentIds { get; init; } = [];

    /// <summary>Whether the record <paramref name="id"/> is among the latest ones counted (<see cref="Guid.Empty"/> is no id).</summary>
    public bool HasRecorded(Guid id) => id != Guid.Empty && RecentIds.Contains(id);

    public UsageState Apply(UsageRecorded recorded)
    {
        var day = DateOnly.FromDateTime(recorded.At.UtcDateTime);
        var next = this with { Days = Days.SetItem(day, Days.GetValueOrDefault(day, UsageAmount.Zero) + recorded.Amount) };
        if (recorded.Id is { } id && id != Guid.Empty)
        {
            next = next.Remember(new RecentRecord(id, recorded.At));
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

    /// <summary>The state of <paramref name="days"/> and the latest records, from a snapshot.</summary>
    public static UsageState Of(IEnumerable<UsageDay> days, IEnumerable<RecentRecord> recent)
    {
        var list = days.ToList();
        var records = recent.TakeLast(RememberedIds).ToImmutableList();
        return new()
        {
            RecentRecords = records,
            RecentIds = [.. records.Select(r => r.Id)],
            Days = list.ToImmutableSortedDictionary(day => day.Day, day => day.Amount),
            Keys = list.Where(day => day.Keys is { Count: > 0 }).ToImmutableSortedDictionary(
                day => day.Day,
                day => day.Keys!.ToImmutableSortedDictionary(k => k.Key, k => k.Amount, StringComparer.Ordinal)),
        };
    }

    /// <summary>Keeps <paramref name="record"/>, and forgets the oldest past <see cref="RememberedIds"/> or <see cref="RememberFor"/>.</summary>
    private UsageState Remember(RecentRecord record)
    {
        var records = RecentRecords.Add(record);
        var ids = RecentIds.Add(record.Id);
        while (records.Count > RememberedIds || records[0].At < record.At - RememberFor)
        {
            ids = ids.Remove(records[0].Id);
            records = records.RemoveAt(0);
        }

        return this with { RecentRecords = records, RecentIds = ids };
    }

    private UsageDay DayOf(DateOnly day, UsageAmount amount) => new(
        day,
        amount,
        Keys.TryGetValue(day, out var keys) ? ValueList.Create<KeyUsage>([.. keys.Select(k => new KeyUsage(k.Key, k.Value))]) : null);
}
