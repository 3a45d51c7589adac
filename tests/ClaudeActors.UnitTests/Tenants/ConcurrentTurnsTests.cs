using ClaudeActors.Server.Tenants;

namespace ClaudeActors.UnitTests.Tenants;

public sealed class ConcurrentTurnsTests
{
    [Fact]
    public void A_key_takes_up_to_its_limit_and_a_slot_given_back_can_be_taken_again()
    {
        var turns = new ConcurrentTurns();

        Assert.True(turns.TryEnter("a", 2));
        Assert.True(turns.TryEnter("a", 2));
        Assert.False(turns.TryEnter("a", 2));
        Assert.True(turns.TryEnter("b", 1));
        turns.Exit("a");
        Assert.Equal(1, turns.Running("a"));
        Assert.True(turns.TryEnter("a", 2));
        Assert.Equal(2, turns.Running("a"));
    }

    [Fact]
    public async Task Racing_callers_never_take_more_than_the_limit()
    {
        var turns = new ConcurrentTurns();
        using var start = new Barrier(8);

        var taken = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait();
            return Enumerable.Range(0, 1000).Count(_ => turns.TryEnter("k", 5));
        })));

        Assert.Equal(5, taken.Sum());
        Assert.Equal(5, turns.Running("k"));
    }
}
