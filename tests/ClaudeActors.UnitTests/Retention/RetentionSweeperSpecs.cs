using Akka.Actor;
using Akka.TestKit.Xunit2;
using ClaudeActors.Conversations;
using ClaudeActors.Projections;
using ClaudeActors.Retention;
using ClaudeActors.UnitTests.Conversations;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace ClaudeActors.UnitTests.Retention;

/// <summary>
/// The sweeper with probes for the index and the shard region, on a manual clock: it asks the index with the limits
/// of "now", and sends each expired conversation a delete that carries those limits, one after another.
/// </summary>
public sealed class RetentionSweeperSpecs(ITestOutputHelper output) : TestKit(output: output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly ManualClock _clock = new();

    private (IActorRef Sweeper, Akka.TestKit.TestProbe Index, Akka.TestKit.TestProbe Region) Start(double maxIdleDays)
    {
        var index = CreateTestProbe();
        var region = CreateTestProbe();
        var options = new RetentionOptions { MaxIdleDays = maxIdleDays, FailedStartGraceSeconds = 600, SweepIntervalSeconds = 604_800 };
        var sweeper = Sys.ActorOf(RetentionSweeper.Props(index.Ref, region.Ref, options, _clock, NullLogger.Instance));
        return (sweeper, index, region);
    }

    [Fact]
    public void A_sweep_deletes_what_the_index_finds_expired_with_the_limits_of_now()
    {
        var (sweeper, index, region) = Start(maxIdleDays: 30);
        var now = _clock.GetUtcNow();

        sweeper.Tell(RetentionSweeper.Sweep.Instance, TestActor);

        var find = index.ExpectMsg<FindExpired>(Wait);
        Assert.Equal(new Expiry(now - TimeSpan.FromDays(30), now - TimeSpan.FromSeconds(600)), find.Expiry);
        index.Reply(new ExpiredConversations(["old", "used-meanwhile"]));

        var first = region.ExpectMsg<DeleteConversation>(Wait);
        Assert.Equal(("old", find.Expiry), (first.ConversationId, first.Expiry));
        region.Reply(new ConversationDeleteResult(true));

        // One at a time: the second goes only after the first was answered.
        var second = region.ExpectMsg<DeleteConversation>(Wait);
        Assert.Equal(("used-meanwhile", find.Expiry), (second.ConversationId, second.Expiry));
        region.Reply(new ConversationDeleteResult(false));

        var done = ExpectMsg<RetentionSweeper.SweepDone>(Wait);
        Assert.Equal((2, 1, (string?)null), (done.Found, done.Deleted, done.Error));
    }

    [Fact]
    public void A_conversation_whose_delete_fails_does_not_hold_back_the_others()
    {
        var (sweeper, index, region) = Start(maxIdleDays: 30);

        sweeper.Tell(RetentionSweeper.Sweep.Instance, TestActor);
        index.ExpectMsg<FindExpired>(Wait);
        index.Reply(new ExpiredConversations(["stuck", "next"]));

        Assert.Equal("stuck", region.ExpectMsg<DeleteConversation>(Wait).ConversationId);
        region.Reply(new Akka.Actor.Status.Failure(new InvalidOperationException("the journal did not answer")));
        Assert.Equal("next", region.ExpectMsg<DeleteConversation>(Wait).ConversationId);
        region.Reply(new ConversationDeleteResult(true));

        var done = ExpectMsg<RetentionSweeper.SweepDone>(Wait);
        Assert.Equal((2, 1), (done.Found, done.Deleted));
        Assert.Contains("1 of 2", done.Error, StringComparison.Ordinal);
        Assert.Contains("the journal did not answer", done.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void With_retention_off_only_failed_starts_expire_and_the_limits_follow_the_clock()
    {
        var (sweeper, index, region) = Start(maxIdleDays: 0);

        sweeper.Tell(RetentionSweeper.Sweep.Instance, TestActor);
        var first = index.ExpectMsg<FindExpired>(Wait);
        Assert.Null(first.Expiry.IdleBefore);
        index.Reply(new ExpiredConversations([]));
        Assert.Equal(0, ExpectMsg<RetentionSweeper.SweepDone>(Wait).Found);

        _clock.Advance(TimeSpan.FromHours(5));
        sweeper.Tell(RetentionSweeper.Sweep.Instance, TestActor);
        var later = index.ExpectMsg<FindExpired>(Wait);
        Assert.Equal(first.Expiry.FailedStartBefore + TimeSpan.FromHours(5), later.Expiry.FailedStartBefore);
        index.Reply(new ExpiredConversations([]));
        ExpectMsg<RetentionSweeper.SweepDone>(Wait);
        region.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void A_sweep_while_one_runs_is_refused_and_the_running_one_finishes()
    {
        var (sweeper, index, _) = Start(maxIdleDays: 1);

        sweeper.Tell(RetentionSweeper.Sweep.Instance, TestActor);
        index.ExpectMsg<FindExpired>(Wait);
        sweeper.Tell(RetentionSweeper.Sweep.Instance, TestActor);
        Assert.Equal("a sweep is running", ExpectMsg<RetentionSweeper.SweepDone>(Wait).Error);

        index.Reply(new ExpiredConversations([]));
        Assert.Null(ExpectMsg<RetentionSweeper.SweepDone>(Wait).Error);
    }
}
