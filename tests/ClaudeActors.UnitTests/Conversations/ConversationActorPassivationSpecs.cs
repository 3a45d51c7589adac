using Akka.Cluster.Sharding;
using ClaudeActors.Chat;
using ClaudeActors.Conversations;
using Xunit.Abstractions;

namespace ClaudeActors.UnitTests.Conversations;

/// <summary>
/// Passivation and hand-off (the shard's <see cref="StopConversation"/>): a running turn finishes first, and a turn
/// that arrives meanwhile is never lost: it is bounced (<see cref="TurnBounced"/>) and its caller sends it again, to the
/// next incarnation.
/// </summary>
public sealed class ConversationActorPassivationSpecs(ITestOutputHelper output) : ConversationSpec(output)
{
    [Fact]
    public async Task A_turn_that_arrives_during_the_hand_off_is_bounced_and_runs_on_the_next_incarnation()
    {
        var (first, shard) = Incarnation("p1");
        await RunTurnAsync(first, "p1", "one");
        var watcher = CreateTestProbe();
        watcher.Watch(first);

        // The hand-off begins: the CLI sees its input close and, held by the spec, has not exited yet.
        Rig.Cli.HoldExit();
        first.Tell(StopConversation.Instance, shard.Ref);
        await UntilAsync(() => Rig.Cli.IsExiting);

        // A turn arrives now; it is answered with its stream at once.
        var accepted = await AcceptAsync(first, Turn("p1", "two"));
        var read = ReadAsync(accepted);
        Rig.Cli.ReleaseExit();
        await watcher.ExpectTerminatedAsync(first, Patience);

        // Nothing ran: the stream holds only the bounce, and the journal has no second turn.
        Assert.Equal([TurnBounced.Instance], await read);
        Assert.Equal(
            [typeof(ConversationStarted), typeof(TurnRecorded), typeof(TranscriptAppended), typeof(ConversationPassivated)],
            (await JournalAsync("p1")).Select(e => e.GetType()));

        // The caller sends it again (as ChatService does); the next incarnation runs it.
        var (second, _) = Incarnation("p1");
        var events = await RunTurnAsync(second, "p1", "two");

        Assert.Equal("echo: two", Assert.IsType<ChatCompleted>(events[^1]).Text);
        Assert.Equal(["echo: one", "echo: two"], (await GetAsync(second, "p1")).Turns.Select(t => t.Answer));
    }

    [Fact]
    public async Task A_hand_off_waits_for_the_running_turn_and_bounces_the_turn_behind_it()
    {
        var (entity, shard) = Incarnation("p2");
        var running = ReadAsync(await AcceptAsync(entity, Turn("p2", "hold:a")));
        await UntilAsync(() => Rig.Cli.IsHolding("a"));
        var watcher = CreateTestProbe();
        watcher.Watch(entity);

        // Idle passivation fires in the middle of the turn, and another turn arrives after it.
        entity.Tell(StopConversation.Instance, shard.Ref);
        var behind = ReadAsync(await AcceptAsync(entity, Turn("p2", "b")));
        Rig.Cli.Open("a");

        // The running turn is not cut: it completes and is stored. The one behind it is bounced, not run.
        Assert.Equal("echo: hold:a", Assert.IsType<ChatCompleted>((await running)[^1]).Text);
        await watcher.ExpectTerminatedAsync(entity, Patience);
        Assert.Equal([TurnBounced.Instance], await behind);
        var turn = Assert.Single((await JournalAsync("p2")).OfType<TurnRecorded>());
        Assert.Equal("echo: hold:a", turn.Turn.Answer);
    }

    [Fact]
    public async Task A_turn_that_arrives_before_the_hand_off_runs_before_it()
    {
        var (entity, shard) = Incarnation("p3");
        var running = ReadAsync(await AcceptAsync(entity, Turn("p3", "hold:a")));
        await UntilAsync(() => Rig.Cli.IsHolding("a"));
        var watcher = CreateTestProbe();
        watcher.Watch(entity);

        var behind = ReadAsync(await AcceptAsync(entity, Turn("p3", "b")));
        entity.Tell(StopConversation.Instance, shard.Ref);
        Rig.Cli.Open("a");

        Assert.Equal("echo: hold:a", Assert.IsType<ChatCompleted>((await running)[^1]).Text);
        Assert.Equal("echo: b", Assert.IsType<ChatCompleted>((await behind)[^1]).Text);
        await watcher.ExpectTerminatedAsync(entity, Patience);
        Assert.Equal(["echo: hold:a", "echo: b"], (await JournalAsync("p3")).OfType<TurnRecorded>().Select(t => t.Turn.Answer));
    }

    [Fact]
    public async Task A_conversation_that_does_not_exist_asks_its_shard_to_passivate_it_after_a_read()
    {
        var (entity, shard) = Incarnation("p4");

        var view = await GetAsync(entity, "p4");

        Assert.Null(view.Record);
        var passivate = await shard.ExpectMsgAsync<Passivate>(Patience);
        Assert.Same(StopConversation.Instance, passivate.StopMessage);
    }
}
