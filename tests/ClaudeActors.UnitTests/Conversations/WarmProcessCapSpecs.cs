using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using ClaudeActors.Conversations;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace ClaudeActors.UnitTests.Conversations;

/// <summary>
/// The node's warm-process cap on its own, with probes for the conversations: past the cap it asks the least recently
/// used idle conversation to release its process, and never a busy one.
/// </summary>
public sealed class WarmProcessCapSpecs(ITestOutputHelper output) : TestKit(output: output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly ManualClock _clock = new();

    [Fact]
    public async Task Past_the_cap_the_least_recently_used_idle_process_is_released()
    {
        var cap = Cap(2);
        var (a, b, c) = (CreateTestProbe(), CreateTestProbe(), CreateTestProbe());
        await Started(cap, a, "a");
        await Ended(cap, a, "a");
        await Started(cap, b, "b");
        await Ended(cap, b, "b");

        // a is used again, so b is now the least recently used.
        await TellAsync(cap, new WarmProcessCap.TurnStarted(a.Ref, "a"));
        await Ended(cap, a, "a");
        await Started(cap, c, "c");

        Assert.Equal("b", (await b.ExpectMsgAsync<ReleaseProcess>(Patience)).ConversationId);
        await ProcessesAsync(cap);
        Assert.False(a.HasMessages);
        Assert.False(c.HasMessages);

        // While b releases it is not asked again, and once stopped it no longer counts.
        await Ended(cap, c, "c");
        cap.Tell(new WarmProcessCap.ProcessStopped(b.Ref));
        var processes = await ProcessesAsync(cap);
        Assert.Equal(2, processes.Warm);
        Assert.False(processes.ByConversation["b"].Warm);
        Assert.False(b.HasMessages);
    }

    [Fact]
    public async Task A_busy_process_is_never_released_and_a_burst_settles_as_turns_end()
    {
        var cap = Cap(1);
        var (a, b, c) = (CreateTestProbe(), CreateTestProbe(), CreateTestProbe());

        // Three turns run at once: three warm processes over a cap of one, and none of them is asked to go.
        await Started(cap, a, "a");
        await Started(cap, b, "b");
        await Started(cap, c, "c");
        Assert.Equal(3, (await ProcessesAsync(cap)).Warm);
        Assert.False(a.HasMessages || b.HasMessages || c.HasMessages);

        // As turns end, the idle ones go, the busy ones stay.
        await Ended(cap, b, "b");
        Assert.Equal("b", (await b.ExpectMsgAsync<ReleaseProcess>(Patience)).ConversationId);
        await ProcessesAsync(cap);
        Assert.False(a.HasMessages || c.HasMessages);
        cap.Tell(new WarmProcessCap.ProcessStopped(b.Ref));
        await Ended(cap, a, "a");
        Assert.Equal("a", (await a.ExpectMsgAsync<ReleaseProcess>(Patience)).ConversationId);
        cap.Tell(new WarmProcessCap.ProcessStopped(a.Ref));
        await Ended(cap, c, "c");

        var processes = await ProcessesAsync(cap);
        Assert.Equal(1, processes.Warm);
        Assert.True(processes.ByConversation["c"].Warm);
        Assert.False(c.HasMessages);
    }

    [Fact]
    public async Task A_conversation_whose_entity_stopped_is_forgotten()
    {
        var cap = Cap(2);
        var a = CreateTestProbe();
        await Started(cap, a, "a");
        Assert.True((await ProcessesAsync(cap)).ByConversation["a"].Warm);

        Sys.Stop(a.Ref);

        await AwaitAssertAsync(async () => Assert.False((await ProcessesAsync(cap)).ByConversation.ContainsKey("a")), Patience);
    }

    private IActorRef Cap(int cap) => Sys.ActorOf(WarmProcessCap.Props(cap, _clock, NullLogger.Instance));

    /// <summary>A conversation's process started for a turn (which runs); once the cap has seen it, the clock moves on.</summary>
    private Task Started(IActorRef cap, TestProbe entity, string id) =>
        TellAsync(cap, new WarmProcessCap.ProcessStarted(entity.Ref, id, new ProcessInfo(true, 1000 + id[0], 1)));

    /// <summary>A conversation's turn ended and its process stays warm; once the cap has seen it, the clock moves on.</summary>
    private Task Ended(IActorRef cap, TestProbe entity, string id) =>
        TellAsync(cap, new WarmProcessCap.TurnEnded(entity.Ref, id, new ProcessInfo(true, 1000 + id[0], 1)));

    /// <summary>Tells the cap, waits until it has handled it (it reads the clock then) and moves the clock on.</summary>
    private async Task TellAsync(IActorRef cap, object message)
    {
        cap.Tell(message);
        await ProcessesAsync(cap);
        _clock.Advance(TimeSpan.FromSeconds(1));
    }

    /// <summary>Every message told to the cap before is handled once this answers.</summary>
    private static Task<WarmProcessCap.Processes> ProcessesAsync(IActorRef cap) =>
        cap.Ask<WarmProcessCap.Processes>(WarmProcessCap.GetProcesses.Instance, Patience);
}
