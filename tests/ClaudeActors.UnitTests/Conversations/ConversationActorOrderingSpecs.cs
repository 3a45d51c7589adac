using ClaudeActors.Chat;
using ClaudeActors.Conversations;
using Xunit.Abstractions;

namespace ClaudeActors.UnitTests.Conversations;

/// <summary>The entity runs one turn at a time, in arrival order; every turn is answered with its stream at once.</summary>
public sealed class ConversationActorOrderingSpecs(ITestOutputHelper output) : ConversationSpec(output)
{
    [Fact]
    public async Task Turns_run_one_at_a_time_in_arrival_order()
    {
        var (entity, _) = Incarnation("o1");

        // Three turns sent back to back; the first holds in the CLI until the spec opens it.
        var asked = new[] { "hold:first", "second", "third" }.Select(text => AcceptAsync(entity, Turn("o1", text))).ToList();
        var accepted = await Task.WhenAll(asked);
        var reads = accepted.Select(ReadAsync).ToList();
        await UntilAsync(() => Rig.Cli.IsHolding("first"));

        // The later two were answered at once and wait behind the running one; a read is served meanwhile.
        var waiting = await GetAsync(entity, "o1");
        Assert.Equal(2, waiting.WaitingTurns);
        Assert.Equal(0, waiting.Record!.Turns);
        Assert.All(reads, read => Assert.False(read.IsCompleted));

        Rig.Cli.Open("first");
        var streams = await Task.WhenAll(reads);

        Assert.Equal(
            ["echo: hold:first", "echo: second", "echo: third"],
            streams.Select(events => Assert.IsType<ChatCompleted>(events[^1]).Text));
        var turns = (await JournalAsync("o1")).OfType<TurnRecorded>().Select(t => t.Turn).ToList();
        Assert.Equal([1, 2, 3], turns.Select(t => t.Sequence));
        Assert.Equal(["echo: hold:first", "echo: second", "echo: third"], turns.Select(t => t.Answer));

        // One process served them all, and it was sent each turn only after the one before had its result.
        var stdin = Assert.Single(Rig.Cli.Stdin).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, stdin.Length);
        Assert.Contains("hold:first", stdin[0], StringComparison.Ordinal);
        Assert.Contains("second", stdin[1], StringComparison.Ordinal);
        Assert.Contains("third", stdin[2], StringComparison.Ordinal);
        Assert.Equal(0, (await GetAsync(entity, "o1")).WaitingTurns);
    }

    [Fact]
    public async Task A_turn_past_its_callers_deadline_is_dropped_and_the_next_one_runs()
    {
        var (entity, _) = Incarnation("o2");
        var late = Turn("o2", "late");
        Clock.Advance(TimeSpan.FromHours(2));

        // The caller of the late turn gave up long ago: it is never answered, never run.
        var lateCaller = CreateTestProbe();
        entity.Tell(late, lateCaller.Ref);
        var events = await RunTurnAsync(entity, "o2", "on time");

        Assert.Equal("echo: on time", Assert.IsType<ChatCompleted>(events[^1]).Text);
        var turn = Assert.Single((await JournalAsync("o2")).OfType<TurnRecorded>());
        Assert.Equal(1, turn.Turn.Sequence);
        Assert.DoesNotContain("late", Assert.Single(Rig.Cli.Stdin), StringComparison.Ordinal);
        Assert.False(lateCaller.HasMessages);
    }
}
