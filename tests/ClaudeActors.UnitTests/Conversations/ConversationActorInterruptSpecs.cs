using Akka.Streams.Dsl;
using ClaudeActors.Chat;
using ClaudeActors.Conversations;
using Xunit.Abstractions;

namespace ClaudeActors.UnitTests.Conversations;

/// <summary>A caller that leaves cancels the turn's stream; the entity interrupts the CLI turn and keeps the process.</summary>
public sealed class ConversationActorInterruptSpecs(ITestOutputHelper output) : ConversationSpec(output)
{
    [Fact]
    public async Task A_caller_that_leaves_mid_turn_gets_the_turn_interrupted_and_recorded_and_the_process_stays_warm()
    {
        var (entity, _) = Incarnation("i1");
        await RunTurnAsync(entity, "i1", "one");
        var accepted = await AcceptAsync(entity, Turn("i1", "hold:x"));

        // The caller reads the first two elements (the session info and the CLI's start), then cancels the stream.
        var seen = await accepted.Events.Source.Take(2).RunWith(Sink.Seq<ChatEvent>(), Materializer).WaitAsync(Patience);
        Assert.IsType<ChatStarted>(seen[1]);

        var interrupted = await AwaitTurnAsync("i1", 2);
        Assert.Equal("interrupted", interrupted.Status);
        Assert.Contains("\"subtype\":\"interrupt\"", Assert.Single(Rig.Cli.Stdin), StringComparison.Ordinal);

        // The same process serves the next turn.
        var next = await RunTurnAsync(entity, "i1", "three");
        Assert.Equal("echo: three", Assert.IsType<ChatCompleted>(next[^1]).Text);
        Assert.Equal(1, Rig.Cli.Starts);
        Assert.Equal(["completed", "interrupted", "completed"], (await GetAsync(entity, "i1")).Turns.Select(t => t.Status));
    }

    private async Task<TurnRecord> AwaitTurnAsync(string id, int sequence)
    {
        TurnRecord? found = null;
        await AwaitAssertAsync(
            async () => found = Assert.Single((await JournalAsync(id)).OfType<TurnRecorded>(), t => t.Turn.Sequence == sequence).Turn,
            Patience);
        return found!;
    }
}
