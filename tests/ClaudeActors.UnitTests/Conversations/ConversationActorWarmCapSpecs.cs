using Akka.Actor;
using ClaudeActors.Chat;
using ClaudeActors.Conversations;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace ClaudeActors.UnitTests.Conversations;

/// <summary>Conversation entities under a real warm-process cap of one.</summary>
public sealed class ConversationActorWarmCapSpecs : ConversationSpec
{
    public ConversationActorWarmCapSpecs(ITestOutputHelper output)
        : base(output)
    {
        var cap = Sys.ActorOf(WarmProcessCap.Props(1, Clock, NullLogger.Instance), "warm-process-cap");
        Rig.Services.Attach(Materializer, cap);
    }

    [Fact]
    public async Task A_new_warm_process_past_the_cap_makes_the_least_recently_used_idle_conversation_release_its_own()
    {
        var (a, _) = Incarnation("a");
        var (b, _) = Incarnation("b");
        await RunTurnAsync(a, "a", "one");
        Clock.Advance(TimeSpan.FromSeconds(1));

        await RunTurnAsync(b, "b", "two");

        // a ends its process gracefully and records it; the conversation itself stays.
        await AwaitAssertAsync(async () => Assert.IsType<ConversationPassivated>((await JournalAsync("a"))[^1]), Patience);
        var view = await GetAsync(a, "a");
        Assert.False(view.Process.Warm);
        Assert.Equal(ConversationStatus.Passivated, view.Record!.State);
        Assert.Equal(1, view.Record.Turns);
        Assert.True((await GetAsync(b, "b")).Process.Warm);

        // Its next turn resumes in a new process, and now b is the one to go.
        Clock.Advance(TimeSpan.FromSeconds(1));
        var again = await RunTurnAsync(a, "a", "three");
        Assert.Equal("echo: three", Assert.IsType<ChatCompleted>(again[^1]).Text);
        Assert.Contains("echo: one", Assert.Single(Rig.Cli.ResumedTranscripts), StringComparison.Ordinal);
        await AwaitAssertAsync(async () => Assert.IsType<ConversationPassivated>((await JournalAsync("b"))[^1]), Patience);
        Assert.Equal(3, Rig.Cli.Starts);
    }

    [Fact]
    public async Task A_busy_conversation_keeps_its_process_past_the_cap()
    {
        var (a, _) = Incarnation("a");
        var (b, _) = Incarnation("b");
        var held = ReadAsync(await AcceptAsync(a, Turn("a", "hold:a")));
        await UntilAsync(() => Rig.Cli.IsHolding("a"));

        // b's turn runs while a's does: two processes over a cap of one. When b's turn ends, b is the idle one and goes.
        await RunTurnAsync(b, "b", "two");
        await AwaitAssertAsync(async () => Assert.IsType<ConversationPassivated>((await JournalAsync("b"))[^1]), Patience);

        Rig.Cli.Open("a");
        Assert.Equal("echo: hold:a", Assert.IsType<ChatCompleted>((await held)[^1]).Text);
        Assert.True((await GetAsync(a, "a")).Process.Warm);
        Assert.DoesNotContain(await JournalAsync("a"), e => e is ConversationPassivated);
    }

    [Fact]
    public async Task A_release_that_reaches_a_conversation_while_its_turn_ends_is_done_once_the_turn_has_ended()
    {
        // The cap asks as soon as it hears the turn ended, which may be before the entity itself has: the entity must
        // not drop the request (the cap never asks twice), but release once its turn is over.
        var (a, _) = Incarnation("a");
        var held = ReadAsync(await AcceptAsync(a, Turn("a", "hold:a")));
        await UntilAsync(() => Rig.Cli.IsHolding("a"));

        a.Tell(new ReleaseProcess("a"));
        Rig.Cli.Open("a");

        Assert.Equal("echo: hold:a", Assert.IsType<ChatCompleted>((await held)[^1]).Text);
        await AwaitAssertAsync(async () => Assert.IsType<ConversationPassivated>((await JournalAsync("a"))[^1]), Patience);
        Assert.False((await GetAsync(a, "a")).Process.Warm);
    }
}
