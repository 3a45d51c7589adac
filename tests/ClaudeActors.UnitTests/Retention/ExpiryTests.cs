using ClaudeActors.Conversations;
using ClaudeActors.Projections;
using ClaudeActors.Retention;
using static ClaudeActors.UnitTests.Projections.IndexSamples;

namespace ClaudeActors.UnitTests.Retention;

public sealed class ExpiryTests
{
    private static ConversationRecord Used(string id, int lastUsedSecond, int turns) => Record(id, 0, lastUsedSecond: lastUsedSecond) with { Turns = turns };

    [Fact]
    public void At_derives_the_limits_from_the_options()
    {
        var now = T0.AddDays(100);

        Assert.Equal(new Expiry(now - TimeSpan.FromDays(2.5), now - TimeSpan.FromSeconds(60)), Expiry.At(now, new RetentionOptions { MaxIdleDays = 2.5, FailedStartGraceSeconds = 60 }));
        Assert.Null(Expiry.At(now, new RetentionOptions()).IdleBefore);
    }

    [Fact]
    public void Covers_idle_conversations_and_failed_starts_only()
    {
        var expiry = new Expiry(T0.AddSeconds(100), T0.AddSeconds(500));

        Assert.True(expiry.Covers(Used("idle", 99, turns: 3)));
        Assert.False(expiry.Covers(Used("recent", 100, turns: 3)));
        Assert.True(expiry.Covers(Used("failed-start", 499, turns: 0)));
        Assert.False(expiry.Covers(Used("failed-start-recent", 500, turns: 0)));
        Assert.False(expiry.Covers(Used("paused-on-tools", 499, turns: 0) with { PendingToolCalls = ["call_1"] }));
        Assert.False(new Expiry(null, T0).Covers(Used("kept", 1, turns: 1)));
    }

    [Fact]
    public void The_index_finds_the_expired_conversations_longest_unused_first()
    {
        var book = new ConversationIndexBook();
        book.Apply("a", 1, Started("a", 10));
        book.Apply("b", 1, Started("b", 5));
        book.Apply("c", 1, Started("c", 50));
        book.Apply("b", 2, Turn(1, 60, null));

        // "a" never got a turn: a failed start. "b" has a turn and was used at 60.
        Assert.Equal(["a"], book.FindExpired(new Expiry(null, T0.AddSeconds(40)), 10));
        Assert.Equal(["a", "c", "b"], book.FindExpired(new Expiry(T0.AddSeconds(61), T0), 10));
        Assert.Equal(["a", "c"], book.FindExpired(new Expiry(T0.AddSeconds(61), T0), 2));
    }
}
