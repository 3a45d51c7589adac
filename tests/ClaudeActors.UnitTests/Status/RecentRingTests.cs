using ClaudeActors.Server.Status;

namespace ClaudeActors.UnitTests.Status;

public sealed class RecentRingTests
{
    [Fact]
    public void Keeps_the_newest_items_newest_first_numbered_from_one()
    {
        var ring = new RecentRing<(long Seq, string Name)>(3);
        Assert.Empty(ring.NewestFirst());

        foreach (var name in new[] { "a", "b", "c", "d", "e" })
        {
            ring.Add(seq => (seq, name));
        }

        Assert.Equal(5, ring.Added);
        Assert.Equal([(5L, "e"), (4L, "d"), (3L, "c")], ring.NewestFirst());
    }

    [Fact]
    public void Many_writers_lose_no_number_and_the_ring_stays_bounded()
    {
        var ring = new RecentRing<long>(16);

        Parallel.For(0, 2000, _ => ring.Add(seq => seq));

        Assert.Equal(2000, ring.Added);
        Assert.Equal(Enumerable.Range(1985, 16).Select(i => (long)i).Reverse(), ring.NewestFirst());
    }

    [Fact]
    public void A_ring_holds_at_least_one_item() => Assert.Throws<ArgumentOutOfRangeException>(() => new RecentRing<int>(0));
}
