using ClaudeActors.Usage;

namespace ClaudeActors.UnitTests.Tenants;

public sealed class UsageStateTests
{
    private static readonly DateTimeOffset Day1 = new(2026, 11, 29, 23, 59, 0, TimeSpan.Zero);

    [Fact]
    public void Turns_add_up_by_UTC_day_and_a_range_returns_the_days_with_usage()
    {
        var state = UsageState.Empty
            .Apply(new UsageRecorded(new UsageAmount(1, 10, 2, 1, 5, 0.25), Day1))
            .Apply(new UsageRecorded(new UsageAmount(1, 20, 0, 0, 7, 0.5), Day1.AddSeconds(30)))
            .Apply(new UsageRecorded(new UsageAmount(1, 1, 1, 1, 1, 1), new DateTimeOffset(2026, 11, 30, 1, 0, 0, TimeSpan.FromHours(2))));

        var days = state.Between(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30));

        Assert.Equal([new DateOnly(2026, 11, 29)], days.Select(d => d.Day));
        Assert.Equal(new UsageAmount(3, 31, 3, 2, 13, 1.75), days[0].Amount);
        Assert.Null(days[0].Keys);
        Assert.Empty(state.Between(new DateOnly(2026, 11, 30), new DateOnly(2026, 12, 31)));
    }

    [Fact]
    public void Each_key_adds_up_apart_within_its_tenants_day()
    {
        var state = UsageState.Empty
            .Apply(new UsageRecorded(new UsageAmount(1, 10, 0, 0, 5, 0.25), Day1, "ci"))
            .Apply(new UsageRecorded(new UsageAmount(1, 20, 0, 0, 7, 0.5), Day1, "web"))
            .Apply(new UsageRecorded(new UsageAmount(1, 1, 0, 0, 1, 1), Day1, "ci"))
            .Apply(new UsageRecorded(new UsageAmount(0, 2, 0, 0, 2, 0.125), Day1, "ci"))
            .Apply(new UsageRecorded(new UsageAmount(1, 3, 0, 0, 3, 2), Day1.AddDays(1), "web"));

        var days = state.Between(DateOnly.FromDateTime(Day1.UtcDateTime), DateOnly.FromDateTime(Day1.UtcDateTime).AddDays(1));

        Assert.Equal(new UsageAmount(3, 33, 0, 0, 15, 1.875), days[0].Amount);
        Assert.Equal(["ci", "web"], days[0].Keys!.Select(k => k.Key));
        Assert.Equal(new UsageAmount(2, 13, 0, 0, 8, 1.375), days[0].OfKey("ci"));
        Assert.Equal(new UsageAmount(1, 20, 0, 0, 7, 0.5), days[0].OfKey("web"));
        Assert.Equal(UsageAmount.Zero, days[0].OfKey("other"));
        Assert.Equal(new UsageAmount(1, 3, 0, 0, 3, 2), Assert.Single(days[1].Keys!).Amount);
        Assert.Equal(UsageAmount.Zero, days[1].OfKey("ci"));
    }

    [Fact]
    public void A_snapshot_gives_back_the_same_state()
    {
        var state = UsageState.Empty
            .Apply(new UsageRecorded(new UsageAmount(1, 10, 2, 1, 5, 0.25), Day1))
            .Apply(new UsageRecorded(new UsageAmount(1, 3, 0, 0, 3, 2), Day1, "ci"))
            .Apply(new UsageRecorded(new UsageAmount(1, 3, 0, 0, 3, 2), Day1.AddDays(2)));

        var back = UsageSnapshot.Of(state).ToState();

        Assert.Equal(state.Days.ToList(), back.Days.ToList());
        Assert.Equal(state.All(), back.All());
    }

    [Fact]
    public void The_latest_records_ids_are_remembered_the_oldest_forgotten_and_a_snapshot_keeps_them()
    {
        var ids = Enumerable.Range(0, UsageState.RememberedIds + 1).Select(_ => Guid.NewGuid()).ToList();

        var state = ids.Aggregate(UsageState.Empty, (s, id) => s.Apply(new UsageRecorded(new UsageAmount(1, 0, 0, 0, 0, 0), Day1, null, id)));
        var back = UsageSnapshot.Of(state).ToState();

        Assert.Equal(UsageState.RememberedIds + 1, state.Days.Single().Value.Requests);
        Assert.False(state.HasRecorded(ids[0]));
        Assert.True(state.HasRecorded(ids[1]) && state.HasRecorded(ids[^1]));
        Assert.Equal(state.RecentRecords, back.RecentRecords);
        Assert.False(back.HasRecorded(ids[0]));
        Assert.True(back.HasRecorded(ids[1]) && back.HasRecorded(ids[^1]));
    }

    [Fact]
    public void A_records_id_is_forgotten_once_a_record_made_long_enough_after_it_is_counted_and_no_id_is_never_remembered()
    {
        var (early, late, later) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var one = new UsageAmount(1, 0, 0, 0, 0, 0);

        var state = UsageState.Empty
            .Apply(new UsageRecorded(one, Day1, null, early))
            .Apply(new UsageRecorded(one, Day1 + UsageState.RememberFor, null, late))
            .Apply(new UsageRecorded(one, Day1 + UsageState.RememberFor, null, Guid.Empty));

        Assert.True(state.HasRecorded(early) && state.HasRecorded(late));
        Assert.False(state.HasRecorded(Guid.Empty));

        state = state.Apply(new UsageRecorded(one, Day1 + UsageState.RememberFor + TimeSpan.FromSeconds(1), null, later));

        Assert.False(state.HasRecorded(early));
        Assert.True(state.HasRecorded(late) && state.HasRecorded(later));
        Assert.Equal(4, state.Days.Values.Sum(amount => amount.Requests));
    }
}
