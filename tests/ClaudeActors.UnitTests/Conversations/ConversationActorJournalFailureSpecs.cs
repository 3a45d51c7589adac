using ClaudeActors.Chat;
using ClaudeActors.Conversations;
using Xunit.Abstractions;

namespace ClaudeActors.UnitTests.Conversations;

/// <summary>
/// Journal write failures, injected with Akka.Persistence.TestKit's journal: a turn whose events are not stored ends
/// with a <see cref="ChatFailureKind.JournalUnavailable"/> failure, and the conversation is as it was before it.
/// </summary>
public sealed class ConversationActorJournalFailureSpecs(ITestOutputHelper output) : ConversationSpec(output)
{
    [Fact]
    public async Task A_failed_write_of_a_turn_ends_it_as_not_stored_and_a_recovery_finds_the_conversation_as_before()
    {
        var (first, _) = Incarnation("j1");
        await RunTurnAsync(first, "j1", "one");
        var watcher = CreateTestProbe();
        watcher.Watch(first);

        await Journal.OnWrite.Fail();
        var failed = await RunTurnAsync(first, "j1", "two");
        await Journal.OnWrite.Pass();

        // The CLI answered, but the client hears that the turn was not stored; the entity stops (Akka's rule).
        var failure = Assert.IsType<ChatFailed>(failed[^1]);
        Assert.Equal(ChatFailureKind.JournalUnavailable, failure.Kind);
        Assert.Contains("not stored", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(failed, e => e is ChatCompleted);
        await watcher.ExpectTerminatedAsync(first, Patience);

        // The next incarnation has turn one only, and its CLI resumes a transcript without turn two.
        var (second, _) = Incarnation("j1");
        Assert.Equal(["echo: one"], (await GetAsync(second, "j1")).Turns.Select(t => t.Answer));
        var next = await RunTurnAsync(second, "j1", "three");
        Assert.Equal("echo: three", Assert.IsType<ChatCompleted>(next[^1]).Text);
        var resumed = Rig.Cli.ResumedTranscripts.Last();
        Assert.Contains("echo: one", resumed, StringComparison.Ordinal);
        Assert.DoesNotContain("two", resumed, StringComparison.Ordinal);
        Assert.Equal([(1, "echo: one"), (2, "echo: three")], (await GetAsync(second, "j1")).Turns.Select(t => (t.Sequence, t.Answer)));
    }

    [Fact]
    public async Task A_rejected_write_of_a_turn_ends_it_as_not_stored_and_the_entity_carries_on_as_before()
    {
        var (entity, _) = Incarnation("j2");
        await RunTurnAsync(entity, "j2", "one");

        await Journal.OnWrite.Reject();
        var failed = await RunTurnAsync(entity, "j2", "two");
        await Journal.OnWrite.Pass();

        var failure = Assert.IsType<ChatFailed>(failed[^1]);
        Assert.Equal(ChatFailureKind.JournalUnavailable, failure.Kind);
        Assert.Contains("not stored", failure.Message, StringComparison.Ordinal);
        Assert.Equal(["echo: one"], (await GetAsync(entity, "j2")).Turns.Select(t => t.Answer));

        // The CLI holds turn two in its history, so its process is not used again: a new one resumes from the events.
        var next = await RunTurnAsync(entity, "j2", "three");
        Assert.Equal("echo: three", Assert.IsType<ChatCompleted>(next[^1]).Text);
        Assert.Equal(2, Rig.Cli.Starts);
        var resumed = Assert.Single(Rig.Cli.ResumedTranscripts);
        Assert.DoesNotContain("two", resumed, StringComparison.Ordinal);
        Assert.Equal([(1, "echo: one"), (2, "echo: three")], (await GetAsync(entity, "j2")).Turns.Select(t => (t.Sequence, t.Answer)));
        Assert.Equal(3, (await JournalAsync("j2")).Count);
    }

    [Fact]
    public async Task A_failed_write_of_a_new_conversation_ends_the_turn_as_not_run_and_nothing_exists()
    {
        var (first, _) = Incarnation("j3");
        var watcher = CreateTestProbe();
        watcher.Watch(first);

        await Journal.OnWrite.Fail();
        var failed = await RunTurnAsync(first, "j3", "one");
        await Journal.OnWrite.Pass();

        var failure = Assert.IsType<ChatFailed>(failed[^1]);
        Assert.Equal(ChatFailureKind.JournalUnavailable, failure.Kind);
        Assert.Contains("not run", failure.Message, StringComparison.Ordinal);
        await watcher.ExpectTerminatedAsync(first, Patience);
        Assert.Equal(0, Rig.Cli.Starts);
        Assert.Empty(await JournalAsync("j3"));
        var (second, _) = Incarnation("j3");
        Assert.Null((await GetAsync(second, "j3")).Record);
    }
}
